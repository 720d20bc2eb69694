import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, REPOSITORY_ROOT, ServerProcess } from '../helpers/server-process.js';

const dataDir = await mkdtemp(path.join(tmpdir(), 'collaro-logs-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));
const bare = { PATH: process.env.PATH, HOME: process.env.HOME, COLLARO_DATA_DIR: dataDir, TERM: 'dumb' };

let noScript = '';
try {
  execFileSync('script', ['--version'], { stdio: 'ignore' });
} catch {
  noScript = 'util-linux `script` is not installed, so no terminal can be given to the server';
}

/** Runs the server with a pseudo-terminal as its stdout (through util-linux `script`) until it prints its URL. */
async function runInTerminal(port: number): Promise<string> {
  const command = `exec "${process.execPath}" --import tsx backend/src/server.ts`;
  const child = spawn('script', ['-qefc', command, '/dev/null'], {
    cwd: REPOSITORY_ROOT,
    env: { ...bare, PORT: String(port) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Collaro is running at') && Date.now() < deadline && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Ctrl-C, as a person would press it.
  child.stdin.write('\x03');
  setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  await exited;
  return output;
}

describe('the server log', () => {
  it.skipIf(noScript)(`is lines a person can read in a terminal${noScript ? ` (skipped: ${noScript})` : ''}`, { timeout: 90_000 }, async () => {
    const port = await freePort();
    const output = await runInTerminal(port);
    const line = output.split(/\r?\n/).find((text) => text.includes('Collaro is running at'));
    expect(line, output).toBeDefined();
    expect(line).toMatch(/INFO/);
    expect(line).toContain(`Collaro is running at http://127.0.0.1:${port}`);
    expect(line!.trim().startsWith('{')).toBe(false);
  });

  it('is one JSON object per line when stdout is not a terminal', { timeout: 90_000 }, async () => {
    const server = new ServerProcess(bare, await freePort());
    await server.start();
    await server.kill('SIGTERM');
    const line = server.output.split('\n').find((text) => text.includes('Collaro is running at'))!;
    expect(JSON.parse(line)).toMatchObject({ level: 30, msg: `Collaro is running at ${server.url}` });
  });
});
