import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { meetings } from './meetings.js';
import { users } from './users.js';

/**
 * A host's link that lets people without an account into one meeting as guests. Only the SHA-256
 * of its token is kept. It works while the meeting session it was made for goes on: once the
 * meeting ends (or a personal room's session ends) after `created_at`, it is dead.
 */
export const meetingGuestLinks = pgTable(
  'meeting_guest_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('meeting_guest_links_meeting_idx').on(t.meetingId)],
);

/**
 * Someone who came in through a guest link: a users row of their own (no email, no password, no
 * membership anywhere) so their place in the room and their chat lines have an author, and the
 * hash of the token their browser holds. The token is only good for this meeting, and only while
 * its link is.
 */
export const meetingGuests = pgTable(
  'meeting_guests',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id').notNull(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    linkId: uuid('link_id')
      .notNull()
      .references(() => meetingGuestLinks.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('meeting_guests_meeting_idx').on(t.meetingId)],
);
