import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { CallMemberState, CallOutcome } from '@collaro/shared';
import { channels } from './chat.js';
import { meetings } from './meetings.js';
import { memberships, organizations } from './organizations.js';
import { users } from './users.js';

/** A ringing call started from a direct message; it runs as `meetingId` (a meeting of kind `call`). */
export const calls = pgTable(
  'calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id').notNull(),
    meetingId: uuid('meeting_id')
      .notNull()
      .unique()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    callerId: uuid('caller_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ringsUntil: timestamp('rings_until', { withTimezone: true }).notNull(),
    /** Written once, by whoever settles the ringing (one conditional UPDATE, so one writer). */
    outcome: text('outcome').$type<CallOutcome>(),
    /** Set once the call is over; until then the conversation holds no other call. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.orgId, t.channelId], foreignColumns: [channels.orgId, channels.id] }).onDelete('cascade'),
    // Two people pressing Call in the same conversation at once get one call, not two.
    uniqueIndex('calls_one_open_per_channel')
      .on(t.channelId)
      .where(sql`${t.endedAt} is null`),
    index('calls_ringing_idx')
      .on(t.ringsUntil)
      .where(sql`${t.outcome} is null`),
    check('calls_outcome_check', sql`${t.outcome} in ('answered', 'declined', 'missed', 'cancelled')`),
  ],
);

/** Everyone a call concerns: the caller and each person rung, with where they stand. */
export const callMembers = pgTable(
  'call_members',
  {
    callId: uuid('call_id')
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id').notNull(),
    userId: uuid('user_id').notNull(),
    state: text('state').$type<CallMemberState>().notNull(),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.callId, t.userId] }),
    index('call_members_user_idx').on(t.userId),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [memberships.orgId, memberships.userId] }).onDelete('cascade'),
    check('call_members_state_check', sql`${t.state} in ('caller', 'ringing', 'accepted', 'declined', 'missed')`),
  ],
);
