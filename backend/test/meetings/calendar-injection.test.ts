import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetingFeedIcs, meetingInviteIcs, type CalendarMeeting } from '../../src/modules/calendar/calendar.js';
import type { MeetingRow } from '../../src/modules/meetings/repository.js';
import { call, createTestApp, signUp, type TestApp } from '../helpers/test-app.js';
import { createMeetingsWorld, expectStatus, inMinutes, type MeetingsWorld } from './meetings-world.js';

const PUBLIC_URL = 'https://collaro.example.com';

/** Lines an attacker would like a calendar to read as properties and events of their own. */
const FORGED_EVENT = [
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:meeting-00000000-0000-4000-8000-000000000000@collaro.example.com',
  'STATUS:CANCELLED',
  'ORGANIZER:mailto:mallory@evil.example',
].join('\r\n');
/** A display name that would end the quoted CN parameter and supply another address. */
const ADDRESS_SWAP = 'Eve" :mailto:mallory@evil.example;X-A="';

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return { calendar, events: calendar.getAllSubcomponents('vevent') };
}

function people(vevent: ICAL.Component) {
  const organizer = vevent.getFirstProperty('organizer')!;
  return {
    organizer: { address: String(organizer.getFirstValue()).toLowerCase(), name: organizer.getParameter('cn') },
    attendees: vevent.getAllProperties('attendee').map((attendee) => ({
      address: String(attendee.getFirstValue()).toLowerCase(),
      name: attendee.getParameter('cn'),
    })),
  };
}

describe("calendar files cannot be forged through meeting text or people's names", () => {
  let t: TestApp;
  let w: MeetingsWorld;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_URL } });
    w = await createMeetingsWorld(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an invite and the webcal feed keep one event per meeting and every address, whatever the title, description and names say', async () => {
    const eve = await signUp(t.app, ADDRESS_SWAP);
    const caret = await signUp(t.app, 'Ca^ret \\ "Back\\slash" ^n O\'Brien');
    const { body: org } = await call(t.app, eve, 'POST', '/api/orgs', { name: 'Eve corp' });
    await expectStatus(call(t.app, eve, 'POST', `/api/orgs/${org.id}/members`, { email: caret.email, role: 'member' }), 201);
    await expectStatus(call(t.app, eve, 'POST', `/api/orgs/${org.id}/members`, { email: w.invitee.email, role: 'member' }), 201);
    const title = 'Plan; "all", hands \\ ^ \\n \\; end';
    const description = `Agenda\r\n${FORGED_EVENT}\nBEGIN:VALARM\r\n\\N; "quoted", ^' done\ttab`;
    const meeting = await expectStatus(
      call(t.app, eve, 'POST', '/api/meetings', {
        orgId: org.id,
        title,
        description,
        startsAt: inMinutes(90),
        inviteeIds: [caret.id, w.invitee.id],
      }),
      201,
    );

    const invite = await t.app.inject({ method: 'GET', url: `/api/meetings/${meeting.id}/invite.ics`, headers: eve.headers });
    expect(invite.statusCode).toBe(200);
    const issued = await expectStatus(call(t.app, caret, 'POST', '/api/me/calendar-token'), 201);
    const feed = await t.app.inject({ method: 'GET', url: new URL(issued.feedUrl).pathname });
    expect(feed.statusCode).toBe(200);

    for (const text of [invite.body, feed.body]) {
      const { calendar, events } = parse(text);
      expect(events).toHaveLength(1);
      expect(calendar.getAllSubcomponents('valarm')).toHaveLength(0);
      const event = new ICAL.Event(events[0]);
      expect(event.uid).toBe(`meeting-${meeting.id}@collaro.example.com`);
      expect(events[0]!.getFirstPropertyValue('status')).toBe('CONFIRMED');
      expect(event.summary).toBe(title);
      expect(event.description.startsWith(description.replace(/\r\n/g, '\n'))).toBe(true);
      expect(people(events[0]!)).toEqual({
        organizer: { address: `mailto:${eve.email}`, name: ADDRESS_SWAP },
        attendees: expect.arrayContaining([
          { address: `mailto:${caret.email}`, name: 'Ca^ret \\ "Back\\slash" ^n O\'Brien' },
          { address: `mailto:${w.invitee.email}`, name: 'Ivy Invitee' },
        ]),
      });
      expect(people(events[0]!).attendees).toHaveLength(2);
    }
    // ical.js leaves the value of a property it does not know as written: decode it as TEXT.
    const calendarName = String(parse(invite.body).calendar.getFirstPropertyValue('x-wr-calname'));
    expect(ICAL.design.icalendar.value.text!.fromICAL!(calendarName)).toBe(title);
  });
});

describe("calendar text stored before today's input rules", () => {
  const at = new Date('2031-05-06T07:08:09Z');
  const row = (title: string, description: string): MeetingRow => ({
    id: '3b0c1c55-5f0e-4c4e-9d6e-6a1f0e2d9b10',
    orgId: 'a5a5a5a5-0000-4000-8000-000000000001',
    teamId: null,
    kind: 'scheduled',
    title,
    description,
    startsAt: at,
    durationMinutes: 30,
    hostId: 'a5a5a5a5-0000-4000-8000-000000000002',
    inviteesOnly: false,
    status: 'scheduled',
    provider: 'local',
    providerCallId: null,
    sequence: 0,
    remindedAt: null,
    startRemindedAt: null,
    startedAt: null,
    endedAt: null,
    recordingReadyAt: null,
    createdAt: at,
    updatedAt: at,
  });
  const entry = (title: string, description: string, hostName: string, inviteeName: string): CalendarMeeting => ({
    meeting: row(title, description),
    host: { id: 'a5a5a5a5-0000-4000-8000-000000000002', name: hostName, email: 'host@collaro.example.com' },
    invitees: [{ id: 'a5a5a5a5-0000-4000-8000-000000000003', name: inviteeName, email: null }],
  });

  it('line breaks, NUL and other control characters in a title or name neither add events nor move addresses', () => {
    const hostile = entry(
      `Weekly\r\n${FORGED_EVENT}\r\nSUMMARY:x\u0000\u0007\u001b[31m\u2028\u0085END:VCALENDAR`,
      `first\u0000line\r${FORGED_EVENT}`,
      `Hal\r\nATTENDEE:mailto:mallory@evil.example\u0000`,
      `Ivy\n${ADDRESS_SWAP}\u000b`,
    );
    for (const text of [meetingInviteIcs(hostile, PUBLIC_URL), meetingFeedIcs([hostile, hostile], PUBLIC_URL, 3600)]) {
      expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/);
      expect(text.split('\r\n').filter((line) => line.startsWith('BEGIN:VCALENDAR'))).toHaveLength(1);
      const { events } = parse(text);
      for (const vevent of events) {
        expect(new ICAL.Event(vevent).uid).toBe('meeting-3b0c1c55-5f0e-4c4e-9d6e-6a1f0e2d9b10@collaro.example.com');
        expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
        expect(people(vevent)).toEqual({
          organizer: { address: 'mailto:host@collaro.example.com', name: 'Hal\nATTENDEE:mailto:mallory@evil.example' },
          attendees: [{ address: 'mailto:user-a5a5a5a5-0000-4000-8000-000000000003@collaro.example.com', name: `Ivy\n${ADDRESS_SWAP}` }],
        });
        expect(new ICAL.Event(vevent).summary).toBe(`Weekly\n${FORGED_EVENT.replace(/\r\n/g, '\n')}\nSUMMARY:x[31m\n\nEND:VCALENDAR`);
      }
      expect(events).toHaveLength(text.includes('METHOD:PUBLISH') ? 2 : 1);
    }
  });
});
