import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type TestApp } from '../helpers/test-app.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());

describe('HTTP conventions', () => {
  it('reports healthy once migrations are applied', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('reports 503 with a retry hint when the database is gone', async () => {
    const broken = await createTestApp();
    await broken.database.close();
    try {
      const response = await broken.app.inject({ method: 'GET', url: '/healthz' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBeDefined();
    } finally {
      await broken.app.close();
    }
  });

  it('tells a client which sign-in and video providers are on', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/config' });
    expect(response.json()).toMatchObject({ auth: 'local', video: 'local' });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/nope?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: 'Route GET /api/nope not found' } });
  });

  it('answers 401 without a token on every protected tree', async () => {
    for (const url of ['/api/me', '/api/orgs/00000000-0000-4000-8000-000000000000/teams', '/api/teams/00000000-0000-4000-8000-000000000000']) {
      const response = await testApp.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(401);
      expect(response.json().error.code).toBe('unauthorized');
    }
  });

  it('refuses malformed JSON with 400, a wrong content type with 415, and an oversized body with 413', async () => {
    const user = await signUp(testApp.app, 'Sender');
    const malformed = await testApp.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { ...user.headers, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('bad_request');
    const wrongType = await testApp.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { ...user.headers, 'content-type': 'application/xml' },
      payload: '<name>x</name>',
    });
    expect(wrongType.statusCode).toBe(415);
    const huge = await testApp.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { ...user.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
  });

  it('sends security headers on every response', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['x-frame-options']).toBeDefined();
  });

  it('allows the desktop app origin through CORS and nobody else', async () => {
    const allowed = await testApp.app.inject({
      method: 'OPTIONS',
      url: '/api/me',
      headers: { origin: 'collaro-app://app', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('collaro-app://app');
    const denied = await testApp.app.inject({
      method: 'OPTIONS',
      url: '/api/me',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('publishes an OpenAPI description of the routes and a browsable /docs', async () => {
    const spec = (await testApp.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/auth/signup', '/api/me', '/api/orgs/{orgId}/members', '/api/teams/{teamId}']));
    expect(spec.paths['/api/auth/signup'].post.requestBody).toBeDefined();
    const page = await testApp.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });
});
