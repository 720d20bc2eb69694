import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { OrgRole } from '@collaro/shared';
import { organizations } from './organizations.js';
import { users } from './users.js';

/**
 * Links that let someone join an organization. Only the SHA-256 of the token is kept, so the
 * table never holds a usable link. An invitation with an email is for that one person and is used
 * up once accepted; one without is a link to share, valid until it expires or is revoked.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    role: text('role').$type<OrgRole>().notNull(),
    email: text('email'),
    tokenHash: text('token_hash').notNull().unique(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    acceptedCount: integer('accepted_count').notNull().default(0),
  },
  (t) => [index('invitations_org_idx').on(t.orgId), check('invitations_role_check', sql`${t.role} in ('admin', 'member')`)],
);
