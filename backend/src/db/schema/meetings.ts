import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { MeetingKind, MeetingStatus, VideoProviderName } from '@collaro/shared';
import { memberships, organizations } from './organizations.js';
import { teams } from './teams.js';
import { users } from './users.js';

export const meetings = pgTable(
  'meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id'),
    kind: text('kind').$type<MeetingKind>().notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    hostId: uuid('host_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status').$type<MeetingStatus>().notNull(),
    provider: text('provider').$type<VideoProviderName>().notNull(),
    /** The call's id at the video provider (Stream); null for the built-in mesh. */
    providerCallId: text('provider_call_id'),
    /**
     * False (the default): anyone in the organization who has the link may join. True: only the
     * host, the invitees (for a team meeting, its team too) and organization admins.
     */
    inviteesOnly: boolean('invitees_only').notNull().default(false),
    /** Raised on every change the invitees' calendars must pick up (iCalendar SEQUENCE). */
    sequence: integer('sequence').notNull().default(0),
    /** Claimed by exactly one backend instance when it sends the five-minute reminder. */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    /** Claimed by exactly one backend instance when it repeats the reminder at the start time. */
    startRemindedAt: timestamp('start_reminded_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    recordingReadyAt: timestamp('recording_ready_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('meetings_org_starts_idx').on(t.orgId, t.startsAt),
    index('meetings_host_idx').on(t.hostId),
    index('meetings_reminder_idx')
      .on(t.startsAt)
      .where(sql`${t.status} = 'scheduled' and ${t.remindedAt} is null`),
    // One personal room per user per organization, so its id (and link) never changes.
    uniqueIndex('meetings_personal_room_unique')
      .on(t.orgId, t.hostId)
      .where(sql`${t.kind} = 'personal'`),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }).onDelete('cascade'),
    check('meetings_kind_check', sql`${t.kind} in ('instant', 'scheduled', 'personal', 'call')`),
    check('meetings_status_check', sql`${t.status} in ('scheduled', 'live', 'ended', 'cancelled')`),
    check('meetings_provider_check', sql`${t.provider} in ('local', 'stream')`),
    check('meetings_duration_check', sql`${t.durationMinutes} between 1 and 1440`),
  ],
);

export const meetingInvitees = pgTable(
  'meeting_invitees',
  {
    orgId: uuid('org_id').notNull(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.meetingId, t.userId] }),
    index('meeting_invitees_user_idx').on(t.userId),
    // An invitee who leaves the organization stops being invited to its meetings.
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [memberships.orgId, memberships.userId] }).onDelete('cascade'),
  ],
);

/** A person who dismissed a meeting's reminder: it is not repeated to them at the start time. */
export const meetingReminderDismissals = pgTable(
  'meeting_reminder_dismissals',
  {
    orgId: uuid('org_id').notNull(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    dismissedAt: timestamp('dismissed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.userId] })],
);

/** One row per time a user joined a meeting; `leftAt` null while they are in it. */
export const meetingParticipants = pgTable(
  'meeting_participants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the user's realtime connection entered the meeting room (built-in mesh only). */
    connectedAt: timestamp('connected_at', { withTimezone: true }),
    /** The one gateway connection that carries this user's signaling in the meeting. */
    connectionId: text('connection_id'),
    audioMuted: boolean('audio_muted').notNull().default(false),
    videoMuted: boolean('video_muted').notNull().default(false),
    screenSharing: boolean('screen_sharing').notNull().default(false),
    /** Set when the host (or an admin) removed the user; they cannot join again during this session. */
    removedBy: uuid('removed_by'),
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  (t) => [
    index('meeting_participants_meeting_idx').on(t.meetingId),
    uniqueIndex('meeting_participants_open_unique')
      .on(t.meetingId, t.userId)
      .where(sql`${t.leftAt} is null`),
  ],
);

/** A user's calendar feed secret, stored only as a hash; rotating replaces the row. */
export const calendarFeedTokens = pgTable('calendar_feed_tokens', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
