import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { listenOnFreePort, TestSocket } from '../realtime/realtime-world.js';
import { createMeetingsWorld, expectStatus, type MeetingsWorld } from './meetings-world.js';

let clockMs = Date.now();
let t: TestApp;
let second: TestApp;
let w: MeetingsWorld;
let wsUrl: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  t = await createTestApp({ clock: () => clockMs });
  // A second backend instance on the same database, as in a scaled-out deployment.
  second = await createTestApp({ clock: () => clockMs, database: t.database });
  w = await createMeetingsWorld(t.app);
  wsUrl = await listenOnFreePort(t.app);
  // The tests drive the checks themselves, with the injected clock; the periodic ones would race them.
  await Promise.all([reminders(t).stop(), reminders(second).stop()]);
});
afterEach(async () => {
  const open = sockets.splice(0);
  for (const socket of open) socket.close();
  await Promise.all(open.map((socket) => socket.closed));
});
afterAll(async () => {
  await second?.close();
  await t?.close();
});

async function socketFor(user: SignedInUser) {
  const socket = await TestSocket.signedIn(wsUrl, user);
  sockets.push(socket);
  return socket;
}

const minutes = (n: number) => n * 60_000;
const reminders = (app: TestApp) => {
  const service = app.app.meetingReminders;
  if (!service) throw new Error('reminders are not running');
  return service;
};

async function scheduleIn(startInMinutes: number, title: string) {
  return expectStatus(
    call(t.app, w.host, 'POST', '/api/meetings', {
      orgId: w.orgId,
      title,
      startsAt: new Date(clockMs + minutes(startInMinutes)).toISOString(),
      inviteeIds: [w.invitee.id],
    }),
    201,
  );
}

describe('meeting reminders', () => {
  it('notifies host and invitees five minutes before, exactly once, and nobody else', async () => {
    const meeting = await scheduleIn(12, 'Design review');
    const [invitee, host, bystander] = await Promise.all([socketFor(w.invitee), socketFor(w.host), socketFor(w.bystander)]);

    expect(await reminders(t).runOnce()).toBe(0);
    expect(await invitee.receives('notify')).toBe(false);

    clockMs += minutes(8);
    expect(await reminders(t).runOnce()).toBe(1);
    const frame = await invitee.next('notify', (f) => f.notification.meetingId === meeting.id);
    expect(frame.notification).toMatchObject({
      kind: 'meeting_reminder',
      orgId: w.orgId,
      meetingId: meeting.id,
      title: 'Design review',
      body: 'Starts in 4 minutes',
    });
    await host.next('notify', (f) => f.notification.meetingId === meeting.id);
    expect(await bystander.receives('notify', (f) => f.notification.meetingId === meeting.id)).toBe(false);

    expect(await reminders(t).runOnce()).toBe(0);
    expect(await reminders(second).runOnce()).toBe(0);
    expect(await invitee.receives('notify', (f) => f.notification.meetingId === meeting.id)).toBe(false);
  });

  it('lets only one of several instances send each reminder', async () => {
    const meetings = await Promise.all([scheduleIn(7, 'One'), scheduleIn(8, 'Two'), scheduleIn(9, 'Three')]);
    clockMs += minutes(5);
    const counts = await Promise.all([reminders(t).runOnce(), reminders(second).runOnce(), reminders(t).runOnce(), reminders(second).runOnce()]);
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(3);
    const rows = await t.database.db.query.meetings.findMany();
    for (const meeting of meetings) expect(rows.find((row) => row.id === meeting.id)?.remindedAt).toBeInstanceOf(Date);
  });

  it('reminds again after a reschedule, and never for a cancelled meeting', async () => {
    const moved = await scheduleIn(3, 'Moved');
    const cancelled = await scheduleIn(4, 'Called off');
    const invitee = await socketFor(w.invitee);
    expect(await reminders(t).runOnce()).toBe(2);
    await invitee.next('notify', (f) => f.notification.meetingId === moved.id);
    await invitee.next('notify', (f) => f.notification.meetingId === cancelled.id);

    await expectStatus(call(t.app, w.host, 'PATCH', `/api/meetings/${moved.id}`, { startsAt: new Date(clockMs + minutes(30)).toISOString() }), 200);
    await expectStatus(call(t.app, w.host, 'PATCH', `/api/meetings/${cancelled.id}`, { startsAt: new Date(clockMs + minutes(30)).toISOString() }), 200);
    expect((await call(t.app, w.host, 'DELETE', `/api/meetings/${cancelled.id}`)).status).toBe(204);
    clockMs += minutes(27);
    expect(await reminders(t).runOnce()).toBe(1);
    const again = await invitee.next('notify', (f) => f.notification.meetingId === moved.id);
    expect(again.notification.body).toBe('Starts in 3 minutes');
    expect(await invitee.receives('notify', (f) => f.notification.meetingId === cancelled.id)).toBe(false);
  });
});
