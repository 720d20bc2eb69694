import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../scripts/build-stamp.mjs';
import { SERVER_BUILD } from '../../scripts/start.mjs';
import { createServerDatabase, freePort, REPOSITORY_ROOT, ServerProcess } from '../helpers/server-process.js';

const dataDir = await mkdtemp(path.join(tmpdir(), 'collaro-built-'));
// The embedded database by default, as a user's machine has it; a database of its own on
// DATABASE_URL's server where the suite runs against one (CI), as the other process tests do.
const serverDatabase = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL) : undefined;
afterAll(async () => {
  await serverDatabase?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const environment = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  COLLARO_DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  ...(serverDatabase ? { DATABASE_URL: serverDatabase.url } : {}),
};

describe('the built server (what npm start runs)', () => {
  it('is JavaScript that plain Node runs, built again only when its sources change', async () => {
    await ensureBuilt(SERVER_BUILD);
    expect(await ensureBuilt(SERVER_BUILD)).toBe('current');
    const bundle = await readFile(path.join(REPOSITORY_ROOT, 'backend/dist/server.js'), 'utf8');
    expect(bundle).not.toMatch(/from "(tsx|typescript|esbuild)[/"]/);
    expect(bundle).not.toMatch(/from "@collaro\/shared"/);
  });

  it('loads the libraries of Clerk, Stream, Redis and each database engine only when they are used', async () => {
    await ensureBuilt(SERVER_BUILD);
    const bundle = await readFile(path.join(REPOSITORY_ROOT, 'backend/dist/server.js'), 'utf8');
    const loadedAtStart = new Set([...bundle.matchAll(/^import\b[^;]*?from "([^"]+)"/gm)].map((match) => match[1]));
    const loadedWhenUsed = new Set([...bundle.matchAll(/\bimport\("([^"]+)"\)/g)].map((match) => match[1]));
    for (const library of [
      '@clerk/backend',
      'svix',
      '@stream-io/node-sdk',
      'ioredis',
      'pg',
      'drizzle-orm/node-postgres',
      '@electric-sql/pglite',
      'pino-pretty',
    ]) {
      expect(loadedAtStart, library).not.toContain(library);
      expect(loadedWhenUsed, library).toContain(library);
    }
    expect(loadedAtStart).toContain('fastify');
  });

  it('starts, answers /healthz and serves the API', { timeout: 240_000 }, async () => {
    const server = new ServerProcess(environment, await freePort(), 'built');
    // On a new data directory the first start creates the embedded database: seconds, more on a busy machine.
    await server.start(210_000);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const signedUp = await server.request('POST', '/api/auth/signup', { body: { email: 'built@collaro.test', password: 'a long password', name: 'Built' } });
    expect((await server.request('GET', '/api/me', { token: signedUp.accessToken })).user.name).toBe('Built');
    expect(await server.kill('SIGINT')).toBe(0);
  });
});
