import { describe, expect, it } from 'vitest';
import { call, type SignedInUser } from '../helpers/test-app.js';
import { TestSocket } from '../realtime/realtime-world.js';
import { expectStatus, meetingRoomWorld } from './meetings-world.js';

/** A removal keeps someone out of the current session only, and the host can see and lift it. */

const world = meetingRoomWorld();
const enter = async (user: SignedInUser, meetingId: string) => (await world.enter(user, meetingId)).socket;

async function removeFromRoom(host: TestSocket, meetingId: string, user: SignedInUser) {
  host.send({ type: 'meeting.remove', meetingId, userId: user.id });
  await host.next('meeting.participants', (frame) => frame.meetingId === meetingId && !frame.participants.some((p) => p.userId === user.id));
}

describe('removing someone from a personal room', () => {
  it('keeps them out for the rest of the session only: the next session lets them in', async () => {
    const room = await expectStatus(call(world.app, world.people.host, 'GET', `/api/meetings/personal-room?orgId=${world.people.orgId}`), 200);
    const host = await enter(world.people.host, room.id);
    await enter(world.people.bystander, room.id);
    await removeFromRoom(host, room.id, world.people.bystander);
    const refused = await call(world.app, world.people.bystander, 'POST', `/api/meetings/${room.id}/join`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('The host removed you from this meeting');

    await expectStatus(call(world.app, world.people.host, 'POST', `/api/meetings/${room.id}/end`), 200);
    // The next session, another day.
    await enter(world.people.host, room.id);
    expect((await expectStatus(call(world.app, world.people.host, 'GET', `/api/meetings/${room.id}/removals`), 200)).removals).toEqual([]);
    await enter(world.people.bystander, room.id);
  });

  it('lists who was removed for the host, who can let them back in', async () => {
    const meeting = await expectStatus(
      call(world.app, world.people.host, 'POST', '/api/meetings', { orgId: world.people.orgId, title: 'Standup', inviteeIds: [world.people.invitee.id] }),
      201,
    );
    const host = await enter(world.people.host, meeting.id);
    await enter(world.people.invitee, meeting.id);
    await removeFromRoom(host, meeting.id, world.people.invitee);

    const listed = await expectStatus(call(world.app, world.people.host, 'GET', `/api/meetings/${meeting.id}/removals`), 200);
    expect(listed.removals).toEqual([{ userId: world.people.invitee.id, name: 'Ivy Invitee', removedBy: world.people.host.id, removedAt: expect.any(String) }]);
    // An organization admin moderates too; the removed person and other participants do not.
    expect((await call(world.app, world.people.admin, 'GET', `/api/meetings/${meeting.id}/removals`)).status).toBe(200);
    expect((await call(world.app, world.people.invitee, 'GET', `/api/meetings/${meeting.id}/removals`)).status).toBe(403);
    expect((await call(world.app, world.people.invitee, 'DELETE', `/api/meetings/${meeting.id}/removals/${world.people.invitee.id}`)).status).toBe(403);
    expect((await call(world.app, world.people.outsider, 'GET', `/api/meetings/${meeting.id}/removals`)).status).toBe(404);
    expect((await call(world.app, null, 'GET', `/api/meetings/${meeting.id}/removals`)).status).toBe(401);

    expect((await call(world.app, world.people.invitee, 'POST', `/api/meetings/${meeting.id}/join`)).status).toBe(403);
    expect((await call(world.app, world.people.host, 'DELETE', `/api/meetings/${meeting.id}/removals/${world.people.invitee.id}`)).status).toBe(204);
    expect((await expectStatus(call(world.app, world.people.host, 'GET', `/api/meetings/${meeting.id}/removals`), 200)).removals).toEqual([]);
    await enter(world.people.invitee, meeting.id);
    // Nothing left to lift.
    const again = await call(world.app, world.people.host, 'DELETE', `/api/meetings/${meeting.id}/removals/${world.people.invitee.id}`);
    expect(again.status).toBe(404);
  });
});
