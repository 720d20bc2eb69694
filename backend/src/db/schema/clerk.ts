import { bigint, boolean, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Every Clerk webhook delivery already applied, by its `svix-id`, so that a retried or replayed
 * delivery changes nothing the second time. Rows older than the retention are pruned.
 */
export const clerkWebhookDeliveries = pgTable(
  'clerk_webhook_deliveries',
  {
    svixId: text('svix_id').primaryKey(),
    eventType: text('event_type').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('clerk_webhook_deliveries_received_idx').on(t.receivedAt)],
);

/**
 * When Clerk last told us about a user or an organization, and whether it was deleted. Webhooks
 * can arrive late and out of order; an event older than what was already applied is ignored, and a
 * deletion is remembered so an older event or session token cannot bring the object back.
 */
export const clerkObjectVersions = pgTable(
  'clerk_object_versions',
  {
    kind: text('kind').$type<'user' | 'organization'>().notNull(),
    clerkId: text('clerk_id').notNull(),
    /** Clerk's time for the observation, in milliseconds since the epoch. */
    observedAtMs: bigint('observed_at_ms', { mode: 'number' }).notNull(),
    deleted: boolean('deleted').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.kind, t.clerkId] })],
);

/**
 * The same bookkeeping for organization memberships, whose role can come from two sources: a
 * webhook (timestamped by Clerk when the change happened) or a session token (timestamped by `iat`).
 * Keyed by Clerk ids so it works before the local user or organization rows exist.
 */
export const clerkMembershipVersions = pgTable(
  'clerk_membership_versions',
  {
    clerkOrgId: text('clerk_org_id').notNull(),
    clerkUserId: text('clerk_user_id').notNull(),
    observedAtMs: bigint('observed_at_ms', { mode: 'number' }).notNull(),
    source: text('source').$type<'webhook' | 'token'>().notNull(),
    deleted: boolean('deleted').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.clerkOrgId, t.clerkUserId] }), index('clerk_membership_versions_user_idx').on(t.clerkUserId)],
);
