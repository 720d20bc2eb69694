import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, ServerProcess } from '../helpers/server-process.js';

const dataDir = await mkdtemp(path.join(tmpdir(), 'collaro-process-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

// Only what a user's shell would have: no DATABASE_URL or REDIS_URL from the test environment.
const bareEnvironment = { PATH: process.env.PATH, HOME: process.env.HOME, COLLARO_DATA_DIR: dataDir };

describe('the server process', () => {
  it('starts on the embedded database, logs its URL and data dir, and exits cleanly on Ctrl-C', { timeout: 90_000 }, async () => {
    const server = new ServerProcess(bareEnvironment, await freePort());
    await server.start();
    expect(server.output).toContain(`Collaro is running at ${server.url}`);
    expect(server.output).toContain(dataDir);

    expect(await server.kill('SIGINT')).toBe(0);
    expect(server.output).toContain('shutting down');
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('refuses to start on a bad variable, naming it', async () => {
    const server = new ServerProcess({ ...bareEnvironment, LOG_LEVEL: 'loud' }, await freePort());
    server.spawn();
    expect(await server.exited()).toBe(1);
    expect(server.output).toContain('Collaro cannot start: Invalid environment variable LOG_LEVEL');
  });
});
