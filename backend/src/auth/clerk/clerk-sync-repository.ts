import { and, eq, lt, sql } from 'drizzle-orm';
import type { OrgRole } from '@collaro/shared';
import type { Database, Queryable } from '../../db/client.js';
import { restoreDirectMessages } from '../../modules/channels/repository.js';
import { clerkMembershipVersions, clerkObjectVersions, clerkWebhookDeliveries, memberships, organizations, users } from '../../db/schema/index.js';

/** Longer than Svix keeps retrying a delivery (about a day and a half), so every retry is recognised. */
export const WEBHOOK_DELIVERY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export interface ClerkProfile {
  name: string;
  /** Lower-cased primary email, or null when Clerk has none. */
  email: string | null;
}

export interface MembershipObservation {
  clerkOrgId: string;
  clerkUserId: string;
  /** Clerk's time for what is observed: the webhook event's timestamp or the token's `iat`. */
  observedAtMs: number;
  source: 'webhook' | 'token';
}

/**
 * Whether an event changed anything, and whose access to organizations, teams and channels it
 * changed (their live connections must reload what they may see).
 */
export type SyncResult = { outcome: 'applied' | 'stale'; accessChangedFor: string[] };
const STALE: SyncResult = { outcome: 'stale', accessChangedFor: [] };
const applied = (accessChangedFor: string[] = []): SyncResult => ({ outcome: 'applied', accessChangedFor });

/**
 * Records a webhook delivery; false when this `svix-id` was already applied. Call it inside the
 * transaction that applies the event, so a delivery that fails half-way is not marked as seen.
 */
export async function recordWebhookDelivery(db: Queryable, svixId: string, eventType: string, now: Date): Promise<boolean> {
  const inserted = await db
    .insert(clerkWebhookDeliveries)
    .values({ svixId, eventType, receivedAt: now })
    .onConflictDoNothing()
    .returning({ svixId: clerkWebhookDeliveries.svixId });
  await db.delete(clerkWebhookDeliveries).where(lt(clerkWebhookDeliveries.receivedAt, new Date(now.getTime() - WEBHOOK_DELIVERY_RETENTION_MS)));
  return inserted.length > 0;
}

export async function findUserIdByClerkId(db: Queryable, clerkUserId: string): Promise<string | undefined> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.clerkUserId, clerkUserId)).limit(1);
  return row?.id;
}

export async function findOrganizationIdByClerkId(db: Queryable, clerkOrgId: string): Promise<string | undefined> {
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.clerkOrgId, clerkOrgId)).limit(1);
  return row?.id;
}

async function isDeletedInClerk(db: Queryable, kind: 'user' | 'organization', clerkId: string): Promise<boolean> {
  const [row] = await db
    .select({ deleted: clerkObjectVersions.deleted })
    .from(clerkObjectVersions)
    .where(and(eq(clerkObjectVersions.kind, kind), eq(clerkObjectVersions.clerkId, clerkId)));
  return row?.deleted ?? false;
}

/**
 * Moves an object's version forward; false when the stored one is newer or the object is deleted.
 * Clerk never reuses ids, so a deletion is final. The conditional upsert also row-locks the version,
 * which serialises concurrent events for the same object until the transaction ends.
 */
async function advanceObjectVersion(db: Queryable, kind: 'user' | 'organization', clerkId: string, observedAtMs: number, deleted: boolean): Promise<boolean> {
  const rows = await db
    .insert(clerkObjectVersions)
    .values({ kind, clerkId, observedAtMs, deleted })
    .onConflictDoUpdate({
      target: [clerkObjectVersions.kind, clerkObjectVersions.clerkId],
      set: { observedAtMs, deleted },
      setWhere: sql`not ${clerkObjectVersions.deleted} and ${clerkObjectVersions.observedAtMs} <= ${observedAtMs}`,
    })
    .returning({ kind: clerkObjectVersions.kind });
  return rows.length > 0;
}

/** The email, unless another account already uses it (emails are unique across all users). */
async function freeEmail(db: Queryable, email: string | null, clerkUserId: string): Promise<string | null> {
  if (!email) return null;
  const [taken] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, email), sql`${users.clerkUserId} is distinct from ${clerkUserId}`))
    .limit(1);
  return taken ? null : email;
}

async function upsertClerkUser(db: Queryable, clerkUserId: string, profile: ClerkProfile, now: Date): Promise<string> {
  const email = await freeEmail(db, profile.email, clerkUserId);
  const [row] = await db
    .insert(users)
    .values({ clerkUserId, name: profile.name, email })
    .onConflictDoUpdate({ target: users.clerkUserId, set: { name: profile.name, email, updatedAt: now } })
    .returning({ id: users.id });
  return row!.id;
}

/** A user Clerk has told about only in passing (a token or a membership): created once, never overwritten. */
async function ensureClerkUser(db: Queryable, clerkUserId: string, profile: ClerkProfile): Promise<string | undefined> {
  const existing = await findUserIdByClerkId(db, clerkUserId);
  if (existing) return existing;
  if (await isDeletedInClerk(db, 'user', clerkUserId)) return undefined;
  const email = await freeEmail(db, profile.email, clerkUserId);
  await db.insert(users).values({ clerkUserId, name: profile.name, email }).onConflictDoNothing({ target: users.clerkUserId });
  return findUserIdByClerkId(db, clerkUserId);
}

async function ensureClerkOrganization(db: Queryable, clerkOrgId: string, name: string): Promise<string | undefined> {
  const existing = await findOrganizationIdByClerkId(db, clerkOrgId);
  if (existing) return existing;
  if (await isDeletedInClerk(db, 'organization', clerkOrgId)) return undefined;
  await db.insert(organizations).values({ clerkOrgId, name }).onConflictDoNothing({ target: organizations.clerkOrgId });
  return findOrganizationIdByClerkId(db, clerkOrgId);
}

/** `user.created` / `user.updated`. */
export async function applyClerkUser(db: Queryable, clerkUserId: string, profile: ClerkProfile, observedAtMs: number, now: Date): Promise<SyncResult> {
  if (!(await advanceObjectVersion(db, 'user', clerkUserId, observedAtMs, false))) return STALE;
  await upsertClerkUser(db, clerkUserId, profile, now);
  return applied();
}

/** `user.deleted`: the account and with it every membership and session go at once. */
export async function applyClerkUserDeletion(db: Queryable, clerkUserId: string, observedAtMs: number): Promise<SyncResult> {
  if (!(await advanceObjectVersion(db, 'user', clerkUserId, observedAtMs, true))) return STALE;
  const deleted = await db.delete(users).where(eq(users.clerkUserId, clerkUserId)).returning({ id: users.id });
  return applied(deleted.map((row) => row.id));
}

/** `organization.created` / `organization.updated`. */
export async function applyClerkOrganization(db: Queryable, clerkOrgId: string, name: string, observedAtMs: number): Promise<SyncResult> {
  if (!(await advanceObjectVersion(db, 'organization', clerkOrgId, observedAtMs, false))) return STALE;
  await db.insert(organizations).values({ clerkOrgId, name }).onConflictDoUpdate({ target: organizations.clerkOrgId, set: { name } });
  return applied();
}

/** `organization.deleted`: the organization and everything in it (teams, channels, meetings) go. */
export async function applyClerkOrganizationDeletion(db: Queryable, clerkOrgId: string, observedAtMs: number): Promise<SyncResult> {
  if (!(await advanceObjectVersion(db, 'organization', clerkOrgId, observedAtMs, true))) return STALE;
  const orgId = await findOrganizationIdByClerkId(db, clerkOrgId);
  if (!orgId) return applied();
  const members = await db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.orgId, orgId));
  await db.delete(organizations).where(eq(organizations.id, orgId));
  return applied(members.map((member) => member.userId));
}

/**
 * Moves a membership's version forward when the observation is newer. A webhook also wins a tie
 * (a token's `iat` has whole seconds, so a token from the same second as a webhook may predate it).
 */
async function advanceMembershipVersion(db: Queryable, observation: MembershipObservation, deleted: boolean): Promise<boolean> {
  const { clerkOrgId, clerkUserId, observedAtMs, source } = observation;
  const stored = clerkMembershipVersions;
  const rows = await db
    .insert(stored)
    .values({ clerkOrgId, clerkUserId, observedAtMs, source, deleted })
    .onConflictDoUpdate({
      target: [stored.clerkOrgId, stored.clerkUserId],
      set: { observedAtMs, source, deleted },
      setWhere: source === 'webhook' ? sql`${stored.observedAtMs} <= ${observedAtMs}` : sql`${stored.observedAtMs} < ${observedAtMs}`,
    })
    .returning({ clerkOrgId: stored.clerkOrgId });
  return rows.length > 0;
}

/** The stored version's time, so a request can skip the write when its token is not newer. */
export async function membershipVersionMs(db: Queryable, clerkOrgId: string, clerkUserId: string): Promise<number | undefined> {
  const [row] = await db
    .select({ observedAtMs: clerkMembershipVersions.observedAtMs })
    .from(clerkMembershipVersions)
    .where(and(eq(clerkMembershipVersions.clerkOrgId, clerkOrgId), eq(clerkMembershipVersions.clerkUserId, clerkUserId)));
  return row?.observedAtMs;
}

/**
 * A membership with its role and granted permissions, from a webhook or a session token, applied
 * only if newer than what is stored. Creates the organization and user rows when this is the first
 * Collaro hears of them (their own webhooks fill in the details).
 */
export async function applyClerkMembership(
  db: Queryable,
  observation: MembershipObservation,
  membership: { role: OrgRole; grantedPermissions: string[]; organizationName: string; userProfile: ClerkProfile },
): Promise<SyncResult> {
  if (!(await advanceMembershipVersion(db, observation, false))) return STALE;
  const orgId = await ensureClerkOrganization(db, observation.clerkOrgId, membership.organizationName);
  const userId = await ensureClerkUser(db, observation.clerkUserId, membership.userProfile);
  if (!orgId || !userId) return STALE;
  const values = { role: membership.role, grantedPermissions: membership.grantedPermissions };
  const [row] = await db
    .insert(memberships)
    .values({ orgId, userId, ...values })
    .onConflictDoUpdate({ target: [memberships.orgId, memberships.userId], set: values })
    // xmax is 0 on a row this statement inserted (rather than updated): someone joining or coming back.
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  if (row?.inserted) await restoreDirectMessages(db, orgId, userId);
  return applied([userId]);
}

/** `organizationMembership.deleted`: remembered, so an older token cannot restore the membership. */
export async function applyClerkMembershipDeletion(db: Queryable, observation: MembershipObservation): Promise<SyncResult> {
  if (!(await advanceMembershipVersion(db, observation, true))) return STALE;
  const orgId = await findOrganizationIdByClerkId(db, observation.clerkOrgId);
  const userId = await findUserIdByClerkId(db, observation.clerkUserId);
  if (!orgId || !userId) return applied();
  await db.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return applied([userId]);
}

/**
 * The user behind a verified session token, created on their first request. Undefined when Clerk
 * has deleted the account (a token issued before the deletion may still be within its lifetime).
 */
export async function provisionClerkUser(db: Database, clerkUserId: string, profile: () => Promise<ClerkProfile>): Promise<string | undefined> {
  const existing = await findUserIdByClerkId(db, clerkUserId);
  if (existing) return existing;
  if (await isDeletedInClerk(db, 'user', clerkUserId)) return undefined;
  const fetched = await profile();
  return db.transaction((tx) => ensureClerkUser(tx, clerkUserId, fetched));
}
