import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const backendDir = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = await mkdtemp(path.join(tmpdir(), 'collaro-process-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: backendDir,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('the server process', () => {
  it('starts on the embedded database, logs its URL and data dir, and exits cleanly on Ctrl-C', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const server = startServer({ PORT: String(port), COLLARO_DATA_DIR: dataDir });
    const url = `http://127.0.0.1:${port}`;
    try {
      await expect
        .poll(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.status, { timeout: 60_000, interval: 250 })
        .toBe(200);
      expect(server.output()).toContain(`Collaro is running at ${url}`);
      expect(server.output()).toContain(dataDir);
    } finally {
      server.child.kill('SIGINT');
    }
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutting down');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('refuses to start on a bad variable, naming it', async () => {
    const server = startServer({ PORT: 'eighty', COLLARO_DATA_DIR: dataDir });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('Collaro cannot start: Invalid environment variable PORT');
  });
});
