import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, signUp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { removeParticipant } from '../../src/modules/meetings/rooms-repository.js';
import { listenOnFreePort, TestSocket } from '../realtime/realtime-world.js';
import { createMeetingsWorld, expectStatus, type MeetingsWorld } from './meetings-world.js';

let clockMs = Date.now();
let t: TestApp;
let second: TestApp;
let wsUrl: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  t = await createTestApp({ clock: () => clockMs });
  second = await createTestApp({ clock: () => clockMs, database: t.database });
  wsUrl = await listenOnFreePort(t.app);
  await Promise.all([reminders(t).stop(), reminders(second).stop()]);
}, 300_000);
afterEach(async () => {
  const open = sockets.splice(0);
  for (const socket of open) socket.close();
  await Promise.all(open.map((socket) => socket.closed));
});
afterAll(async () => {
  await second?.close();
  await t?.close();
});

const minutes = (n: number) => n * 60_000;
const reminders = (app: TestApp) => {
  const service = app.app.meetingReminders;
  if (!service) throw new Error('reminders are not running');
  return service;
};

// Access tokens last fifteen minutes of the app's clock: each test signs its own people up, and
// moves the clock less than that.
/** A member of the world's organization with no meetings yet. */
async function newMember(w: MeetingsWorld, name: string): Promise<SignedInUser> {
  const user = await signUp(t.app, name);
  await expectStatus(call(t.app, w.admin, 'POST', `/api/orgs/${w.orgId}/members`, { email: user.email, role: 'member' }), 201);
  return user;
}

async function schedule(
  w: MeetingsWorld,
  host: SignedInUser,
  startInMinutes: number,
  title: string,
  inviteeIds: string[] = [],
  extra: Record<string, unknown> = {},
) {
  const body = { orgId: w.orgId, title, startsAt: new Date(clockMs + minutes(startInMinutes)).toISOString(), durationMinutes: 30, inviteeIds, ...extra };
  return expectStatus(call(t.app, host, 'POST', '/api/meetings', body), 201);
}

const next = async (user: SignedInUser, query = '') => expectStatus(call(t.app, user, 'GET', `/api/meetings/next${query}`), 200);

async function socketFor(user: SignedInUser) {
  const socket = await TestSocket.signedIn(wsUrl, user);
  sockets.push(socket);
  return socket;
}

describe('GET /api/meetings/next', () => {
  it('gives the meeting starting within ten minutes that the caller is invited to, and nothing further out', async () => {
    const w = await createMeetingsWorld(t.app);
    const [host, guest] = await Promise.all([newMember(w, 'Nia Next'), newMember(w, 'Gus Guest')]);
    expect(await next(guest)).toEqual({ meeting: null });
    const later = await schedule(w, host, 14, 'Later', [guest.id]);
    expect(await next(guest)).toEqual({ meeting: null });
    const soon = await schedule(w, host, 3, 'Soon', [guest.id]);
    expect((await next(guest)).meeting).toMatchObject({ id: soon.id, title: 'Soon', status: 'scheduled' });
    expect((await next(host)).meeting.id).toBe(soon.id);
    clockMs += minutes(10);
    // "Soon" began seven minutes ago and nobody joined; "Later" starts in four: the nearer start wins.
    expect((await next(guest)).meeting.id).toBe(later.id);
  });

  it('gives a live meeting, but not one the caller only could open by link, nor an ended or cancelled one', async () => {
    const w = await createMeetingsWorld(t.app);
    const [host, guest, bystander] = await Promise.all([newMember(w, 'Lia Live'), newMember(w, 'Gil Guest'), newMember(w, 'Bo Bystander')]);
    const instant = await expectStatus(call(t.app, host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Right now', inviteeIds: [guest.id] }), 201);
    expect((await next(guest)).meeting).toMatchObject({ id: instant.id, status: 'live' });
    // An open meeting of the organization: the bystander may join it by link, but it is not their meeting.
    expect(await next(bystander)).toEqual({ meeting: null });
    await expectStatus(call(t.app, host, 'POST', `/api/meetings/${instant.id}/end`), 200);
    expect(await next(guest)).toEqual({ meeting: null });
    const cancelled = await schedule(w, host, 5, 'Called off', [guest.id]);
    expect((await next(guest)).meeting.id).toBe(cancelled.id);
    expect((await call(t.app, host, 'DELETE', `/api/meetings/${cancelled.id}`)).status).toBe(204);
    expect(await next(guest)).toEqual({ meeting: null });
  });

  it('counts team meetings for the team, looks across the caller’s organizations, and narrows to one with orgId', async () => {
    const w = await createMeetingsWorld(t.app);
    const teamMeeting = await schedule(w, w.host, 3, 'Team sync', [], { teamId: w.teamId });
    expect((await next(w.teammate)).meeting.id).toBe(teamMeeting.id);
    expect((await next(w.teammate, `?orgId=${w.orgId}`)).meeting.id).toBe(teamMeeting.id);
    const elsewhere = await expectStatus(
      call(t.app, w.outsider, 'POST', '/api/meetings', { orgId: w.otherOrgId, title: 'Other org', startsAt: new Date(clockMs + minutes(2)).toISOString() }),
      201,
    );
    expect((await next(w.outsider)).meeting.id).toBe(elsewhere.id);
    expect(await next(w.teammate, `?orgId=${w.otherOrgId}`)).toEqual({ meeting: null });
  });

  it('leaves out a live meeting the host removed the caller from', async () => {
    const w = await createMeetingsWorld(t.app);
    const [host, guest] = await Promise.all([newMember(w, 'Rae Remover'), newMember(w, 'Reg Removed')]);
    const meeting = await expectStatus(call(t.app, host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Strict', inviteeIds: [guest.id] }), 201);
    await expectStatus(call(t.app, guest, 'POST', `/api/meetings/${meeting.id}/join`), 200);
    // The host removes people over the meeting's realtime room; this is what that records.
    await removeParticipant(t.database.db, meeting.id, guest.id, host.id, new Date(clockMs));
    expect(await next(guest)).toEqual({ meeting: null });
    expect((await next(host)).meeting.id).toBe(meeting.id);
  });

  it('refuses a malformed orgId and a caller without a session', async () => {
    const w = await createMeetingsWorld(t.app);
    const bad = await call(t.app, w.host, 'GET', '/api/meetings/next?orgId=nope');
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toMatch(/orgId/);
    expect((await t.app.inject({ method: 'GET', url: '/api/meetings/next' })).statusCode).toBe(401);
  });
});

describe('the reminder repeated at the start time', () => {
  it('reaches, once, the host and invitees who have neither joined nor dismissed it', async () => {
    const w = await createMeetingsWorld(t.app);
    const [host, joiner, dismisser, waiter] = await Promise.all([
      newMember(w, 'Hu Host'),
      newMember(w, 'Jo Joiner'),
      newMember(w, 'Di Dismisser'),
      newMember(w, 'Wa Waiter'),
    ]);
    const meeting = await schedule(w, host, 4, 'Planning', [joiner.id, dismisser.id, waiter.id]);
    const [hostSocket, joinerSocket, dismisserSocket, waiterSocket] = await Promise.all([host, joiner, dismisser, waiter].map(socketFor));
    const started = (frame: { notification: { meetingId?: string | null; kind: string } }) =>
      frame.notification.meetingId === meeting.id && frame.notification.kind === 'meeting_started';

    await expectStatus(call(t.app, dismisser, 'POST', `/api/meetings/${meeting.id}/reminder/dismiss`), 204);
    // Dismissing twice (two devices) is the same as once.
    await expectStatus(call(t.app, dismisser, 'POST', `/api/meetings/${meeting.id}/reminder/dismiss`), 204);
    await reminders(t).runStartOnce();
    expect(await waiterSocket!.receives('notify', started)).toBe(false);
    clockMs += minutes(4);
    await expectStatus(call(t.app, joiner, 'POST', `/api/meetings/${meeting.id}/join`), 200);

    await reminders(t).runStartOnce();
    const frame = await waiterSocket!.next('notify', started);
    expect(frame.notification).toMatchObject({ kind: 'meeting_started', meetingId: meeting.id, title: 'Planning', body: 'Starting now' });
    await hostSocket!.next('notify', started);
    expect(await joinerSocket!.receives('notify', started)).toBe(false);
    expect(await dismisserSocket!.receives('notify', started)).toBe(false);
    // Another instance coming round later finds it claimed: the claim time stays the first one's.
    const claimedAt = new Date(clockMs);
    clockMs += minutes(1);
    await Promise.all([reminders(second).runStartOnce(), reminders(t).runStartOnce()]);
    const row = await t.database.db.query.meetings.findFirst({ where: (meetings, { eq }) => eq(meetings.id, meeting.id) });
    expect(row?.startRemindedAt?.getTime()).toBe(claimedAt.getTime());
    expect(await waiterSocket!.receives('notify', started)).toBe(false);
  });

  it('is not sent for a meeting long past its start, and is sent again after a reschedule', async () => {
    const w = await createMeetingsWorld(t.app);
    const [host, guest] = await Promise.all([newMember(w, 'Po Past'), newMember(w, 'Ge Guest')]);
    const socket = await socketFor(guest);
    const started = (meetingId: string) => (frame: { notification: { meetingId?: string | null; kind: string } }) =>
      frame.notification.meetingId === meetingId && frame.notification.kind === 'meeting_started';
    const missed = await schedule(w, host, 1, 'Missed', [guest.id]);
    // The server was down through the start and ten more minutes: nobody is told it is starting now.
    clockMs += minutes(12);
    await reminders(t).runStartOnce();
    expect(await socket.receives('notify', started(missed.id))).toBe(false);
    const moved = await schedule(w, host, 2, 'Moved', [guest.id]);
    clockMs += minutes(2);
    await reminders(t).runStartOnce();
    await socket.next('notify', started(moved.id));
    await expectStatus(call(t.app, host, 'PATCH', `/api/meetings/${moved.id}`, { startsAt: new Date(clockMs + minutes(20)).toISOString() }), 200);
    clockMs += minutes(20);
    await reminders(t).runStartOnce();
    await socket.next('notify', started(moved.id));
  });

  it('lets only people who may see the meeting dismiss its reminder', async () => {
    const w = await createMeetingsWorld(t.app);
    const meeting = await schedule(w, w.host, 6, 'Private', [w.invitee.id], { inviteesOnly: true });
    expect((await call(t.app, w.bystander, 'POST', `/api/meetings/${meeting.id}/reminder/dismiss`)).status).toBe(403);
    expect((await call(t.app, w.outsider, 'POST', `/api/meetings/${meeting.id}/reminder/dismiss`)).status).toBe(404);
    expect((await call(t.app, w.invitee, 'POST', '/api/meetings/not-an-id/reminder/dismiss')).status).toBe(422);
  });
});
