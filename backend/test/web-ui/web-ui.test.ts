import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { generateSigningKey } from '../../src/auth/local/signing-keys.js';
import { loadConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { managedServiceSources, webUiContentSecurityPolicy } from '../../src/plugins/web-ui.js';
import { createTestDatabase } from '../helpers/test-database.js';

const INDEX_HTML = '<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>';
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

let database: DatabaseHandle;
let tempDir: string;

async function appServing(webUiDir: string): Promise<FastifyInstance> {
  const config = loadConfig({ COLLARO_DATA_DIR: tempDir, LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, database, signingKey: await generateSigningKey(), webUiDir });
  await app.ready();
  return app;
}

beforeAll(async () => {
  database = await createTestDatabase();
  tempDir = await mkdtemp(path.join(tmpdir(), 'collaro-web-ui-'));
});

afterAll(async () => {
  await database.close();
  await rm(tempDir, { recursive: true, force: true });
});

describe('web UI served by the backend, when built', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    const webUiDir = path.join(tempDir, 'web');
    await mkdir(path.join(webUiDir, 'assets'), { recursive: true });
    await writeFile(path.join(webUiDir, 'index.html'), INDEX_HTML);
    await writeFile(path.join(webUiDir, 'assets', 'index-AbC123.js'), 'console.log("collaro")');
    app = await appServing(webUiDir);
  });
  afterAll(() => app.close());

  it('serves index.html at / with no-cache and a CSP without unsafe-eval that allows the WebSocket', async () => {
    const response = await app.inject({ method: 'GET', url: '/', headers: HTML });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toBe(INDEX_HTML);
    expect(response.headers['cache-control']).toBe('no-cache');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toMatch(/connect-src 'self' ws: wss:/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('media-src');
  });

  it('answers a deep link into the app (history routing) with index.html', async () => {
    for (const url of ['/chat', '/admin/teams/5e8b0c9a-0000-4000-8000-000000000000', '/meetings/new?x=1', '/sign-in']) {
      const response = await app.inject({ method: 'GET', url, headers: HTML });
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).toBe(INDEX_HTML);
    }
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const response = await app.inject({ method: 'GET', url: '/assets/index-AbC123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('console.log("collaro")');
    expect(response.headers['cache-control']).toContain('max-age=31536000');
    expect(response.headers['cache-control']).toContain('immutable');
  });

  it('answers a missing asset with 404, not with the page', async () => {
    const response = await app.inject({ method: 'GET', url: '/assets/gone-123.js', headers: HTML });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('<div id="root">');
  });

  it('leaves the API, health and docs alone: unknown API routes stay JSON 404s even for browsers', async () => {
    const unknownApi = await app.inject({ method: 'GET', url: '/api/nope', headers: HTML });
    expect(unknownApi.statusCode).toBe(404);
    expect(unknownApi.json()).toEqual({ error: { code: 'not_found', message: 'Route GET /api/nope not found' } });

    const config = await app.inject({ method: 'GET', url: '/api/config', headers: HTML });
    expect(config.statusCode).toBe(200);
    expect(config.json()).toMatchObject({ auth: 'local' });

    const me = await app.inject({ method: 'GET', url: '/api/me', headers: HTML });
    expect(me.statusCode).toBe(401);

    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);

    const docs = await app.inject({ method: 'GET', url: '/docs', headers: HTML });
    expect(docs.body).not.toBe(INDEX_HTML);
  });

  it('does not answer scripts and fetches that do not accept HTML with the page', async () => {
    const response = await app.inject({ method: 'GET', url: '/some/file.json', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('does not take POSTs to unknown paths', async () => {
    const response = await app.inject({ method: 'POST', url: '/chat', headers: HTML, payload: {} });
    expect(response.statusCode).toBe(404);
  });
});

describe('web UI served by the backend, when not built', () => {
  it('explains how to build it instead of failing silently, and the API still works', async () => {
    const app = await appServing(path.join(tempDir, 'never-built'));
    try {
      const page = await app.inject({ method: 'GET', url: '/', headers: HTML });
      expect(page.statusCode).toBe(503);
      expect(page.body).toContain('npm run build:web');
      const config = await app.inject({ method: 'GET', url: '/api/config' });
      expect(config.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('the UI content security policy', () => {
  it('lets the browser reach Stream and Clerk only when the server uses them', () => {
    expect(webUiContentSecurityPolicy(managedServiceSources({ video: 'local', auth: 'local' }))).not.toMatch(/stream-io|clerk/);
    const key = `pk_test_${Buffer.from('clerk.collaro.example.com$').toString('base64')}`;
    const csp = webUiContentSecurityPolicy(managedServiceSources({ video: 'stream', auth: 'clerk', clerkPublishableKey: key }));
    expect(csp).toContain('wss://*.stream-io-api.com');
    expect(csp).toMatch(/script-src 'self' https:\/\/clerk\.collaro\.example\.com/);
  });
});
