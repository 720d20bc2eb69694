import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../backend/test/helpers/chromium.js';

/**
 * End-to-end harness: the real web build, the real backend in a child process, Debian's Chromium
 * with fake camera, microphone and screen. One per test file; `stop()` releases everything.
 */

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'screenshots');
const WEB_BUILD_INDEX = path.join(REPO_ROOT, 'desktop', 'dist', 'web', 'index.html');
const CHROMIUM = CHROMIUM_PATH;
export const CHROMIUM_ARGS = CHROMIUM_FLAGS;

/**
 * Builds the web UI into a directory of this harness's own, so test files running in parallel (and
 * anyone running `npm run build:web` meanwhile) never replace the files a test is being served.
 * With COLLARO_E2E_PREBUILT=1 (CI builds once before the suite) the existing desktop/dist/web is used.
 */
export function buildWebUi(outDir: string): string {
  if (process.env.COLLARO_E2E_PREBUILT === '1' && existsSync(WEB_BUILD_INDEX)) return path.dirname(WEB_BUILD_INDEX);
  execFileSync(
    path.join(REPO_ROOT, 'node_modules', '.bin', 'vite'),
    ['build', '--config', 'vite.web.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    // Vitest sets NODE_ENV=test, which would make vite bundle React's development build.
    { cwd: path.join(REPO_ROOT, 'desktop'), stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  return outDir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A fresh PostgreSQL database when DATABASE_URL is set, so runs never share rows. */
async function createFreshDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `collaro_e2e_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function waitForHealthy(baseUrl: string, server: ChildProcess, output: () => string): Promise<void> {
  // Generous: on a busy two-core machine compiling the backend on the fly and creating the database take long.
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The backend exited with ${server.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The backend did not become healthy within 180 s:\n${output()}`);
}

export interface E2eUser {
  name: string;
  email: string;
  password: string;
}

export interface Harness {
  baseUrl: string;
  /** The web build this harness serves. */
  webUiDir: string;
  browser: Browser;
  /** A new browser context (a separate user: own storage, own cookies) with camera and microphone allowed. */
  newUser(): Promise<{ context: BrowserContext; page: Page }>;
  screenshot(page: Page, name: string): Promise<string>;
  /** Everything the backend printed so far, for failure messages. */
  serverOutput(): string;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra environment for the backend (Stream or Clerk settings, say). */
  env?: Record<string, string>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'collaro-e2e-'));
  const webUiDir = buildWebUi(path.join(dataDir, 'web'));
  const database = process.env.DATABASE_URL ? await createFreshDatabase(process.env.DATABASE_URL) : null;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const server = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['backend/src/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      COLLARO_DATA_DIR: dataDir,
      COLLARO_WEB_UI_DIR: webUiDir,
      DATABASE_URL: database?.url ?? '',
      REDIS_URL: '',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  server.stdout?.on('data', collect);
  server.stderr?.on('data', collect);

  let browser: Browser | null = null;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await database?.drop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealthy(baseUrl, server, () => output);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  } catch (error) {
    await stop();
    throw error;
  }
  const launched = browser;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });

  return {
    baseUrl,
    webUiDir,
    browser: launched,
    async newUser() {
      const context = await launched.newContext({ baseURL: baseUrl, permissions: ['camera', 'microphone'], viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      // Fail a step well within the test timeout, so the failing step is the one reported; generous,
      // because the two cores are shared with the backend, two browsers and other test files.
      page.setDefaultTimeout(30_000);
      return { context, page };
    },
    async screenshot(page, name) {
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    serverOutput: () => output,
    stop,
  };
}

/** For `expect.poll`: its one-second default is too short for a lazily loaded screen on a busy machine. */
export const POLL = { timeout: 30_000 } as const;

let userSequence = 0;

/** A user with a unique email, so repeated runs against one database never collide. */
export function makeUser(name: string): E2eUser {
  userSequence += 1;
  return {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}.${process.pid}.${Date.now()}.${userSequence}@e2e.collaro.test`,
    password: 'correct horse battery staple',
  };
}

/** Signs up through the real form and waits for the home screen. */
export async function signUpThroughUi(page: Page, user: E2eUser): Promise<void> {
  await page.goto('/sign-up');
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByTestId('clock').waitFor();
}
