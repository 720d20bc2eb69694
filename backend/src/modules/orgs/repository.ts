import { and, asc, count, eq } from 'drizzle-orm';
import type { OrgRole } from '@collaro/shared';
import type { Database, Queryable } from '../../db/client.js';
import { memberships, organizations, users } from '../../db/schema/index.js';
import { restoreDirectMessages } from '../channels/repository.js';

export async function createOrganization(db: Database, name: string, creatorId: string) {
  return db.transaction(async (tx) => {
    const [org] = await tx.insert(organizations).values({ name }).returning({ id: organizations.id, name: organizations.name });
    await tx.insert(memberships).values({ orgId: org!.id, userId: creatorId, role: 'admin' });
    return org!;
  });
}

export async function listOrganizationsOfUser(db: Queryable, userId: string) {
  return db
    .select({ id: organizations.id, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.name), asc(organizations.id));
}

export async function findMembership(db: Queryable, orgId: string, userId: string) {
  const [row] = await db
    .select({ role: memberships.role, grantedPermissions: memberships.grantedPermissions })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .limit(1);
  return row;
}

export async function listMembers(db: Queryable, orgId: string) {
  return db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(users.name), asc(users.id));
}

/** Returns false when the user already belongs to the organization; someone coming back finds their direct messages again. */
export async function insertMembership(db: Database, orgId: string, userId: string, role: OrgRole) {
  return db.transaction(async (tx) => {
    const rows = await tx.insert(memberships).values({ orgId, userId, role }).onConflictDoNothing().returning();
    if (rows.length === 0) return false;
    await restoreDirectMessages(tx, orgId, userId);
    return true;
  });
}

export type LastAdminGuardResult = 'done' | 'not_found' | 'last_admin';

/**
 * Changes or removes a membership unless that would leave the organization without an admin.
 * The admin rows are locked first so two concurrent demotions cannot both pass the check.
 */
export async function changeMembership(
  db: Database,
  orgId: string,
  userId: string,
  change: { role: OrgRole } | { remove: true },
): Promise<LastAdminGuardResult> {
  return db.transaction(async (tx) => {
    const admins = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'admin')))
      .for('update');
    const target = await findMembership(tx, orgId, userId);
    if (!target) return 'not_found';
    const losesAdmin = target.role === 'admin' && ('remove' in change || change.role !== 'admin');
    if (losesAdmin && admins.length <= 1) return 'last_admin';
    if ('remove' in change) {
      await tx.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
    } else {
      await tx
        .update(memberships)
        .set({ role: change.role })
        .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
    }
    return 'done';
  });
}

export async function countMembers(db: Queryable, orgId: string) {
  const [row] = await db.select({ n: count() }).from(memberships).where(eq(memberships.orgId, orgId));
  return row?.n ?? 0;
}

/** Every member's role and granted permissions, for working out who holds an organization-wide permission. */
export async function listMemberRoles(db: Queryable, orgId: string) {
  return db
    .select({ userId: memberships.userId, role: memberships.role, grantedPermissions: memberships.grantedPermissions })
    .from(memberships)
    .where(eq(memberships.orgId, orgId));
}
