import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { watchQueries } from '../helpers/query-watch.js';
import { call, createTestApp, signUp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { listenOnFreePort, TestSocket } from './realtime-world.js';

const PEOPLE = 16;

/** Counts the statements the database runs, embedded or a PostgreSQL server (see watchQueries). */
describe('many sockets authenticating at once (an instance restarted)', () => {
  let test: TestApp;
  let url: string;
  let people: SignedInUser[];
  let channelId: string;
  let teamId: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    test = await createTestApp();
    const [owner, ...others] = await Promise.all(Array.from({ length: PEOPLE }, (_, i) => signUp(test.app, `Person ${i}`)));
    people = [owner!, ...others];
    const org = await call(test.app, owner!, 'POST', '/api/orgs', { name: 'Storm' });
    await Promise.all(others.map((person) => call(test.app, owner!, 'POST', `/api/orgs/${org.body.id}/members`, { email: person.email })));
    const team = await call(test.app, owner!, 'POST', `/api/orgs/${org.body.id}/teams`, { name: 'All' });
    teamId = team.body.id;
    await Promise.all(others.map((person) => call(test.app, owner!, 'POST', `/api/teams/${team.body.id}/members`, { userId: person.id })));
    const channels = await call(test.app, owner!, 'GET', `/api/orgs/${org.body.id}/channels`);
    channelId = channels.body.channels.find((channel: { isDefault: boolean }) => channel.isDefault).id;
    url = await listenOnFreePort(test.app);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    for (const socket of sockets) socket.close();
    await test?.close();
  });

  it('costs at most one query per socket, sessions, channels and presence included', async () => {
    const queries = watchQueries();
    const opened = await Promise.all(people.map(() => TestSocket.open(url)));
    sockets.push(...opened);
    opened.forEach((socket, i) => socket.send({ type: 'auth', token: people[i]!.accessToken }));
    await Promise.all(opened.map((socket) => socket.next('presence.snapshot')));
    const statements = queries.statements();
    queries.stop();
    expect(statements.length, `${statements.length} queries for ${PEOPLE} sockets`).toBeLessThanOrEqual(PEOPLE);
    // Not none: the sessions are checked (so the watch sees this engine's statements at all).
    expect(statements.some((sql) => sql.includes('"sessions"'))).toBe(true);

    // Each socket hears its channel and sees the others online.
    opened[0]!.send({ type: 'chat.send', clientId: crypto.randomUUID(), channelId, body: 'storm over' });
    await Promise.all(opened.slice(1).map((socket) => socket.next('chat.message', (frame) => frame.message.body === 'storm over')));
  });

  it('answers the resume frames of sockets reconnecting together with a few shared queries, each with its own access', async () => {
    const outsider = await signUp(test.app, 'Outsider');
    const outsiderSocket = await TestSocket.signedIn(url, outsider);
    sockets.push(outsiderSocket);
    const resuming = [...sockets.slice(0, PEOPLE), outsiderSocket];
    const queries = watchQueries();
    for (const socket of resuming) socket.send({ type: 'resume', channels: [{ channelId, afterEventSeq: 0 }] });
    const answers = await Promise.all(sockets.slice(0, PEOPLE).map((socket) => socket.next('resumed')));
    const refused = await outsiderSocket.next('error', (frame) => frame.ref?.type === 'resume');
    const channelQueries = queries.statements().filter((sql) => sql.includes('"channels"')).length;
    queries.stop();
    expect(channelQueries, `${channelQueries} channel queries for ${resuming.length} resumes`).toBeLessThanOrEqual(PEOPLE / 2);
    for (const answer of answers) expect(answer.channels.map((channel) => channel.channelId)).toEqual([channelId]);
    // Someone outside the organization learns nothing of the channel from sharing a query with its members.
    expect(refused.code).toBe('not_found');
  });

  it("asks the database nothing about a connected person's channels for their next socket, yet a removal reaches it at once", async () => {
    const person = people[3]!;
    const first = await TestSocket.signedIn(url, person);
    sockets.push(first);
    // The access query is the one that reads channels; sessions and presence have their own caches.
    const queries = watchQueries();
    const second = await TestSocket.signedIn(url, person);
    sockets.push(second);
    await second.next('presence.snapshot');
    const channelQueries = queries.statements().filter((sql) => sql.includes('"channels"'));
    queries.stop();
    expect(channelQueries, 'channel access read again for a second socket').toHaveLength(0);

    // Removed from the team: a socket opened right after must not hear the team's channel.
    expect((await call(test.app, people[0]!, 'DELETE', `/api/teams/${teamId}/members/${person.id}`)).status).toBe(204);
    const afterRemoval = await TestSocket.signedIn(url, person);
    sockets.push(afterRemoval);
    const stillMember = await TestSocket.signedIn(url, people[4]!);
    sockets.push(stillMember);
    const sender = await TestSocket.signedIn(url, people[0]!);
    sockets.push(sender);
    sender.send({ type: 'chat.send', clientId: crypto.randomUUID(), channelId, body: 'after the removal' });
    await stillMember.next('chat.message', (frame) => frame.message.body === 'after the removal');
    expect(await afterRemoval.receives('chat.message', (frame) => frame.message.body === 'after the removal')).toBe(false);
    expect(await second.receives('chat.message', (frame) => frame.message.body === 'after the removal', 50)).toBe(false);
  });
});
