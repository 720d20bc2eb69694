import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../helpers/test-app.js';
import { createMeetingsWorld, expectStatus, inMinutes, type MeetingsWorld } from './meetings-world.js';

let t: TestApp;
let w: MeetingsWorld;

beforeAll(async () => {
  t = await createTestApp({ env: { PUBLIC_URL: 'https://collaro.example.com', MEETING_MESH_LIMIT: '3' } });
  w = await createMeetingsWorld(t.app);
});
afterAll(async () => {
  await t?.close();
});

async function schedule(overrides: Record<string, unknown> = {}) {
  return expectStatus(
    call(t.app, w.host, 'POST', '/api/meetings', {
      orgId: w.orgId,
      title: 'Sprint review',
      description: 'Demo of the new build',
      startsAt: inMinutes(60),
      durationMinutes: 45,
      inviteeIds: [w.invitee.id],
      ...overrides,
    }),
    201,
  );
}

describe('creating meetings', () => {
  it('schedules a meeting with links to the browser and the app', async () => {
    const startsAt = inMinutes(90);
    const meeting = await schedule({ startsAt });
    expect(meeting).toMatchObject({
      title: 'Sprint review',
      status: 'scheduled',
      kind: 'scheduled',
      provider: 'local',
      startsAt: new Date(startsAt).toISOString(),
      durationMinutes: 45,
      hostId: w.host.id,
      inviteeIds: [w.invitee.id],
      joinUrl: `https://collaro.example.com/m/${meeting.id}`,
      deepLink: `collaro://meeting/${meeting.id}`,
    });
    expect(new Date(meeting.endsAt).getTime() - new Date(meeting.startsAt).getTime()).toBe(45 * 60_000);
  });

  it('starts an instant meeting now when no start time is given', async () => {
    const before = Date.now();
    const meeting = await expectStatus(call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Quick sync' }), 201);
    expect(meeting.kind).toBe('instant');
    expect(meeting.status).toBe('live');
    expect(new Date(meeting.startsAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(meeting.startsAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(meeting.durationMinutes).toBe(30);
  });

  it('names the field of a bad body with 422', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ orgId: w.orgId }, 'body.title'],
      [{ orgId: 'nope', title: 'x' }, 'body.orgId'],
      [{ orgId: w.orgId, title: 'x', startsAt: 'tomorrow' }, 'body.startsAt'],
      [{ orgId: w.orgId, title: 'x', durationMinutes: 0 }, 'body.durationMinutes'],
      [{ orgId: w.orgId, title: 'x', inviteeIds: ['not-a-uuid'] }, 'body.inviteeIds'],
      [{ orgId: w.orgId, title: 'x', inviteeIds: [w.outsider.id] }, 'body.inviteeIds'],
      [{ orgId: w.orgId, title: 'x', inviteeIds: [w.invitee.id, w.invitee.id] }, 'body.inviteeIds'],
      [{ orgId: w.orgId, title: 'x', teamId: '00000000-0000-4000-8000-000000000000' }, 'body.teamId'],
      [{ orgId: w.orgId, title: 'x', startsAt: inMinutes(-60) }, 'body.startsAt'],
    ];
    for (const [body, field] of cases) {
      const response = await call(t.app, w.host, 'POST', '/api/meetings', body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.message).toContain(field);
    }
  });

  it('refuses anonymous callers, outsiders and team meetings for a team the caller is not on', async () => {
    expect((await call(t.app, null, 'POST', '/api/meetings', { orgId: w.orgId, title: 'x' })).status).toBe(401);
    expect((await call(t.app, w.outsider, 'POST', '/api/meetings', { orgId: w.orgId, title: 'x' })).status).toBe(404);
    const response = await call(t.app, w.bystander, 'POST', '/api/meetings', { orgId: w.orgId, title: 'x', teamId: w.teamId });
    expect(response.status).toBe(403);
    expect((await call(t.app, w.admin, 'POST', '/api/meetings', { orgId: w.orgId, title: 'x', teamId: w.teamId, startsAt: inMinutes(30) })).status).toBe(201);
  });
});

describe('who may see and join a meeting', () => {
  it('anyone in the organization with the link may see and join it; outsiders get 404, anonymous 401', async () => {
    for (const meeting of [
      await schedule({ teamId: w.teamId }),
      await expectStatus(call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'New meeting' }), 201),
    ]) {
      for (const user of [w.host, w.invitee, w.teammate, w.admin, w.bystander]) {
        const response = await call(t.app, user, 'GET', `/api/meetings/${meeting.id}`);
        expect(response.status, user.name).toBe(200);
        expect(response.body).toMatchObject({ id: meeting.id, inviteesOnly: false });
      }
      // The invitee list is for calendars and reminders: a member who only has the link joins too.
      await expectStatus(call(t.app, w.bystander, 'POST', `/api/meetings/${meeting.id}/join`), 200);
      expect((await call(t.app, w.outsider, 'GET', `/api/meetings/${meeting.id}`)).status).toBe(404);
      expect((await call(t.app, w.outsider, 'POST', `/api/meetings/${meeting.id}/join`)).status).toBe(404);
      expect((await call(t.app, null, 'GET', `/api/meetings/${meeting.id}`)).status).toBe(401);
    }
    expect((await call(t.app, w.host, 'GET', '/api/meetings/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call(t.app, w.host, 'GET', '/api/meetings/123')).status).toBe(422);
  });

  it('a meeting restricted to its invitees admits only the host, invitees, its team and admins', async () => {
    const meeting = await schedule({ teamId: w.teamId, inviteesOnly: true });
    expect(meeting.inviteesOnly).toBe(true);
    for (const user of [w.host, w.invitee, w.teammate, w.admin]) {
      expect((await call(t.app, user, 'GET', `/api/meetings/${meeting.id}`)).status, user.name).toBe(200);
    }
    const refused = await call(t.app, w.bystander, 'POST', `/api/meetings/${meeting.id}/join`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('This meeting is only for the people invited to it');
    expect((await call(t.app, w.outsider, 'POST', `/api/meetings/${meeting.id}/join`)).status).toBe(404);

    // The host opens it to everyone with the link, and restricts it again.
    const opened = await expectStatus(call(t.app, w.host, 'PATCH', `/api/meetings/${meeting.id}`, { inviteesOnly: false }), 200);
    expect(opened.inviteesOnly).toBe(false);
    await expectStatus(call(t.app, w.bystander, 'POST', `/api/meetings/${meeting.id}/join`), 200);
    expect((await call(t.app, w.invitee, 'PATCH', `/api/meetings/${meeting.id}`, { inviteesOnly: true })).status).toBe(403);
    await expectStatus(call(t.app, w.host, 'PATCH', `/api/meetings/${meeting.id}`, { inviteesOnly: true }), 200);
    expect((await call(t.app, w.bystander, 'GET', `/api/meetings/${meeting.id}`)).status).toBe(403);
    // A personal room is always open to its organization.
    const room = await expectStatus(call(t.app, w.host, 'GET', `/api/meetings/personal-room?orgId=${w.orgId}`), 200);
    expect((await call(t.app, w.host, 'PATCH', `/api/meetings/${room.id}`, { inviteesOnly: true })).status).toBe(422);
  });

  it('applies the same rules to every meeting route', async () => {
    const open = await schedule();
    const restricted = await schedule({ inviteesOnly: true });
    const routes = (id: string): ['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown?][] => [
      ['GET', `/api/meetings/${id}`],
      ['PATCH', `/api/meetings/${id}`, { title: 'Renamed' }],
      ['DELETE', `/api/meetings/${id}`],
      ['POST', `/api/meetings/${id}/join`],
      ['POST', `/api/meetings/${id}/end`],
      ['GET', `/api/meetings/${id}/invite.ics`],
      ['GET', `/api/meetings/${id}/recordings`],
      ['GET', `/api/meetings/${id}/removals`],
    ];
    for (const [method, url, body] of routes(restricted.id)) {
      expect((await call(t.app, null, method, url, body)).status, `${method} ${url} anonymous`).toBe(401);
      expect((await call(t.app, w.outsider, method, url, body)).status, `${method} ${url} outsider`).toBe(404);
      expect((await call(t.app, w.bystander, method, url, body)).status, `${method} ${url} bystander`).toBe(403);
    }
    // On an open meeting a member with the link still may not change, cancel or end it.
    for (const [method, url, body] of routes(open.id).filter(
      ([method, url]) => method === 'PATCH' || method === 'DELETE' || url.endsWith('/end') || url.endsWith('/removals'),
    )) {
      expect((await call(t.app, w.bystander, method, url, body)).status, `${method} ${url} bystander`).toBe(403);
    }
  });

  it('lists upcoming, live and previous meetings the caller may see', async () => {
    const mine = await schedule({ title: 'Listed upcoming' });
    const hidden = await expectStatus(
      call(t.app, w.bystander, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Bystander only', startsAt: inMinutes(60) }),
      201,
    );
    const live = await expectStatus(call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Listed live', inviteeIds: [w.invitee.id] }), 201);
    const ended = await expectStatus(call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Listed ended', inviteeIds: [w.invitee.id] }), 201);
    await expectStatus(call(t.app, w.host, 'POST', `/api/meetings/${ended.id}/end`), 200);

    const list = async (user = w.invitee, scope: string) =>
      (await expectStatus(call(t.app, user, 'GET', `/api/meetings?orgId=${w.orgId}&scope=${scope}`), 200)).meetings.map((m: { id: string }) => m.id);
    const upcoming = await list(w.invitee, 'upcoming');
    expect(upcoming).toContain(mine.id);
    expect(upcoming).not.toContain(hidden.id);
    expect(upcoming).not.toContain(live.id);
    expect(await list(w.invitee, 'live')).toContain(live.id);
    expect(await list(w.invitee, 'previous')).toContain(ended.id);
    expect(await list(w.invitee, 'previous')).not.toContain(live.id);
    expect(await list(w.admin, 'upcoming')).toContain(hidden.id);
    expect(await list(w.bystander, 'upcoming')).not.toContain(mine.id);

    expect((await call(t.app, w.outsider, 'GET', `/api/meetings?orgId=${w.orgId}`)).status).toBe(404);
    const bad = await call(t.app, w.host, 'GET', `/api/meetings?orgId=${w.orgId}&scope=tomorrow`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('querystring.scope');
  });
});

describe('changing, cancelling and ending', () => {
  it('lets only the host rename and reschedule, raising the sequence each time', async () => {
    const meeting = await schedule();
    expect((await call(t.app, w.invitee, 'PATCH', `/api/meetings/${meeting.id}`, { title: 'Mine now' })).status).toBe(403);
    expect((await call(t.app, w.admin, 'PATCH', `/api/meetings/${meeting.id}`, { title: 'Mine now' })).status).toBe(403);
    const renamed = await expectStatus(call(t.app, w.host, 'PATCH', `/api/meetings/${meeting.id}`, { title: 'Sprint demo' }), 200);
    expect(renamed.title).toBe('Sprint demo');
    expect(renamed.sequence).toBe(meeting.sequence + 1);
    const newStart = inMinutes(24 * 60);
    const moved = await expectStatus(call(t.app, w.host, 'PATCH', `/api/meetings/${meeting.id}`, { startsAt: newStart, durationMinutes: 15 }), 200);
    expect(moved.startsAt).toBe(new Date(newStart).toISOString());
    expect(moved.durationMinutes).toBe(15);
    expect(moved.sequence).toBe(meeting.sequence + 2);

    const empty = await call(t.app, w.host, 'PATCH', `/api/meetings/${meeting.id}`, {});
    expect(empty.status).toBe(422);
    expect(empty.body.error.message).toContain('names nothing to change');
    const badInvitee = await call(t.app, w.host, 'PATCH', `/api/meetings/${meeting.id}`, { inviteeIds: [w.outsider.id] });
    expect(badInvitee.status).toBe(422);
    expect(badInvitee.body.error.message).toContain('body.inviteeIds');
  });

  it('changes the invitee list, which changes who may see a restricted meeting', async () => {
    const meeting = await schedule();
    await expectStatus(call(t.app, w.host, 'PATCH', `/api/meetings/${meeting.id}`, { inviteeIds: [w.bystander.id], inviteesOnly: true }), 200);
    expect((await call(t.app, w.bystander, 'GET', `/api/meetings/${meeting.id}`)).status).toBe(200);
    expect((await call(t.app, w.invitee, 'GET', `/api/meetings/${meeting.id}`)).status).toBe(403);
  });

  it('lets only the host cancel; a cancelled meeting cannot be joined or changed', async () => {
    const meeting = await schedule();
    expect((await call(t.app, w.invitee, 'DELETE', `/api/meetings/${meeting.id}`)).status).toBe(403);
    expect((await call(t.app, w.host, 'DELETE', `/api/meetings/${meeting.id}`)).status).toBe(204);
    expect((await expectStatus(call(t.app, w.host, 'GET', `/api/meetings/${meeting.id}`), 200)).status).toBe('cancelled');
    const join = await call(t.app, w.invitee, 'POST', `/api/meetings/${meeting.id}/join`);
    expect(join.status).toBe(409);
    expect(join.body.error.message).toMatch(/cancelled/);
    expect((await call(t.app, w.host, 'PATCH', `/api/meetings/${meeting.id}`, { title: 'Back on' })).status).toBe(409);
    expect((await call(t.app, w.host, 'DELETE', `/api/meetings/${meeting.id}`)).status).toBe(409);
  });

  it('lets the host or an org admin end a live meeting for everyone, but not an invitee', async () => {
    const meeting = await expectStatus(call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Standup', inviteeIds: [w.invitee.id] }), 201);
    expect((await call(t.app, w.invitee, 'POST', `/api/meetings/${meeting.id}/end`)).status).toBe(403);
    const ended = await expectStatus(call(t.app, w.admin, 'POST', `/api/meetings/${meeting.id}/end`), 200);
    expect(ended.status).toBe('ended');
    const join = await call(t.app, w.invitee, 'POST', `/api/meetings/${meeting.id}/join`);
    expect(join.status).toBe(409);
    expect(join.body.error.message).toBe('This meeting has ended');
    expect((await call(t.app, w.host, 'POST', `/api/meetings/${meeting.id}/end`)).status).toBe(409);
  });
});

describe('joining through the built-in mesh', () => {
  it('hands out ICE servers, records participation and turns a scheduled meeting live', async () => {
    const meeting = await schedule({ startsAt: inMinutes(2) });
    const joined = await expectStatus(call(t.app, w.invitee, 'POST', `/api/meetings/${meeting.id}/join`), 200);
    expect(joined).toEqual({
      provider: 'local',
      meetingId: meeting.id,
      participantId: w.invitee.id,
      iceServers: [],
      participantLimit: 3,
      isHost: false,
      participants: [],
    });
    expect((await expectStatus(call(t.app, w.host, 'GET', `/api/meetings/${meeting.id}`), 200)).status).toBe('live');
    const hostJoin = await expectStatus(call(t.app, w.host, 'POST', `/api/meetings/${meeting.id}/join`), 200);
    expect(hostJoin.isHost).toBe(true);
  });

  it('refuses the participant past the mesh limit, saying Stream is needed', async () => {
    const meeting = await expectStatus(
      call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Crowded', inviteeIds: [w.invitee.id, w.bystander.id, w.teammate.id] }),
      201,
    );
    for (const user of [w.host, w.invitee, w.bystander]) {
      await expectStatus(call(t.app, user, 'POST', `/api/meetings/${meeting.id}/join`), 200);
    }
    // Joining again does not take a second place.
    await expectStatus(call(t.app, w.host, 'POST', `/api/meetings/${meeting.id}/join`), 200);
    const full = await call(t.app, w.teammate, 'POST', `/api/meetings/${meeting.id}/join`);
    expect(full.status).toBe(409);
    expect(full.body.error.message).toContain('already has 3 participants');
    expect(full.body.error.message).toContain('Stream');
  });

  it('gives each user one personal room per organization with a stable id', async () => {
    const first = await expectStatus(call(t.app, w.host, 'GET', `/api/meetings/personal-room?orgId=${w.orgId}`), 200);
    const again = await expectStatus(call(t.app, w.host, 'GET', `/api/meetings/personal-room?orgId=${w.orgId}`), 200);
    expect(again.id).toBe(first.id);
    expect(first.kind).toBe('personal');
    expect(first.title).toBe("Hal Host's room");
    const other = await expectStatus(call(t.app, w.invitee, 'GET', `/api/meetings/personal-room?orgId=${w.orgId}`), 200);
    expect(other.id).not.toBe(first.id);
    // Anyone in the organization may come into a personal room; nobody outside it.
    await expectStatus(call(t.app, w.bystander, 'POST', `/api/meetings/${first.id}/join`), 200);
    expect((await call(t.app, w.outsider, 'POST', `/api/meetings/${first.id}/join`)).status).toBe(404);
    // Ending it leaves the room ready for next time.
    await expectStatus(call(t.app, w.host, 'POST', `/api/meetings/${first.id}/end`), 200);
    await expectStatus(call(t.app, w.host, 'POST', `/api/meetings/${first.id}/join`), 200);
    expect((await call(t.app, w.outsider, 'GET', `/api/meetings/personal-room?orgId=${w.orgId}`)).status).toBe(404);
  });

  it('has no recordings: they need Stream', async () => {
    const meeting = await schedule();
    const response = await call(t.app, w.host, 'GET', `/api/meetings/${meeting.id}/recordings`);
    expect(response.status).toBe(409);
    expect(response.body.error.message).toContain('Stream');
  });

  it('tells clients the video provider in the public config', async () => {
    expect((await call(t.app, null, 'GET', '/api/config')).body.video).toBe('local');
  });
});
