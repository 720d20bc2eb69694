import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { AccessTokens } from '../../src/auth/local/access-tokens.js';
import { hashRefreshToken, LocalAccounts } from '../../src/auth/local/local-accounts.js';
import { generateSigningKey } from '../../src/auth/local/signing-keys.js';
import type { Database } from '../../src/db/client.js';
import { refreshTokens } from '../../src/db/schema/index.js';
import { createTestApp, signUp, type TestApp } from '../helpers/test-app.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());

/**
 * The database as LocalAccounts sees it, except that writes made outside a transaction wait for
 * `released`: what a busy server does to a refresh between two of its steps.
 */
function withInsertsHeldUntil(db: Database, released: Promise<void>): Database {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'insert') {
        return (table: Parameters<Database['insert']>[0]) => ({
          values: (values: never) => {
            const query = target.insert(table).values(values);
            return { then: (resolve: () => void, reject: (error: unknown) => void) => released.then(() => query).then(resolve, reject) };
          },
        });
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a refresh overlapping one still in flight with the same token', () => {
  it('keeps the person signed in: a page that reloads mid-refresh retries with the token it still holds', async () => {
    const user = await signUp(testApp.app, 'Mid-refresh reloader');
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const accounts = new LocalAccounts(withInsertsHeldUntil(testApp.database.db, released), new AccessTokens(await generateSigningKey()));

    // The first page's refresh: the server has taken its token and is still on its way to an answer.
    const first = accounts.refresh(user.refreshToken);
    first.catch(() => undefined);
    const taken = async () => {
      const [row] = await testApp.database.db
        .select({ rotatedAt: refreshTokens.rotatedAt })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, hashRefreshToken(user.refreshToken)));
      return row?.rotatedAt ?? null;
    };
    await expect.poll(taken, { timeout: 5_000 }).not.toBeNull();

    // The reloaded page retries with the same token before the first refresh has answered.
    const retry = accounts.refresh(user.refreshToken).finally(release);
    await expect(retry).resolves.toMatchObject({ userId: user.id });
    await expect(first).resolves.toMatchObject({ userId: user.id });

    // The retry's pair is the one the page keeps, and it goes on working.
    const kept = await retry;
    await expect(accounts.refresh(kept.tokens.refreshToken)).resolves.toMatchObject({ userId: user.id });
    await expect(accounts.authenticate(kept.tokens.accessToken)).resolves.toMatchObject({ userId: user.id });
  });
});
