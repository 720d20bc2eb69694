import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { generateSigningKey } from '../../src/auth/local/signing-keys.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { call, signUp, type SignedInUser } from '../helpers/test-app.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

const serverUrl = process.env.DATABASE_URL;
const TIMEOUT_MS = 1000;

describe.skipIf(!serverUrl)('when PostgreSQL goes away or slows down (needs DATABASE_URL)', () => {
  const name = `collaro_outage_${randomBytes(4).toString('hex')}`;
  let proxy: TcpProxy;
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let dataDir: string;
  let admin: SignedInUser;
  let orgId: string;

  async function adminQuery(sql: string) {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  }

  beforeAll(async () => {
    await adminQuery(`create database ${name}`);
    const target = new URL(serverUrl!);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const viaProxy = new URL(serverUrl!);
    viaProxy.port = String(proxy.port);
    viaProxy.pathname = `/${name}`;
    database = await openDatabase({ kind: 'postgres', url: viaProxy.toString(), poolSize: 4, timeoutMs: TIMEOUT_MS });
    await database.migrate();
    dataDir = await mkdtemp(path.join(tmpdir(), 'collaro-outage-'));
    app = await buildApp({
      config: loadConfig({ COLLARO_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
      database,
      signingKey: await generateSigningKey(),
    });
    await app.ready();
    admin = await signUp(app, 'Admin');
    orgId = (await call(app, admin, 'POST', '/api/orgs', { name: 'Resilient' })).body.id;
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
    await proxy?.close();
    await adminQuery(`drop database if exists ${name} with (force)`);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const listMembers = () => call(app, admin, 'GET', `/api/orgs/${orgId}/members`);

  it('answers 503 with a retry hint while the database is unreachable, and recovers by itself', async () => {
    expect((await listMembers()).status).toBe(200);
    await proxy.cut();

    const started = Date.now();
    const during = await listMembers();
    expect(during.status).toBe(503);
    expect(during.body.error.code).toBe('service_unavailable');
    expect(Number(during.headers['retry-after'])).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 4);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(503);

    await proxy.restore();
    await expect.poll(async () => (await listMembers()).status, { timeout: 15_000, interval: 200 }).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('times requests out with 503 instead of letting them pile up when the database hangs', async () => {
    proxy.stall();
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 8 }, () => listMembers()));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(503));
    // Eight requests on a pool of four: each waits at most one timeout for a connection or a query.
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 5);

    proxy.unstall();
    await expect.poll(async () => (await listMembers()).status, { timeout: 15_000, interval: 200 }).toBe(200);
  });
});
