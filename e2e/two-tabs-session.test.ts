import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser, CHROMIUM_FLAGS, CHROMIUM_PATH } from '../backend/test/helpers/chromium.js';

const PAGE_ENTRY = fileURLToPath(new URL('../desktop/test/renderer/auth/two-tabs-page.ts', import.meta.url));

/** The refresh route's rules: each refresh token is good once, and a used one coming back ends the session. */
function rotatingRefreshServer(script: string) {
  const unused = new Set<string>();
  const state = { refreshed: 0, replays: 0 };
  const issue = () => {
    const refreshToken = randomBytes(16).toString('base64url');
    unused.add(refreshToken);
    const payload = Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 900 })).toString('base64url');
    return { accessToken: `e30.${payload}.signature`, refreshToken };
  };
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/') {
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><title>tab</title><script>${script}</script>`);
      return;
    }
    if (request.method === 'POST' && request.url === '/api/auth/refresh') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const { refreshToken } = JSON.parse(body) as { refreshToken: string };
        response.setHeader('content-type', 'application/json');
        if (!unused.delete(refreshToken)) {
          state.replays += 1;
          response.statusCode = 401;
          response.end(JSON.stringify({ error: { code: 'unauthorized', message: 'Refresh token was already used' } }));
          return;
        }
        state.refreshed += 1;
        // A little server time, as a real refresh takes: the other tab waits on the lock meanwhile.
        setTimeout(() => response.end(JSON.stringify(issue())), 5);
      });
      return;
    }
    response.statusCode = 404;
    response.end();
  });
  return { server, state, issue };
}

let browser: Browser;

/** Runs `test` with the page served at a fresh origin (so a fresh store) and a fresh browser profile. */
async function withOrigin(test: (origin: string, server: ReturnType<typeof rotatingRefreshServer>, context: BrowserContext) => Promise<void>) {
  const refreshServer = rotatingRefreshServer(script);
  await new Promise<void>((resolve) => refreshServer.server.listen(0, '127.0.0.1', resolve));
  const context = await browser.newContext();
  try {
    await test(`http://127.0.0.1:${(refreshServer.server.address() as AddressInfo).port}`, refreshServer, context);
  } finally {
    await context.close();
    refreshServer.server.close();
  }
}
let script: string;

beforeAll(async () => {
  script = await bundleForBrowser(PAGE_ENTRY);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface TabApi {
  collaroAuth: {
    keep(token: string): Promise<void>;
    keepAsEarlierVersionDid(token: string): void;
    earlierVersionsToken(): string | null;
    refreshRepeatedly(times: number): Promise<boolean[]>;
    state(): { status: string };
  };
}

describe('the local session in two tabs of one browser', () => {
  it('survives both tabs refreshing over and over at once: every rotated token is used exactly once', { timeout: 60_000 }, async () => {
    await withOrigin(async (origin, { state, issue }, context) => {
      const [first, second] = [await context.newPage(), await context.newPage()];
      await Promise.all([first.goto(origin), second.goto(origin)]);
      await first.evaluate((token) => (window as unknown as TabApi).collaroAuth.keep(token), issue().refreshToken);

      const rounds = 25;
      const outcomes = await Promise.all(
        [first, second].map((tab) => tab.evaluate((times) => (window as unknown as TabApi).collaroAuth.refreshRepeatedly(times), rounds)),
      );

      expect(state.replays).toBe(0);
      expect(outcomes.flat()).toEqual(new Array(rounds * 2).fill(true));
      expect(state.refreshed).toBe(rounds * 2);
      for (const tab of [first, second]) {
        expect(await tab.evaluate(() => (window as unknown as TabApi).collaroAuth.state().status)).not.toBe('signed-out');
      }
    });
  });

  it('keeps a person signed in across the update from a version that kept the token in localStorage', { timeout: 60_000 }, async () => {
    await withOrigin(async (origin, { state, issue }, context) => {
      const tab = await context.newPage();
      await tab.goto(origin);
      await tab.evaluate((token) => (window as unknown as TabApi).collaroAuth.keepAsEarlierVersionDid(token), issue().refreshToken);
      expect(await tab.evaluate(() => (window as unknown as TabApi).collaroAuth.refreshRepeatedly(2))).toEqual([true, true]);
      expect(state).toEqual({ refreshed: 2, replays: 0 });
      expect(await tab.evaluate(() => (window as unknown as TabApi).collaroAuth.earlierVersionsToken())).toBeNull();
    });
  });
});
