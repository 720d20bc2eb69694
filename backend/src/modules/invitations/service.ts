import { createHash, randomBytes } from 'node:crypto';
import { invitationPath, type OrgRole } from '@collaro/shared';
import type { Database } from '../../db/client.js';
import { DomainError, forbidden, notFound } from '../../domain-errors.js';
import { requireOrgAccess } from '../../policy/policy.js';
import { organizationMembershipChanged, type MembershipChangeTargets } from '../orgs/membership-changes.js';
import { findUserById } from '../users/repository.js';
import { acceptInvitation, findUsableInvitation, insertInvitation, listUsableInvitations, revokeInvitation, type InvitationRow } from './repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Unknown, revoked, expired and used-up links all look the same, so a link reveals nothing once dead. */
const invitationGone = () =>
  new DomainError('not_found', 'This invitation link is not valid any more: it was revoked, has expired or has been used. Ask for a new one.');

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

const toInvitation = (row: InvitationRow) => ({ ...row, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString() });

export interface InvitationServiceOptions {
  db: Database;
  changes: MembershipChangeTargets;
  /** Where links point: the server's public address. */
  publicUrl: string;
  now: () => Date;
}

/**
 * Invitation links: admins create, list and revoke them for an organization; anyone with a link can
 * see what it is for, and a signed-in person accepts it to join. Only a token's hash is stored.
 */
export class InvitationService {
  constructor(private readonly options: InvitationServiceOptions) {}

  async create(callerId: string, orgId: string, input: { role: OrgRole; email?: string | undefined; expiresInDays: number }) {
    const { db, now, publicUrl } = this.options;
    await requireOrgAccess(db, callerId, orgId, 'org:members:manage');
    // 256 bits from the system's CSPRNG; only the hash is stored.
    const token = randomBytes(32).toString('base64url');
    const row = await insertInvitation(db, {
      orgId,
      role: input.role,
      email: input.email ?? null,
      tokenHash: hashToken(token),
      createdBy: callerId,
      expiresAt: new Date(now().getTime() + input.expiresInDays * DAY_MS),
    });
    return { ...toInvitation(row), token, url: `${publicUrl}${invitationPath(token)}` };
  }

  async list(callerId: string, orgId: string) {
    const { db, now } = this.options;
    await requireOrgAccess(db, callerId, orgId, 'org:members:manage');
    return (await listUsableInvitations(db, orgId, now())).map(toInvitation);
  }

  async revoke(callerId: string, orgId: string, invitationId: string): Promise<void> {
    const { db, now } = this.options;
    await requireOrgAccess(db, callerId, orgId, 'org:members:manage');
    if (!(await revokeInvitation(db, orgId, invitationId, now()))) throw notFound('Invitation');
  }

  /** What a link is for, shown before its reader signs in or has an account. */
  async preview(token: string) {
    const invitation = await findUsableInvitation(this.options.db, hashToken(token), this.options.now());
    if (!invitation) throw invitationGone();
    const { orgName, role, email, invitedByName, expiresAt } = invitation;
    return { orgName, role, email, invitedByName, expiresAt: expiresAt.toISOString() };
  }

  async accept(callerId: string, token: string) {
    const { db, now, changes } = this.options;
    const user = await findUserById(db, callerId);
    if (!user) throw notFound('User');
    const result = await acceptInvitation(db, hashToken(token), user, now());
    if (result.outcome === 'not_found') throw invitationGone();
    if (result.outcome === 'wrong_email') throw forbidden(`This invitation is for ${result.email}. Sign in with that account to accept it.`);
    if (result.outcome === 'joined') await organizationMembershipChanged(changes, [callerId]);
    return { orgId: result.orgId, role: result.role };
  }
}
