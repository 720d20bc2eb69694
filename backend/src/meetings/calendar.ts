import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { meetingDeepLink, meetingJoinUrl } from '@collaro/shared';
import type { MeetingRow } from '../repositories/meetings-repository.js';

export interface CalendarPerson {
  id: string;
  name: string;
  email: string | null;
}

export interface CalendarMeeting {
  meeting: MeetingRow;
  host: CalendarPerson;
  invitees: CalendarPerson[];
}

const PRODUCT_ID = { company: 'Collaro', product: 'Collaro meetings', language: 'EN' };

/** The UID a meeting keeps in every calendar for its whole life, so updates replace the same entry. */
export function meetingUid(meeting: { id: string }, publicUrl: string): string {
  return `meeting-${meeting.id}@${new URL(publicUrl).hostname}`;
}

/**
 * Calendars address people by email; users from an identity provider may have none, so they get
 * an address under the server's host that identifies them without pretending to be deliverable.
 */
function emailOf(person: CalendarPerson, publicUrl: string): string {
  return person.email ?? `user-${person.id}@${new URL(publicUrl).hostname}`;
}

export function meetingDescription(meeting: MeetingRow, publicUrl: string): string {
  const lines = [
    meeting.description.trim(),
    `Join in the browser: ${meetingJoinUrl(publicUrl, meeting.id)}`,
    `Open in the Collaro app: ${meetingDeepLink(meeting.id)}`,
  ].filter(Boolean);
  return lines.join('\n\n');
}

function addEvent(calendar: ReturnType<typeof ical>, entry: CalendarMeeting, publicUrl: string) {
  const { meeting, host, invitees } = entry;
  const start = meeting.startsAt;
  const end = new Date(start.getTime() + meeting.durationMinutes * 60 * 1000);
  calendar.createEvent({
    id: meetingUid(meeting, publicUrl),
    sequence: meeting.sequence,
    stamp: meeting.updatedAt,
    created: meeting.createdAt,
    lastModified: meeting.updatedAt,
    start,
    end,
    summary: meeting.title,
    description: meetingDescription(meeting, publicUrl),
    url: meetingJoinUrl(publicUrl, meeting.id),
    location: meetingJoinUrl(publicUrl, meeting.id),
    status: meeting.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: host.name, email: emailOf(host, publicUrl) },
    attendees: invitees.map((person) => ({
      name: person.name,
      email: emailOf(person, publicUrl),
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: true,
    })),
  });
}

/**
 * One meeting's invitation (METHOD:REQUEST), or its cancellation (METHOD:CANCEL). Times are
 * written in UTC so every calendar places them the same way.
 */
export function meetingInviteIcs(entry: CalendarMeeting, publicUrl: string): string {
  const cancelled = entry.meeting.status === 'cancelled';
  const calendar = ical({
    prodId: PRODUCT_ID,
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    name: entry.meeting.title,
  });
  addEvent(calendar, entry, publicUrl);
  return calendar.toString();
}

/** A subscribable feed of a user's meetings (METHOD:PUBLISH); cancelled ones stay, marked cancelled. */
export function meetingFeedIcs(entries: CalendarMeeting[], publicUrl: string, ttlSeconds: number): string {
  const calendar = ical({
    prodId: PRODUCT_ID,
    method: ICalCalendarMethod.PUBLISH,
    name: 'Collaro meetings',
    ttl: ttlSeconds,
  });
  for (const entry of entries) addEvent(calendar, entry, publicUrl);
  return calendar.toString();
}
