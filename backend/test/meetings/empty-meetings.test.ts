import { describe, expect, it } from 'vitest';
import { call, createTestApp, type SignedInUser } from '../helpers/test-app.js';
import { createMeetingsWorld, expectStatus, inMinutes, meetingRoomWorld } from './meetings-world.js';

/** An empty built-in mesh meeting stops being live once its last participant has been gone for the grace period. */

const GRACE_SECONDS = 1;

const world = meetingRoomWorld({ env: { MEETING_EMPTY_GRACE_SECONDS: String(GRACE_SECONDS) } });
const enter = async (user: SignedInUser, meetingId: string) => (await world.enter(user, meetingId)).socket;

async function statusOf(meetingId: string): Promise<string> {
  return (await expectStatus(call(world.app, world.people.host, 'GET', `/api/meetings/${meetingId}`), 200)).status;
}

async function liveIds(): Promise<string[]> {
  const list = await expectStatus(call(world.app, world.people.host, 'GET', `/api/meetings?orgId=${world.people.orgId}&scope=live`), 200);
  return list.meetings.map((meeting: { id: string }) => meeting.id);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a built-in mesh meeting nobody is in', () => {
  it('stays live while someone is in it, then ends after the grace period once the last person leaves', async () => {
    const meeting = await expectStatus(
      call(world.app, world.people.host, 'POST', '/api/meetings', { orgId: world.people.orgId, title: 'Quick sync', inviteeIds: [world.people.invitee.id] }),
      201,
    );
    const host = await enter(world.people.host, meeting.id);
    const invitee = await enter(world.people.invitee, meeting.id);
    const watcher = await world.signedInSocket(world.people.invitee);

    invitee.send({ type: 'meeting.leave', meetingId: meeting.id });
    await sleep(GRACE_SECONDS * 2000);
    expect(await statusOf(meeting.id)).toBe('live');

    host.send({ type: 'meeting.leave', meetingId: meeting.id });
    // Within the grace period it is still on: a reload or a dropped connection comes back into the same meeting.
    expect(await statusOf(meeting.id)).toBe('live');
    await expect.poll(() => statusOf(meeting.id), { timeout: 10_000, interval: 200 }).toBe('ended');
    expect(await liveIds()).not.toContain(meeting.id);
    // The invitee's app hears that it is over.
    expect(await watcher.next('meeting.ended', (frame) => frame.meetingId === meeting.id)).toMatchObject({ reason: 'ended' });
    const late = await call(world.app, world.people.invitee, 'POST', `/api/meetings/${meeting.id}/join`);
    expect(late.status).toBe(409);
  });

  it('stays live when the last person comes back within the grace period', async () => {
    const meeting = await expectStatus(call(world.app, world.people.host, 'POST', '/api/meetings', { orgId: world.people.orgId, title: 'Flaky wifi' }), 201);
    const first = await enter(world.people.host, meeting.id);
    first.close();
    await first.closed;
    await sleep(GRACE_SECONDS * 400);
    await enter(world.people.host, meeting.id);
    await sleep(GRACE_SECONDS * 2000);
    expect(await statusOf(meeting.id)).toBe('live');
  });

  it('puts an empty personal room back to waiting, ready for the next session', async () => {
    const room = await expectStatus(call(world.app, world.people.host, 'GET', `/api/meetings/personal-room?orgId=${world.people.orgId}`), 200);
    const host = await enter(world.people.host, room.id);
    expect(await statusOf(room.id)).toBe('live');
    host.send({ type: 'meeting.leave', meetingId: room.id });
    await expect.poll(() => statusOf(room.id), { timeout: 10_000, interval: 200 }).toBe('scheduled');
    expect(await liveIds()).not.toContain(room.id);
    await enter(world.people.host, room.id);
    expect(await statusOf(room.id)).toBe('live');
  });

  it('puts a scheduled meeting emptied before its time slot is over back to upcoming, so invitees can still come', async () => {
    const meeting = await expectStatus(
      call(world.app, world.people.host, 'POST', '/api/meetings', {
        orgId: world.people.orgId,
        title: 'Planning',
        startsAt: inMinutes(1),
        durationMinutes: 30,
        inviteeIds: [world.people.invitee.id],
      }),
      201,
    );
    const early = await enter(world.people.host, meeting.id);
    early.send({ type: 'meeting.leave', meetingId: meeting.id });
    await expect.poll(() => statusOf(meeting.id), { timeout: 10_000, interval: 200 }).toBe('scheduled');
    const upcoming = await expectStatus(call(world.app, world.people.invitee, 'GET', `/api/meetings?orgId=${world.people.orgId}&scope=upcoming`), 200);
    expect(upcoming.meetings.map((m: { id: string }) => m.id)).toContain(meeting.id);
    await enter(world.people.invitee, meeting.id);
    expect(await statusOf(meeting.id)).toBe('live');
  });
});

describe('an instant meeting nobody has come into yet', () => {
  it('waits for its host much longer than the grace period before it ends', async () => {
    let offsetMs = 0;
    const clocked = await createTestApp({ env: { MEETING_EMPTY_GRACE_SECONDS: '60' }, clock: () => Date.now() + offsetMs });
    try {
      const people = await createMeetingsWorld(clocked.app);
      const meeting = await expectStatus(call(clocked.app, people.host, 'POST', '/api/meetings', { orgId: people.orgId, title: 'Choosing a camera' }), 201);
      // Only the sweep sees the moved clock; requests go back to now, where the access token is valid.
      offsetMs = 5 * 60_000;
      expect(await clocked.app.emptyMeetings.runOnce()).toBe(0);
      offsetMs = 0;
      expect((await expectStatus(call(clocked.app, people.host, 'GET', `/api/meetings/${meeting.id}`), 200)).status).toBe('live');
      offsetMs = 16 * 60_000;
      expect(await clocked.app.emptyMeetings.runOnce()).toBe(1);
      offsetMs = 0;
      expect((await expectStatus(call(clocked.app, people.host, 'GET', `/api/meetings/${meeting.id}`), 200)).status).toBe('ended');
    } finally {
      await clocked.close();
    }
  });
});
