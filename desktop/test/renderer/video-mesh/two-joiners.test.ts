import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser, CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../../../backend/test/helpers/chromium.js';
import { ALICE, BOB } from './two-joiners-ids.js';
import type { TwoJoinersOptions, TwoJoinersPageApi } from './two-joiners-page.js';

/**
 * Two people joining a meeting on the built-in mesh at the same moment, in real Chromium (whose
 * WebRTC decides what a crossed offer does to the connection), with the room's frames reaching
 * each of them in the orders a busy server produces. Each must end up seeing the other's camera.
 */

const PAGE_ENTRY = fileURLToPath(new URL('./two-joiners-page.ts', import.meta.url));
const ORIGIN = 'http://localhost:5999';

let browser: Browser;
let script: string;
let page: Page | null = null;

beforeAll(async () => {
  script = await bundleForBrowser(PAGE_ENTRY);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}, 60_000);

afterEach(async () => {
  await page?.evaluate(() => window.collaroTwoJoiners.stop()).catch(() => {});
  await page?.context().close();
  page = null;
});

afterAll(async () => {
  await browser?.close();
});

type PageGlobal = { collaroTwoJoiners: Record<string, (...args: unknown[]) => unknown> };

function run<K extends keyof TwoJoinersPageApi>(name: K, ...args: Parameters<TwoJoinersPageApi[K]>): Promise<Awaited<ReturnType<TwoJoinersPageApi[K]>>> {
  return page!.evaluate(([fn, fnArgs]) => (globalThis as unknown as PageGlobal).collaroTwoJoiners[fn]!(...fnArgs), [name, args] as [
    string,
    unknown[],
  ]) as never;
}

/** Opens the page on a secure origin (no server: Playwright answers its two requests). */
async function openPage(): Promise<void> {
  const context = await browser.newContext();
  page = await context.newPage();
  await page.route(`${ORIGIN}/page.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><html><body><script src="/page.js"></script></body></html>' }),
  );
  await page.route(`${ORIGIN}/page.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: script }));
  await page.goto(`${ORIGIN}/page.html`);
  await page.waitForFunction(() => 'collaroTwoJoiners' in globalThis);
}

/** Both see the other's picture move; on failure, says what each peer connection was doing. */
async function expectEachSeesTheOther(options: TwoJoinersOptions) {
  await openPage();
  await run('start', options);
  await expect
    .poll(
      async () => {
        const shown = await run('framesShown');
        return shown.atAlice > 2 && shown.atBob > 2 ? 'both see the other' : JSON.stringify({ shown, ...(await run('describe')) });
      },
      { timeout: 20_000, interval: 500 },
    )
    .toBe('both see the other');
}

describe('two people joining a mesh meeting at the same moment', { timeout: 60_000 }, () => {
  for (const prepared of [true, false]) {
    const offers = prepared ? 'offers made ahead of the join' : 'offers made in the room';
    it(`see each other when the room lets them in one after the other (${offers})`, async () => {
      await expectEachSeesTheOther({ arrival: { kind: 'in-turn' }, prepared });
    });

    it(`see each other when each one's room lists the other and their offers cross (${offers})`, async () => {
      await expectEachSeesTheOther({ arrival: { kind: 'both-see-both' }, prepared });
    });

    for (const [first, name] of [
      [ALICE, 'Alice'],
      [BOB, 'Bob'],
    ] as const) {
      it(`see each other when ${name}'s offer arrives before the other is told it is in the room (${offers})`, async () => {
        await expectEachSeesTheOther({ arrival: { kind: 'offer-before-joined', first }, prepared });
      });
    }
  }
});
