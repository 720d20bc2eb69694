import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { OrgRole } from '@collaro/shared';
import type { Database, Queryable } from '../../db/client.js';
import { invitations, memberships, organizations, users } from '../../db/schema/index.js';
import { restoreDirectMessages } from '../channels/repository.js';

const invitationColumns = {
  id: invitations.id,
  orgId: invitations.orgId,
  role: invitations.role,
  email: invitations.email,
  createdAt: invitations.createdAt,
  expiresAt: invitations.expiresAt,
  createdByName: users.name,
  acceptedCount: invitations.acceptedCount,
};

/** The creator is left-joined (they may have left Collaro), so their name can be null. */
export type InvitationRow = Pick<typeof invitations.$inferSelect, Exclude<keyof typeof invitationColumns, 'createdByName'>> & {
  createdByName: (typeof users.$inferSelect)['name'] | null;
};

/** Still usable at `now`: not revoked, not expired, and (for one person's invitation) not used yet. */
const usableAt = (now: Date) =>
  and(isNull(invitations.revokedAt), gt(invitations.expiresAt, now), or(isNull(invitations.email), eq(invitations.acceptedCount, 0)));

export async function insertInvitation(
  db: Queryable,
  input: { orgId: string; role: OrgRole; email: string | null; tokenHash: string; createdBy: string; expiresAt: Date },
): Promise<InvitationRow> {
  const [row] = await db.insert(invitations).values(input).returning({ id: invitations.id });
  const [created] = await db
    .select(invitationColumns)
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.createdBy))
    .where(eq(invitations.id, row!.id));
  return created!;
}

/** The organization's invitations that can still be accepted, newest first. */
export async function listUsableInvitations(db: Queryable, orgId: string, now: Date): Promise<InvitationRow[]> {
  return db
    .select(invitationColumns)
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.createdBy))
    .where(and(eq(invitations.orgId, orgId), usableAt(now)))
    .orderBy(desc(invitations.createdAt), desc(invitations.id));
}

/** Returns false when the organization has no such invitation, or it was revoked already. */
export async function revokeInvitation(db: Queryable, orgId: string, invitationId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.orgId, orgId), eq(invitations.id, invitationId), isNull(invitations.revokedAt)))
    .returning({ id: invitations.id });
  return rows.length > 0;
}

export async function findUsableInvitation(db: Queryable, tokenHash: string, now: Date) {
  const [row] = await db
    .select({
      id: invitations.id,
      orgId: invitations.orgId,
      orgName: organizations.name,
      role: invitations.role,
      email: invitations.email,
      expiresAt: invitations.expiresAt,
      invitedByName: users.name,
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .leftJoin(users, eq(users.id, invitations.createdBy))
    .where(and(eq(invitations.tokenHash, tokenHash), usableAt(now)))
    .limit(1);
  return row;
}

export type AcceptInvitationResult =
  { outcome: 'joined' | 'already_member'; orgId: string; role: OrgRole } | { outcome: 'not_found' } | { outcome: 'wrong_email'; email: string };

/**
 * Puts the user in the invitation's organization. The invitation row is locked so one person's
 * invitation cannot be used twice by two concurrent accepts. Someone already in the organization
 * keeps their role (an admin clicking a member link stays admin) and the invitation is not used up.
 */
export async function acceptInvitation(
  db: Database,
  tokenHash: string,
  user: { id: string; email: string | null },
  now: Date,
): Promise<AcceptInvitationResult> {
  return db.transaction(async (tx) => {
    const [invitation] = await tx
      .select({ id: invitations.id, orgId: invitations.orgId, role: invitations.role, email: invitations.email })
      .from(invitations)
      .where(and(eq(invitations.tokenHash, tokenHash), usableAt(now)))
      .limit(1)
      .for('update');
    if (!invitation) return { outcome: 'not_found' };
    const [existing] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, invitation.orgId), eq(memberships.userId, user.id)))
      .limit(1);
    if (existing) return { outcome: 'already_member', orgId: invitation.orgId, role: existing.role };
    if (invitation.email && invitation.email !== (user.email ?? '').toLowerCase()) {
      return { outcome: 'wrong_email', email: invitation.email };
    }
    await tx.insert(memberships).values({ orgId: invitation.orgId, userId: user.id, role: invitation.role });
    await restoreDirectMessages(tx, invitation.orgId, user.id);
    await tx
      .update(invitations)
      .set({ acceptedCount: sql`${invitations.acceptedCount} + 1` })
      .where(eq(invitations.id, invitation.id));
    return { outcome: 'joined', orgId: invitation.orgId, role: invitation.role };
  });
}
