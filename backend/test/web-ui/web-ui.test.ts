import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { generateSigningKey } from '../../src/auth/local/signing-keys.js';
import { loadConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { managedServiceSources, webUiContentSecurityPolicy } from '../../src/plugins/web-ui.js';
import { createTestDatabase } from '../helpers/test-database.js';

const INDEX_HTML = '<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("collaro")';
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

let database: DatabaseHandle;
let tempDir: string;

async function appServing(webUiDir: string, env: Record<string, string> = {}): Promise<FastifyInstance> {
  // As in every test app: load shedding has its own test, and a busy test machine would trip it here.
  const config = loadConfig({ COLLARO_DATA_DIR: tempDir, LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0', ...env });
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
    await writeFile(path.join(webUiDir, 'assets', 'index-AbC123.js'), SCRIPT);
    await writeFile(path.join(webUiDir, 'assets', 'index-AbC123.js.br'), brotliCompressSync(SCRIPT));
    await writeFile(path.join(webUiDir, 'assets', 'index-AbC123.js.gz'), gzipSync(SCRIPT));
    await writeFile(path.join(webUiDir, 'assets', 'index-AbC123.js.map'), '{"version":3,"sources":["../src/secret-logic.ts"]}');
    await writeFile(path.join(webUiDir, 'assets', 'index-AbC123.js.map.gz'), gzipSync('{"version":3,"sources":["../src/secret-logic.ts"]}'));
    app = await appServing(webUiDir, { PUBLIC_URL: 'https://collaro.example.com' });
  });
  afterAll(() => app.close());

  it('serves index.html at / with no-cache and a CSP without unsafe-eval that allows the WebSocket to this server alone', async () => {
    const response = await app.inject({ method: 'GET', url: '/', headers: HTML });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toBe(INDEX_HTML);
    expect(response.headers['cache-control']).toBe('no-cache');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    const connectSources = /connect-src ([^;]*)/.exec(csp)?.[1]?.split(' ');
    // Its own origin (which covers its own WebSocket in current browsers) and its public address's;
    // never any host at all, which would let injected script send data anywhere over a WebSocket.
    expect(connectSources).toEqual(["'self'", 'wss://collaro.example.com']);
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

  it('does not serve source maps, even when the build left them next to the assets', async () => {
    for (const accept of [HTML.accept, '*/*']) {
      for (const url of ['/assets/index-AbC123.js.map', '/assets/index-AbC123.js.map.gz']) {
        const response = await app.inject({ method: 'GET', url, headers: { accept, 'accept-encoding': 'gzip, br' } });
        expect(response.statusCode, url).toBe(404);
        expect(response.body).not.toContain('secret-logic');
      }
    }
  });

  it('sends the compressed script the build wrote to browsers that accept it, saying so', async () => {
    const brotli = await app.inject({ method: 'GET', url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(brotli.statusCode).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(String(brotli.headers.vary)).toMatch(/accept-encoding/i);
    expect(brotli.headers['content-type']).toMatch(/javascript/);
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(SCRIPT);

    const gzipped = await app.inject({ method: 'GET', url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(SCRIPT);

    const plain = await app.inject({ method: 'GET', url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
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
  it('lets a server on plain http reach its own WebSocket, and no other', () => {
    expect(webUiContentSecurityPolicy({ publicUrl: 'http://192.168.1.20:4000' })).toMatch(/connect-src 'self' ws:\/\/192\.168\.1\.20:4000;/);
    expect(webUiContentSecurityPolicy({})).toMatch(/connect-src 'self';/);
  });

  it('lets the browser reach Stream and Clerk only when the server uses them', () => {
    expect(webUiContentSecurityPolicy(managedServiceSources({ video: 'local', auth: 'local' }))).not.toMatch(/stream-io|clerk/);
    const key = `pk_test_${Buffer.from('clerk.collaro.example.com$').toString('base64')}`;
    const csp = webUiContentSecurityPolicy(managedServiceSources({ video: 'stream', auth: 'clerk', clerkPublishableKey: key }));
    expect(csp).toContain('wss://*.stream-io-api.com');
    // Stream's SFUs (and its location hint) are on another domain than its API.
    expect(csp).toContain('wss://*.stream-io-video.com');
    expect(csp).toContain('https://*.stream-io-video.com');
    expect(csp).toMatch(/script-src 'self' https:\/\/clerk\.collaro\.example\.com/);
  });
});
