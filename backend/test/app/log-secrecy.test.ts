import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { generateSigningKey } from '../../src/auth/local/signing-keys.js';
import { loadConfig } from '../../src/config.js';
import { loggerOptions } from '../../src/app.js';
import { createTestDatabase } from '../helpers/test-database.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';

let lines = '';
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines += chunk.toString();
    done();
  },
});

let database: DatabaseHandle;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConfig({ COLLARO_DATA_DIR: '/tmp/collaro-log-secrecy', LOG_LEVEL: 'trace' });
  // The production logger configuration, with its redactions, writing into `lines`.
  app = await buildApp({ config, database, signingKey: await generateSigningKey(), logger: { ...(loggerOptions('trace') as object), stream: sink } });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

describe('logs', () => {
  it('never contain a password, an access token, a refresh token or its stored hash', async () => {
    const password = 'hunter2-but-longer';
    const signup = await app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: 'secretive@example.test', password, name: 'Secretive' },
    });
    const { accessToken, refreshToken } = signup.json();
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'secretive@example.test', password } });
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'secretive@example.test', password: `${password}-wrong` } });
    await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${accessToken}` } });
    await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${accessToken}x` } });
    const rotated = (await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } })).json();
    // An invitation link is a secret too: opening and accepting it must not write it down.
    const auth = { authorization: `Bearer ${rotated.accessToken}` };
    const org = (await app.inject({ method: 'POST', url: '/api/orgs', headers: auth, payload: { name: 'Quiet Ltd' } })).json();
    const invitation = (await app.inject({ method: 'POST', url: `/api/orgs/${org.id}/invitations`, headers: auth, payload: {} })).json();
    expect(invitation.token).toBeTypeOf('string');
    await app.inject({ method: 'GET', url: `/api/invitations/${invitation.token}` });
    await app.inject({ method: 'POST', url: `/api/invitations/${invitation.token}/accept`, headers: auth });
    await app.inject({ method: 'GET', url: `/invite/${invitation.token}`, headers: { accept: 'text/html' } });

    // Requests that fail inside the database log the failure, but not the values they queried with:
    // a refresh (on a PostgreSQL server it may fail before its first query, when its transaction
    // asks the closed pool for a connection) and an invitation looked up by its token.
    await database.close();
    const failed = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: rotated.refreshToken } });
    expect(failed.statusCode).toBeGreaterThanOrEqual(500);
    const lookup = await app.inject({ method: 'GET', url: `/api/invitations/${invitation.token}` });
    expect(lookup.statusCode).toBeGreaterThanOrEqual(500);

    expect(lines).toContain('request completed');
    expect(lines).toContain('Failed query');
    const secrets = [
      password,
      accessToken,
      refreshToken,
      rotated.accessToken,
      rotated.refreshToken,
      login.json().accessToken,
      login.json().refreshToken,
      createHash('sha256').update(rotated.refreshToken).digest('base64url'),
      invitation.token,
    ];
    for (const secret of secrets) expect(lines).not.toContain(secret);
    expect(lines).not.toMatch(/\$argon2id\$/);
  });
});
