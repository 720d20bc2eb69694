import { randomBytes } from 'node:crypto';
import ical, { escape, foldLines, ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { meetingDeepLink, meetingJoinUrl } from '@collaro/shared';
import type { MeetingRow } from '../meetings/repository.js';

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

/**
 * RFC 5545 text holds no control character but tab; line breaks survive as escaped `\n`. The
 * breaks that are not CR or LF (NEL, U+2028, U+2029) become plain line breaks too, so no reader
 * that honours them can take the rest of a title for a property of its own. Meeting titles and
 * names are refused with control characters today; text stored earlier, or synced from an
 * identity provider, still passes through here.
 */
export function calendarText(value: string): string {
  return value.replace(/\r\n|[\r\u0085\u2028\u2029]/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** A quoted parameter value (RFC 6868): `^` `"` and line breaks as `^^` `^'` `^n`. */
function parameterText(value: string): string {
  return calendarText(value).replace(/\^/g, '^^').replace(/"/g, "^'").replace(/\n/g, '^n');
}

/**
 * ical-generator 10 writes quoted parameters (the CN of an organizer or attendee) with backslash
 * escapes, which iCalendar does not have: a `"` in a display name would close the parameter and
 * the rest of the name could set the address. Version 11 encodes them per RFC 6868 but needs
 * Node 22. So names enter the generator as tokens no text can contain (a random nonce), and the
 * finished calendar gets the RFC 6868 encoded names in their place.
 */
class QuotedParameters {
  private readonly nonce = randomBytes(12).toString('hex');
  private readonly values: string[] = [];

  token(value: string): string {
    this.values.push(parameterText(value));
    return `collaro${this.nonce}p${this.values.length - 1}`;
  }

  fillIn(ics: string): string {
    const unfolded = ics.replace(/\r\n[ \t]/g, '');
    const pattern = new RegExp(`"collaro${this.nonce}p(\\d+)"`, 'g');
    return foldLines(unfolded.replace(pattern, (_, index: string) => `"${this.values[Number(index)]}"`));
  }
}

export function meetingDescription(meeting: MeetingRow, publicUrl: string): string {
  const lines = [
    calendarText(meeting.description).trim(),
    `Join in the browser: ${meetingJoinUrl(publicUrl, meeting.id)}`,
    `Open in the Collaro app: ${meetingDeepLink(meeting.id)}`,
  ].filter(Boolean);
  return lines.join('\n\n');
}

function addEvent(calendar: ReturnType<typeof ical>, entry: CalendarMeeting, publicUrl: string, names: QuotedParameters) {
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
    summary: calendarText(meeting.title),
    description: meetingDescription(meeting, publicUrl),
    url: meetingJoinUrl(publicUrl, meeting.id),
    location: meetingJoinUrl(publicUrl, meeting.id),
    status: meeting.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: names.token(host.name), email: emailOf(host, publicUrl) },
    attendees: invitees.map((person) => ({
      name: names.token(person.name),
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
    // ical-generator writes the calendar name as it is given: escaped here.
    name: escape(calendarText(entry.meeting.title), false),
  });
  const names = new QuotedParameters();
  addEvent(calendar, entry, publicUrl, names);
  return names.fillIn(calendar.toString());
}

/** A subscribable feed of a user's meetings (METHOD:PUBLISH); cancelled ones stay, marked cancelled. */
export function meetingFeedIcs(entries: CalendarMeeting[], publicUrl: string, ttlSeconds: number): string {
  const calendar = ical({
    prodId: PRODUCT_ID,
    method: ICalCalendarMethod.PUBLISH,
    name: 'Collaro meetings',
    ttl: ttlSeconds,
  });
  const names = new QuotedParameters();
  for (const entry of entries) addEvent(calendar, entry, publicUrl, names);
  return names.fillIn(calendar.toString());
}
