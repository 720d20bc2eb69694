import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeepLink, parseJoinUrl } from '@collaro/shared';
import { call, createTestApp, type TestApp } from '../helpers/test-app.js';
import { createMeetingsWorld, expectStatus, inMinutes, type MeetingsWorld } from './meetings-world.js';

const PUBLIC_URL = 'https://collaro.example.com';
let t: TestApp;
let w: MeetingsWorld;

beforeAll(async () => {
  t = await createTestApp({ env: { PUBLIC_URL } });
  w = await createMeetingsWorld(t.app);
});
afterAll(async () => {
  await t?.close();
});

function parseCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent');
  return { calendar, events };
}

/** The mailto: scheme is case-insensitive (RFC 6068); compare addresses without caring. */
const address = (value: unknown) => String(value).replace(/^mailto:/i, 'mailto:');

function eventFields(vevent: ICAL.Component) {
  const event = new ICAL.Event(vevent);
  const organizer = vevent.getFirstProperty('organizer')!;
  return {
    uid: event.uid,
    sequence: event.sequence,
    summary: event.summary,
    description: event.description,
    url: vevent.getFirstPropertyValue('url'),
    status: vevent.getFirstPropertyValue('status'),
    start: event.startDate,
    end: event.endDate,
    organizer: { value: address(organizer.getFirstValue()), name: organizer.getParameter('cn') },
    attendees: vevent.getAllProperties('attendee').map((attendee) => ({
      value: address(attendee.getFirstValue()),
      name: attendee.getParameter('cn'),
      rsvp: attendee.getParameter('rsvp'),
    })),
  };
}

async function inviteOf(meetingId: string, user = w.host) {
  const response = await t.app.inject({ method: 'GET', url: `/api/meetings/${meetingId}/invite.ics`, headers: user.headers });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
  return { ...parseCalendar(response.body), text: response.body };
}

describe('meeting invitation (invite.ics)', () => {
  it('carries every field a calendar needs, and survives a reschedule and a cancel with the same UID', async () => {
    const startsAt = '2031-03-04T09:30:00.000Z';
    const meeting = await expectStatus(
      call(t.app, w.host, 'POST', '/api/meetings', {
        orgId: w.orgId,
        title: 'Quarterly planning',
        description: 'Bring your roadmap.',
        startsAt: '2031-03-04T10:30:00+01:00',
        durationMinutes: 90,
        inviteeIds: [w.invitee.id, w.teammate.id],
      }),
      201,
    );
    const joinUrl = `${PUBLIC_URL}/m/${meeting.id}`;
    const deepLink = `collaro://meeting/${meeting.id}`;

    const first = await inviteOf(meeting.id);
    expect(first.calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(first.events).toHaveLength(1);
    // UTC form (trailing Z), not floating or zoned local time.
    expect(first.text).toMatch(/^DTSTART:20310304T093000Z\r?$/m);
    expect(first.text).toMatch(/^DTEND:20310304T110000Z\r?$/m);
    const original = eventFields(first.events[0]!);
    expect(original.uid).toBe(`meeting-${meeting.id}@collaro.example.com`);
    expect(original.sequence).toBe(0);
    expect(original.summary).toBe('Quarterly planning');
    expect(original.start.isDate).toBe(false);
    expect(original.start.zone?.tzid).toBe('UTC');
    expect(original.start.toJSDate().toISOString()).toBe(startsAt);
    expect(original.end.zone?.tzid).toBe('UTC');
    expect(original.end.toJSDate().toISOString()).toBe('2031-03-04T11:00:00.000Z');
    expect(original.url).toBe(joinUrl);
    expect(original.description).toContain('Bring your roadmap.');
    expect(original.description).toContain(joinUrl);
    expect(original.description).toContain(deepLink);
    expect(original.status).toBe('CONFIRMED');
    expect(original.organizer).toEqual({ value: `mailto:${w.host.email}`, name: 'Hal Host' });
    expect(original.attendees).toEqual(
      expect.arrayContaining([
        { value: `mailto:${w.invitee.email}`, name: 'Ivy Invitee', rsvp: 'TRUE' },
        { value: `mailto:${w.teammate.email}`, name: 'Tom Teammate', rsvp: 'TRUE' },
      ]),
    );
    expect(original.attendees).toHaveLength(2);
    // Both links in the invitation are ones Collaro itself accepts.
    expect(parseJoinUrl(original.url as string, PUBLIC_URL)).toEqual({ ok: true, link: { kind: 'meeting', meetingId: meeting.id } });
    expect(parseDeepLink(deepLink, PUBLIC_URL)).toEqual({ ok: true, link: { kind: 'meeting', meetingId: meeting.id } });

    // Invitees get the same invitation.
    expect(eventFields((await inviteOf(meeting.id, w.invitee)).events[0]!).uid).toBe(original.uid);

    await expectStatus(
      call(t.app, w.host, 'PATCH', `/api/meetings/${meeting.id}`, { startsAt: '2031-03-05T14:00:00Z', durationMinutes: 30, title: 'Planning (moved)' }),
      200,
    );
    const moved = eventFields((await inviteOf(meeting.id)).events[0]!);
    expect(moved.uid).toBe(original.uid);
    expect(moved.sequence).toBe(1);
    expect(moved.summary).toBe('Planning (moved)');
    expect(moved.start.toJSDate().toISOString()).toBe('2031-03-05T14:00:00.000Z');
    expect(moved.end.toJSDate().toISOString()).toBe('2031-03-05T14:30:00.000Z');

    await expectStatus(call(t.app, w.host, 'PATCH', `/api/meetings/${meeting.id}`, { inviteeIds: [w.invitee.id] }), 200);
    const fewer = eventFields((await inviteOf(meeting.id)).events[0]!);
    expect(fewer.sequence).toBe(2);
    expect(fewer.attendees).toEqual([{ value: `mailto:${w.invitee.email}`, name: 'Ivy Invitee', rsvp: 'TRUE' }]);

    expect((await call(t.app, w.host, 'DELETE', `/api/meetings/${meeting.id}`)).status).toBe(204);
    const cancelled = await inviteOf(meeting.id);
    expect(cancelled.calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    const cancelledEvent = eventFields(cancelled.events[0]!);
    expect(cancelledEvent.uid).toBe(original.uid);
    expect(cancelledEvent.sequence).toBe(3);
    expect(cancelledEvent.status).toBe('CANCELLED');
  });

  it('is only for people who may see the meeting', async () => {
    const meeting = await expectStatus(
      call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Private', startsAt: inMinutes(60), inviteesOnly: true }),
      201,
    );
    expect((await call(t.app, w.bystander, 'GET', `/api/meetings/${meeting.id}/invite.ics`)).status).toBe(403);
    expect((await call(t.app, w.outsider, 'GET', `/api/meetings/${meeting.id}/invite.ics`)).status).toBe(404);
    expect((await call(t.app, null, 'GET', `/api/meetings/${meeting.id}/invite.ics`)).status).toBe(401);
  });
});

describe('calendar feed', () => {
  it("serves the user's meetings at a secret URL, and rotation kills the old URL at once", async () => {
    const meeting = await expectStatus(
      call(t.app, w.host, 'POST', '/api/meetings', {
        orgId: w.orgId,
        title: 'Feed meeting',
        startsAt: inMinutes(120),
        inviteeIds: [w.invitee.id],
      }),
      201,
    );
    const notMine = await expectStatus(
      call(t.app, w.bystander, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Not for the invitee', startsAt: inMinutes(120) }),
      201,
    );
    const cancelled = await expectStatus(
      call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Called off', startsAt: inMinutes(180), inviteeIds: [w.invitee.id] }),
      201,
    );
    await call(t.app, w.host, 'DELETE', `/api/meetings/${cancelled.id}`);

    expect((await call(t.app, null, 'POST', '/api/me/calendar-token')).status).toBe(401);
    const issued = await expectStatus(call(t.app, w.invitee, 'POST', '/api/me/calendar-token'), 201);
    expect(issued.feedUrl).toBe(`${PUBLIC_URL}/api/calendar/feed/${issued.token}.ics`);
    expect(issued.webcalUrl).toBe(`webcal://collaro.example.com/api/calendar/feed/${issued.token}.ics`);

    const feedPath = (token: string) => `/api/calendar/feed/${token}.ics`;
    const response = await t.app.inject({ method: 'GET', url: feedPath(issued.token) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const feed = parseCalendar(response.body);
    expect(feed.calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    const byUid = new Map(feed.events.map((vevent) => [eventFields(vevent).uid, eventFields(vevent)]));
    const entry = byUid.get(`meeting-${meeting.id}@collaro.example.com`);
    expect(entry?.summary).toBe('Feed meeting');
    expect(entry?.url).toBe(`${PUBLIC_URL}/m/${meeting.id}`);
    expect(entry?.description).toContain(`collaro://meeting/${meeting.id}`);
    expect(byUid.has(`meeting-${notMine.id}@collaro.example.com`)).toBe(false);
    expect(byUid.get(`meeting-${cancelled.id}@collaro.example.com`)?.status).toBe('CANCELLED');

    const rotated = await expectStatus(call(t.app, w.invitee, 'POST', '/api/me/calendar-token'), 201);
    expect(rotated.token).not.toBe(issued.token);
    const old = await t.app.inject({ method: 'GET', url: feedPath(issued.token) });
    expect(old.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: feedPath(rotated.token) })).statusCode).toBe(200);

    const malformed = await t.app.inject({ method: 'GET', url: '/api/calendar/feed/short.ics' });
    expect(malformed.statusCode).toBe(422);
  });

  it('stores only a hash of the token', async () => {
    const issued = await expectStatus(call(t.app, w.teammate, 'POST', '/api/me/calendar-token'), 201);
    const rows = await t.database.db.query.calendarFeedTokens.findMany();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.tokenHash).not.toContain(issued.token);
    expect(rows.some((row) => row.tokenHash.length === 64)).toBe(true);
  });
});

describe('join page (/m/:id)', () => {
  it('tries the desktop app and offers the browser, under a CSP that allows only its own script', async () => {
    const id = '6f1e1a52-4a34-4c1b-9a53-0d3c1a2b3c4d';
    const response = await t.app.inject({ method: 'GET', url: `/m/${id}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain(`href="collaro://meeting/${id}"`);
    expect(response.body).toContain(`href="/meetings/${id}"`);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    const script = /<script>(.*)<\/script>/.exec(response.body)?.[1] ?? '';
    const { createHash } = await import('node:crypto');
    expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  });

  it('answers 404 for a link that names no meeting', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/m/not-a-meeting' });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('collaro://');
  });
});
