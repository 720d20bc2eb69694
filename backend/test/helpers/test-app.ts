import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDependencies } from '../../src/app.js';
import { generateSigningKey } from '../../src/auth/local/signing-keys.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { createTestDatabase } from './test-database.js';

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  config: Config;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: AppDependencies['clock'];
  /** Reuse a database (and its rows) across several app instances, as a restart would. */
  database?: DatabaseHandle;
  dataDir?: string;
  /** The key that signs access tokens, when a test needs to mint its own. */
  signingKey?: AppDependencies['signingKey'];
  chatWriteLimits?: AppDependencies['chatWriteLimits'];
}

/** Builds the real app on a fresh database and a temporary data dir, as `npm start` would. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'collaro-test-')));
  const config = loadConfig({
    COLLARO_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    AUTH_RATE_LIMIT_PER_IP: '100000',
    AUTH_RATE_LIMIT_PER_EMAIL: '100000',
    AUTH_RATE_LIMIT_PER_ACCOUNT: '100000',
    // A test machine running several suites at once starves timers; load shedding has its own test.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    ...options.env,
  });
  const database = options.database ?? (await createTestDatabase());
  const app = await buildApp({
    config,
    database,
    clock: options.clock,
    signingKey: options.signingKey ?? (await generateSigningKey()),
    chatWriteLimits: options.chatWriteLimits,
  });
  await app.ready();
  return {
    app,
    database,
    config,
    close: async () => {
      await app.close();
      if (!options.database) await database.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  accessToken: string;
  refreshToken: string;
  headers: { authorization: string };
}

let userCounter = 0;

/** Signs a new local user up through the real route. */
export async function signUp(app: FastifyInstance, name = 'User'): Promise<SignedInUser> {
  userCounter += 1;
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${process.pid}-${userCounter}-${Date.now()}@example.test`;
  const response = await app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email, password: 'correct horse battery', name } });
  if (response.statusCode !== 201) throw new Error(`signup failed: ${response.statusCode} ${response.body}`);
  const body = response.json();
  return { ...body.user, accessToken: body.accessToken, refreshToken: body.refreshToken, headers: { authorization: `Bearer ${body.accessToken}` } };
}

/** Sends a request as `user` (or anonymously) and returns the parsed response. */
export interface Caller {
  headers: { authorization: string };
}

export async function call(app: FastifyInstance, user: Caller | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  const response = await app.inject({
    method,
    url,
    headers: user ? user.headers : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: response.statusCode, body: response.body ? safeJson(response.body) : undefined, headers: response.headers };
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
