import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSecurityHeaders } from '../../src/plugins/security.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());

/** What helmet itself sets on a real Node response, with the server's options. */
function helmetOnARealResponse(): Record<string, string> {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  setSecurityHeaders(request, response, () => {});
  return Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]));
}

describe('security headers computed once', () => {
  it('sends every header helmet sets, with its value, on answers, refusals and unknown routes', async () => {
    const expected = helmetOnARealResponse();
    expect(Object.keys(expected).length).toBeGreaterThan(8);
    for (const url of ['/healthz', '/api/me', '/api/nope']) {
      const response = await testApp.app.inject({ method: 'GET', url });
      for (const [name, value] of Object.entries(expected)) expect(response.headers[name], `${url} ${name}`).toBe(value);
    }
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin with the allowed methods, headers and cache time', async () => {
    const response = await testApp.app.inject({
      method: 'OPTIONS',
      url: '/api/teams/00000000-0000-4000-8000-000000000000',
      headers: { origin: 'collaro-app://app', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization' },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('collaro-app://app');
    expect(response.headers['access-control-allow-methods']).toBe('GET, POST, PATCH, DELETE');
    expect(response.headers['access-control-allow-headers']).toBe('authorization, content-type, idempotency-key');
    expect(response.headers['access-control-max-age']).toBe('600');
    expect(response.headers.vary).toContain('Origin');
  });

  it('lets an allowed origin read answers, and never names an origin it does not allow', async () => {
    const allowed = await testApp.app.inject({ method: 'GET', url: '/api/config', headers: { origin: 'collaro-app://app' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('collaro-app://app');
    expect(allowed.headers.vary).toContain('Origin');
    const other = await testApp.app.inject({ method: 'GET', url: '/api/config', headers: { origin: 'https://evil.example' } });
    expect(other.statusCode).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const sameOriginPrefix = await testApp.app.inject({ method: 'GET', url: '/api/config', headers: { origin: 'collaro-app://app.evil' } });
    expect(sameOriginPrefix.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses an OPTIONS request that is not a preflight with 400', async () => {
    const response = await testApp.app.inject({ method: 'OPTIONS', url: '/api/config' });
    expect(response.statusCode).toBe(400);
  });
});
