import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../helpers/test-app.js';
import { buildChatWorld, listenOnFreePort, TestSocket, type ChatWorld } from '../realtime/realtime-world.js';

/**
 * U+0000 cannot be stored in PostgreSQL text, and no name, title or message has a use for the other
 * control characters: they are refused with 422 (or `invalid_frame`) naming the field, never 500.
 */
describe('text with NUL and other control characters', () => {
  let t: TestApp;
  let w: ChatWorld;
  let url: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildChatWorld(t.app);
    url = await listenOnFreePort(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function expectRefused(method: 'POST' | 'PATCH', path: string, payload: object, field: string, codePoint: string) {
    const response = await call(t.app, w.admin, method, path, payload);
    expect(response.status, `${method} ${path} ${JSON.stringify(payload)}: ${JSON.stringify(response.body)}`).toBe(422);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.message).toContain(`body.${field}:`);
    expect(response.body.error.message).toContain(codePoint);
  }

  it('refuses them in the names of people, organizations, teams and channels', async () => {
    const signup = await t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: `nul-${randomUUID()}@example.test`, password: 'correct horse battery', name: 'Null\u0000Byte' },
    });
    expect(signup.statusCode).toBe(422);
    expect(signup.json().error.message).toMatch(/body\.name:.*U\+0000/);
    await expectRefused('POST', '/api/orgs', { name: 'Acme\u0000' }, 'name', 'U+0000');
    await expectRefused('POST', `/api/orgs/${w.orgId}/teams`, { name: 'Ops\u0007' }, 'name', 'U+0007');
    await expectRefused('POST', `/api/teams/${w.teamId}/channels`, { name: 'random\nchannel' }, 'name', 'U+000A');
    await expectRefused('POST', `/api/teams/${w.teamId}/channels`, { name: 'bidi\u009b' }, 'name', 'U+009B');
    // Names are still trimmed, and everything else people write in names is kept.
    const ok = await call(t.app, w.admin, 'POST', `/api/teams/${w.teamId}/channels`, { name: ' Zoë "the" \\ ^ 💥 ' });
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe('Zoë "the" \\ ^ 💥');
  });

  it('refuses them in meeting titles, and in descriptions keeps only tab and line breaks', async () => {
    await expectRefused('POST', '/api/meetings', { orgId: w.orgId, title: 'Plan\u0000ning' }, 'title', 'U+0000');
    await expectRefused('POST', '/api/meetings', { orgId: w.orgId, title: 'Plan\r\nning' }, 'title', 'U+000D');
    await expectRefused('POST', '/api/meetings', { orgId: w.orgId, title: 'Planning', description: 'a\u0000b' }, 'description', 'U+0000');
    const created = await call(t.app, w.admin, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Planning', description: 'Agenda:\n\t1. roadmap\r\n' });
    expect(created.status).toBe(201);
    expect(created.body.description).toBe('Agenda:\n\t1. roadmap\r\n');
    await expectRefused('PATCH', `/api/meetings/${created.body.id}`, { title: 'Moved\u001b[2J' }, 'title', 'U+001B');
    await expectRefused('PATCH', `/api/meetings/${created.body.id}`, { description: '\u0000' }, 'description', 'U+0000');
  });

  it('refuses them in chat messages posted over HTTP', async () => {
    const messages = `/api/channels/${w.channelId}/messages`;
    const response = await call(t.app, w.alice, 'POST', messages, { clientId: randomUUID(), body: 'hello\u0000world' });
    expect(response.status).toBe(422);
    expect(response.body.error.message).toMatch(/body\.body:.*U\+0000/);
    const posted = await call(t.app, w.alice, 'POST', messages, { clientId: randomUUID(), body: 'line one\n\tindented\r\nline three' });
    expect(posted.status).toBe(201);
    expect(posted.body.message.body).toBe('line one\n\tindented\r\nline three');
  });

  it('answers invalid_frame naming the field over the WebSocket, and the connection carries on', async () => {
    const alice = await TestSocket.signedIn(url, w.alice);
    try {
      const refused = randomUUID();
      alice.send({ type: 'chat.send', clientId: refused, channelId: w.channelId, body: 'bad\u0000frame' });
      const error = await alice.next('error', (frame) => frame.ref?.clientId === refused);
      expect(error).toMatchObject({ code: 'invalid_frame', ref: { type: 'chat.send', clientId: refused } });
      expect(error.message).toMatch(/^body:.*U\+0000/);

      const accepted = randomUUID();
      alice.send({ type: 'chat.send', clientId: accepted, channelId: w.channelId, body: 'fine\tafter\nall' });
      const ack = await alice.next('chat.ack', (frame) => frame.clientId === accepted);
      const edit = randomUUID();
      alice.send({ type: 'chat.edit', clientId: edit, messageId: ack.messageId, body: 'bell\u0007' });
      const badEdit = await alice.answerTo(edit);
      expect(badEdit).toMatchObject({ type: 'error', code: 'invalid_frame', ref: { type: 'chat.edit', clientId: edit } });
      expect(badEdit.type === 'error' && badEdit.message).toMatch(/^body:.*U\+0007/);
      const reaction = randomUUID();
      alice.send({ type: 'chat.react', clientId: reaction, messageId: ack.messageId, emoji: '👍\u0000', add: true });
      const badReaction = await alice.answerTo(reaction);
      expect(badReaction).toMatchObject({ type: 'error', code: 'invalid_frame', ref: { type: 'chat.react' } });
      expect(badReaction.type === 'error' && badReaction.message).toMatch(/^emoji:.*U\+0000/);

      const history = await call(t.app, w.bob, 'GET', `/api/channels/${w.channelId}/messages`);
      expect(history.body.messages.map((m: { body: string }) => m.body)).toContain('fine\tafter\nall');
      expect(history.body.messages.some((m: { clientId: string }) => m.clientId === refused)).toBe(false);
    } finally {
      alice.close();
      await alice.closed;
    }
  });
});
