import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A brand-new database on the PostgreSQL server named by `serverUrl`, dropped by `drop()`. */
export async function createServerDatabase(serverUrl: string, prefix = 'collaro_proc') {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/**
 * The real entry point in a child process: `backend/src/server.ts` through the TypeScript loader by
 * default, or `backend/dist/server.js` (what `npm start` runs) with plain Node once it is built.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  output = '';

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    readonly port: number,
    private readonly entry: 'source' | 'built' = 'source',
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid() {
    return this.child?.pid;
  }

  /** Starts the process without waiting for it to become healthy. */
  spawn() {
    const args = this.entry === 'built' ? ['backend/dist/server.js'] : ['--import', 'tsx', 'backend/src/server.ts'];
    this.child = spawn(process.execPath, args, {
      cwd: REPOSITORY_ROOT,
      env: { ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk) => (this.output += chunk));
    this.child.stderr!.on('data', (chunk) => (this.output += chunk));
  }

  async start(timeoutMs = 90_000) {
    this.spawn();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child!.exitCode !== null) throw new Error(`server exited early: ${this.output.slice(-2000)}`);
      const healthy = await fetch(`${this.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (healthy) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`server did not become healthy: ${this.output.slice(-2000)}`);
  }

  /** Sends `signal` and resolves with the exit code once the process has ended. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }

  /** Resolves with the exit code when the process ends by itself. */
  exited(): Promise<number | null> {
    const child = this.child!;
    if (child.exitCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * A JSON request to this server as a client would make it; a non-2xx answer throws with its body.
   * The answer is the parsed JSON, loosely typed: these are fixtures, not the contract under test.
   */
  async request(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<any> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** Resident memory of the server process, in bytes (Linux). */
  async residentBytes(): Promise<number> {
    const status = await readFile(`/proc/${this.child!.pid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kib * 1024;
  }
}
