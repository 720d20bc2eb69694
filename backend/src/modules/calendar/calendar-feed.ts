import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/client.js';
import { findUserIdByCalendarTokenHash, setCalendarTokenHash } from './repository.js';
import { listFeedMeetings, listInviteeIds, listUsersByIds, type MeetingRow } from '../meetings/repository.js';
import { meetingFeedIcs, type CalendarMeeting, type CalendarPerson } from './calendar.js';

export const CALENDAR_FEED_TTL_SECONDS = 15 * 60;

/** Only the hash of a feed token is stored: a leaked table row cannot be turned into a feed URL. */
export function hashCalendarToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Meetings with their host and invitees, as calendar files list them. */
export async function calendarEntries(db: Queryable, rows: MeetingRow[]): Promise<CalendarMeeting[]> {
  const invitees = await listInviteeIds(
    db,
    rows.map((row) => row.id),
  );
  const ids = new Set<string>();
  for (const row of rows) {
    ids.add(row.hostId);
    for (const id of invitees.get(row.id) ?? []) ids.add(id);
  }
  const people = new Map<string, CalendarPerson>((await listUsersByIds(db, [...ids])).map((person) => [person.id, person]));
  const person = (id: string): CalendarPerson => people.get(id) ?? { id, name: 'Former member', email: null };
  return rows.map((meeting) => ({
    meeting,
    host: person(meeting.hostId),
    invitees: (invitees.get(meeting.id) ?? []).map(person),
  }));
}

/** Issues a new feed token; the previous one stops working in the same statement. */
export async function issueCalendarToken(db: Queryable, publicUrl: string, userId: string) {
  const token = randomBytes(32).toString('base64url');
  await setCalendarTokenHash(db, userId, hashCalendarToken(token));
  const feedUrl = `${publicUrl}/api/calendar/feed/${token}.ics`;
  return { token, feedUrl, webcalUrl: feedUrl.replace(/^https?:/, 'webcal:') };
}

/** The feed for a token, or undefined when no user holds it (never issued, or rotated away). */
export async function calendarFeedIcs(db: Queryable, publicUrl: string, now: Date, token: string): Promise<string | undefined> {
  const userId = await findUserIdByCalendarTokenHash(db, hashCalendarToken(token));
  if (!userId) return undefined;
  const rows = await listFeedMeetings(db, userId, now);
  return meetingFeedIcs(await calendarEntries(db, rows), publicUrl, CALENDAR_FEED_TTL_SECONDS);
}
