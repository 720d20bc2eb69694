import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { call } from '../helpers/test-app.js';

const dataDir = await mkdtemp(path.join(tmpdir(), 'collaro-restart-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

/** Starts Collaro on the embedded database in `dataDir`, exactly as `npm start` does. */
async function start() {
  const config = loadConfig({ COLLARO_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const database = await openDatabase({ kind: 'embedded', dataDir: config.dataDir });
  await database.migrate();
  const app = await buildApp({ config, database });
  await app.ready();
  return {
    app,
    stop: async () => {
      await app.close();
      await database.close();
    },
  };
}

describe('restarting with the same data dir', () => {
  it('keeps every account, organization, team and the tokens already handed out', { timeout: 90_000 }, async () => {
    const first = await start();
    const signup = await first.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: 'keeper@example.test', password: 'survives restarts', name: 'Keeper' },
    });
    const user = signup.json();
    const caller = { headers: { authorization: `Bearer ${user.accessToken}` } };
    const org = (await call(first.app, caller, 'POST', '/api/orgs', { name: 'Durable' })).body;
    const team = (await call(first.app, caller, 'POST', `/api/orgs/${org.id}/teams`, { name: 'Core' })).body;
    await first.stop();

    const second = await start();
    try {
      expect((await second.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
      // The signing key lives in the data dir, so a token from before the restart still works.
      const me = await call(second.app, caller, 'GET', '/api/me');
      expect(me.status).toBe(200);
      expect(me.body.organizations).toEqual([{ id: org.id, name: 'Durable', role: 'admin' }]);
      expect((await call(second.app, caller, 'GET', `/api/teams/${team.id}`)).body.name).toBe('Core');
      const login = await second.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'keeper@example.test', password: 'survives restarts' },
      });
      expect(login.statusCode).toBe(200);
      const refreshed = await second.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: user.refreshToken } });
      expect(refreshed.statusCode).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
