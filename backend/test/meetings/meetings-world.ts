import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { call, createTestApp, signUp, type SignedInUser, type TestApp, type TestAppOptions } from '../helpers/test-app.js';
import { listenOnFreePort, TestSocket } from '../realtime/realtime-world.js';

export async function expectStatus(result: Promise<{ status: number; body: any }>, status: number) {
  const response = await result;
  if (response.status !== status) throw new Error(`fixture call returned ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface MeetingsWorld {
  orgId: string;
  teamId: string;
  otherOrgId: string;
  /** Organization admin (created the organization). */
  admin: SignedInUser;
  /** Hosts the meetings in tests. */
  host: SignedInUser;
  /** Invited by the host. */
  invitee: SignedInUser;
  /** On the team, not invited. */
  teammate: SignedInUser;
  /** In the organization, neither invited nor on the team. */
  bystander: SignedInUser;
  /** Only in another organization. */
  outsider: SignedInUser;
}

/** One organization with a team and a caller for every relation a user can have to a meeting. */
export async function createMeetingsWorld(app: FastifyInstance): Promise<MeetingsWorld> {
  const [admin, host, invitee, teammate, bystander, outsider] = await Promise.all(
    ['Ada Admin', 'Hal Host', 'Ivy Invitee', 'Tom Teammate', 'Bea Bystander', 'Otto Outsider'].map((name) => signUp(app, name)),
  );
  const org = await expectStatus(call(app, admin!, 'POST', '/api/orgs', { name: 'Acme' }), 201);
  const otherOrg = await expectStatus(call(app, outsider!, 'POST', '/api/orgs', { name: 'Elsewhere' }), 201);
  for (const user of [host!, invitee!, teammate!, bystander!]) {
    await expectStatus(call(app, admin!, 'POST', `/api/orgs/${org.id}/members`, { email: user.email, role: 'member' }), 201);
  }
  const team = await expectStatus(call(app, admin!, 'POST', `/api/orgs/${org.id}/teams`, { name: 'Platform' }), 201);
  for (const user of [host!, teammate!]) {
    await expectStatus(call(app, admin!, 'POST', `/api/teams/${team.id}/members`, { userId: user.id, role: 'member' }), 201);
  }
  return {
    orgId: org.id,
    teamId: team.id,
    otherOrgId: otherOrg.id,
    admin: admin!,
    host: host!,
    invitee: invitee!,
    teammate: teammate!,
    bystander: bystander!,
    outsider: outsider!,
  };
}

export function inMinutes(minutes: number, from = Date.now()) {
  return new Date(from + minutes * 60_000).toISOString();
}

/**
 * Around the enclosing describe block (or the file): a test app holding a meetings world, its
 * gateway listening; every socket opened through it is closed after each test.
 */
export function meetingRoomWorld(options: TestAppOptions = {}, setupTimeoutMs?: number) {
  let test: TestApp | undefined;
  let people: MeetingsWorld | undefined;
  let wsUrl = '';
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    test = await createTestApp(options);
    people = await createMeetingsWorld(test.app);
    wsUrl = await listenOnFreePort(test.app);
  }, setupTimeoutMs);
  afterEach(async () => {
    const open = sockets.splice(0);
    for (const socket of open) socket.close();
    await Promise.all(open.map((socket) => socket.closed));
  });
  afterAll(async () => {
    await test?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the meeting room world is used before its set-up ran');
    return value;
  };
  const world = {
    get test(): TestApp {
      return ready(test);
    },
    get app(): FastifyInstance {
      return ready(test).app;
    },
    get people(): MeetingsWorld {
      return ready(people);
    },
    /** A socket with no one signed in yet (a guest's), closed after the test. */
    async openSocket(): Promise<TestSocket> {
      const socket = await TestSocket.open(wsUrl);
      sockets.push(socket);
      return socket;
    },
    /** `user`'s signed-in socket, closed after the test. */
    async signedInSocket(user: SignedInUser): Promise<TestSocket> {
      const socket = await TestSocket.signedIn(wsUrl, user);
      sockets.push(socket);
      return socket;
    },
    /** `user` joins the meeting over HTTP and enters its room on a socket of their own. */
    async enter(user: SignedInUser, meetingId: string) {
      await expectStatus(call(world.app, user, 'POST', `/api/meetings/${meetingId}/join`), 200);
      const socket = await world.signedInSocket(user);
      socket.send({ type: 'meeting.join', meetingId });
      const room = await socket.next('meeting.joined', (frame) => frame.meetingId === meetingId);
      return { socket, room };
    },
  };
  return world;
}
