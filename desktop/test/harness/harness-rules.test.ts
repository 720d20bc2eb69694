import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness } from './desktop-harness.js';

/**
 * The harness's own promise: a main process that breaks one of Electron's rules does not pass. Each
 * case runs a small main bundle (fixtures/rule-breaker-main.mjs) that breaks one rule.
 */
const RULE_BREAKER = fileURLToPath(new URL('./fixtures/rule-breaker-main.mjs', import.meta.url));

let harness: DesktopHarness;

beforeAll(async () => {
  harness = await DesktopHarness.start({ withBackend: false });
}, 300_000);

afterAll(async () => {
  await harness?.stop();
});

async function violationsOf(scenario: string): Promise<string> {
  const app: DesktopApp = await harness.launch({ mainBundle: RULE_BREAKER, args: [`scenario=${scenario}`] });
  try {
    await app.waitFor('a violation', () => (app.violations.length > 0 ? true : null));
    return app.violations.join('\n');
  } finally {
    await app.kill();
  }
}

describe('the desktop harness enforces Electron’s rules', { timeout: 60_000 }, () => {
  it.each([
    ['window-before-ready', /new BrowserWindow\(\) before the app is ready/],
    ['tray-before-ready', /new Tray\(\) before the app is ready/],
    ['protocol-before-ready', /protocol\.handle\('fixture'\) before the app is ready/],
    ['schemes-twice', /registerSchemesAsPrivileged called 2 times: Electron keeps only the last call, so fixture lose their privileges/],
    ['schemes-after-ready', /registerSchemesAsPrivileged after ready/],
    ['handler-twice', /ipcMain\.handle\('fixture:ping'\) twice/],
  ])('reports %s', async (scenario, expected) => {
    expect(await violationsOf(scenario)).toMatch(expected);
  });

  it.each([
    ['esm-preload', /esm-preload\.mjs.*(cannot be an ES module|not a single CommonJS script)/],
    ['preload-requires-fs', /requires 'fs': a sandboxed preload gets only electron, events, timers and url/],
    ['channel-without-handler', /invoked 'fixture:ping', which has no handler in main/],
    ['unemulated-api', /app\.getJumpListSettings is not emulated/],
  ])('reports %s once the window is up', async (scenario, expected) => {
    const app = await harness.launch({ mainBundle: RULE_BREAKER, args: [`scenario=${scenario}`] });
    try {
      if (scenario === 'channel-without-handler') {
        const page = await app.window('fixture://pages/');
        await page.evaluate(() => (window as unknown as { fixture: { ping(): Promise<unknown> } }).fixture.ping().catch((error: Error) => error.message));
      }
      await app.waitFor(`a violation matching ${expected}`, () => (expected.test(app.violations.join('\n')) ? true : null));
    } finally {
      await app.kill();
    }
  });
});
