import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, type SigningKey } from '../../src/auth/local/signing-keys.js';
import { call, createTestApp, signUp, type SignedInUser, type TestApp } from '../helpers/test-app.js';

let now = Date.parse('2026-03-02T09:00:00Z');
let key: SigningKey;
let testApp: TestApp;
let user: SignedInUser;

beforeAll(async () => {
  key = await generateSigningKey();
  testApp = await createTestApp({ clock: () => now, signingKey: key });
  user = await signUp(testApp.app, 'Target');
});
afterAll(() => testApp.close());

const sessionId = () => JSON.parse(Buffer.from(user.accessToken.split('.')[1]!, 'base64url').toString()).sid as string;

function mint(overrides: { header?: Record<string, unknown>; claims?: Record<string, unknown>; signWith?: SigningKey } = {}) {
  const seconds = Math.floor(now / 1000);
  const signer = overrides.signWith ?? key;
  const claims = {
    sub: user.id,
    sid: sessionId(),
    iss: 'collaro',
    aud: 'collaro-api',
    iat: seconds,
    nbf: seconds,
    exp: seconds + 600,
    ...overrides.claims,
  };
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: 'JWT', ...overrides.header }).sign(signer.privateKey);
}

const me = (token: string) => call(testApp.app, { headers: { authorization: `Bearer ${token}` } }, 'GET', '/api/me');

describe('access token verification', () => {
  it('accepts a token this server minted', async () => {
    expect((await me(await mint())).status).toBe(200);
  });

  it('rejects alg "none"', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', kid: key.kid, typ: 'JWT' }));
    const payload = user.accessToken.split('.')[1];
    const response = await me(`${header}.${payload}.`);
    expect(response.status).toBe(401);
    expect(response.body.error.message).toMatch(/algorithm/i);
  });

  it('rejects HS256 signed with the public key (algorithm confusion)', async () => {
    const [, payload] = user.accessToken.split('.');
    const header = base64url.encode(JSON.stringify({ alg: 'HS256', kid: key.kid, typ: 'JWT' }));
    const secret = new TextEncoder().encode(JSON.stringify(key.publicJwk));
    const { createHmac } = await import('node:crypto');
    const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    expect((await me(`${header}.${payload}.${signature}`)).status).toBe(401);
  });

  it('rejects a token signed by another key that claims our kid', async () => {
    const other = await generateSigningKey();
    expect((await me(await mint({ signWith: other, header: { kid: key.kid } }))).status).toBe(401);
  });

  it('rejects an unknown or missing kid', async () => {
    const other = await generateSigningKey();
    const unknown = await me(await mint({ signWith: other }));
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toMatch(/unknown key/i);
    expect((await me(await mint({ header: { kid: undefined } }))).status).toBe(401);
  });

  it('rejects a tampered payload', async () => {
    const [header, payload, signature] = (await mint()).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = base64url.encode(JSON.stringify({ ...claims, sub: '00000000-0000-4000-8000-000000000000' }));
    expect((await me(`${header}.${forged}.${signature}`)).status).toBe(401);
  });

  it('rejects an expired token', async () => {
    const token = await mint();
    now += 11 * 60 * 1000;
    try {
      const response = await me(token);
      expect(response.status).toBe(401);
      expect(response.body.error.message).toMatch(/expired/i);
    } finally {
      now -= 11 * 60 * 1000;
    }
  });

  it('rejects a token that is not valid yet', async () => {
    const future = Math.floor(now / 1000) + 3600;
    const response = await me(await mint({ claims: { nbf: future, iat: future, exp: future + 600 } }));
    expect(response.status).toBe(401);
    expect(response.body.error.message).toMatch(/not valid yet/i);
  });

  it('rejects the wrong issuer or audience', async () => {
    expect((await me(await mint({ claims: { iss: 'someone-else' } }))).status).toBe(401);
    expect((await me(await mint({ claims: { aud: 'another-api' } }))).status).toBe(401);
  });

  it('rejects a lifetime longer than fifteen minutes even when correctly signed', async () => {
    const seconds = Math.floor(now / 1000);
    expect((await me(await mint({ claims: { exp: seconds + 24 * 3600 } }))).status).toBe(401);
  });

  it('rejects garbage and malformed Authorization headers', async () => {
    expect((await me('not.a.jwt')).status).toBe(401);
    const basic = await call(testApp.app, { headers: { authorization: 'Basic dXNlcjpwdw==' } }, 'GET', '/api/me');
    expect(basic.status).toBe(401);
    expect(basic.body.error.message).toContain('Bearer');
  });

  it('issues access tokens that live at most fifteen minutes with sub, sid, iat, exp and kid', async () => {
    const [header, payload] = user.accessToken
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'EdDSA', kid: key.kid });
    expect(payload).toMatchObject({ sub: user.id, sid: expect.any(String), iat: expect.any(Number), exp: expect.any(Number) });
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(15 * 60);
  });
});
