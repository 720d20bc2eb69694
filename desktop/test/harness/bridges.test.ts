import { ipcChannelName, ipcEventContract, type IpcEventChannel } from '@collaro/shared';
import type { Request, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness } from './desktop-harness.js';
import { appWindowId, expectNoViolations, POLL } from './harness-fixtures.js';
import type { StandInRoute } from './page-bridge.js';

/** A site no Collaro window may load anything from; it records whatever reaches it anyway. */
class ForeignSite implements StandInRoute {
  readonly requests: string[] = [];
  matches(url: URL): boolean {
    return url.hostname === 'scripts.example.net';
  }
  async handle(route: Route, request: Request): Promise<void> {
    this.requests.push(request.url());
    await route.fulfill({ status: 200, contentType: 'text/javascript', body: 'window.__foreign = true;' });
  }
}

const foreign = new ForeignSite();
let harness: DesktopHarness;
let app: DesktopApp | undefined;

beforeAll(async () => {
  harness = await DesktopHarness.start({ standIns: [foreign] });
}, 300_000);

afterEach(async () => {
  await app?.quit();
  app = undefined;
});

afterAll(async () => {
  await harness?.stop();
});

const EVENT_CHANNELS = new Set(Object.keys(ipcEventContract).map((channel) => ipcChannelName(channel as IpcEventChannel)));

describe('what a window can reach', { timeout: 90_000 }, () => {
  it('every channel any preload exposes has a handler in main: the app window, the share picker and the sharing bar', async () => {
    const profile = harness.newProfile();
    profile.seedSettings({ backendUrl: harness.backendUrl, backendUrlConfirmed: true });
    app = await harness.launch({ profile });
    const page = await app.appWindow();
    await page.getByLabel('Email').waitFor();
    const desktop = app;
    const answered = async () => {
      const state = await desktop.recorded();
      return new Set([...state.ipcHandlers, ...state.ipcListeners]);
    };
    const checkWindow = async (windowId: number, expectedBridges: string[]) => {
      const probe = await desktop.probeBridges(windowId);
      expect(probe.exposed).toEqual(expectedBridges);
      const handled = await answered();
      expect(
        [...probe.invoked, ...probe.sent].filter((channel) => !handled.has(channel)),
        `channels of ${expectedBridges.join(', ')} that main does not answer`,
      ).toEqual([]);
      expect(probe.subscribed.filter((channel) => !EVENT_CHANNELS.has(channel))).toEqual([]);
      return probe;
    };

    const appProbe = await checkWindow(await appWindowId(app), ['collaro', '__clerk_internal_electron']);
    expect(appProbe.invoked).toEqual(
      expect.arrayContaining(['clerk:oauth-transport:get-redirect-url', 'clerk:oauth-transport:open', 'clerk:token-cache:get', 'collaro:settings.get']),
    );

    void page.evaluate(() => navigator.mediaDevices.getDisplayMedia({ video: true }).catch(() => null));
    await app.window('collaro-app://picker/picker.html');
    const pickerId = (await app.recorded()).windows.find((window) => window.url.endsWith('picker.html'))!.id;
    await checkWindow(pickerId, ['collaroPicker']);
    const picker = await app.window('collaro-app://picker/picker.html');
    await picker.locator('button.source').first().click();
    await picker.getByRole('button', { name: 'Share' }).click();
    await app.window('collaro-app://picker/sharing-bar.html');
    const barId = (await app.recorded()).windows.find((window) => window.url.endsWith('sharing-bar.html'))!.id;
    await checkWindow(barId, ['collaroSharingBar']);
    expectNoViolations(app);
  });

  it('gives the page named actions only, no Node.js, and no file outside the app', async () => {
    app = await harness.launch();
    const page = await app.appWindow();
    await page.getByRole('heading', { name: 'Connect to your Collaro server' }).waitFor();
    const reach = await page.evaluate(() => {
      const scope = globalThis as unknown as Record<string, unknown>;
      const collaro = (scope['collaro'] as Record<string, Record<string, unknown>> | undefined) ?? {};
      return {
        members: Object.values(collaro).flatMap((area) => Object.entries(area).map(([name, member]) => `${name}:${typeof member}`)),
        require: typeof scope['require'],
        process: typeof scope['process'],
        ipcRenderer: typeof scope['ipcRenderer'],
        module: typeof scope['module'],
      };
    });
    expect(reach.members.length).toBeGreaterThan(10);
    expect(reach.members.filter((member) => !member.endsWith(':function') || /^(invoke|send|on|ipcRenderer):/.test(member))).toEqual([]);
    expect({ ...reach, members: [] }).toEqual({
      members: [],
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
      module: 'undefined',
    });
    const traversal = await page.evaluate(async () => (await fetch('/%2e%2e%2fpackage.json')).status);
    expect(traversal).toBe(403);
    expect(await page.evaluate(async () => (await fetch('/no/such/file.js')).status)).toBe(404);
    expectNoViolations(app);
  });

  it('enforces the CSP main’s protocol handler sends: no remote or inline script runs', async () => {
    app = await harness.launch();
    const page = await app.appWindow();
    await page.getByRole('heading', { name: 'Connect to your Collaro server' }).waitFor();
    const ran = await page.evaluate(async () => {
      const remote = document.createElement('script');
      remote.src = 'https://scripts.example.net/tracker.js';
      const inline = document.createElement('script');
      inline.textContent = 'window.__inline = true;';
      document.head.append(remote, inline);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const scope = window as unknown as Record<string, unknown>;
      return { remote: scope['__foreign'] === true, inline: scope['__inline'] === true };
    });
    expect(ran).toEqual({ remote: false, inline: false });
    expect(foreign.requests).toEqual([]);
    // The harness reports what the policy blocked: these two refusals and nothing the app itself did.
    await expect.poll(() => app!.violations.length, POLL).toBe(2);
    expect(app.violations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Content-Security-Policy blocked https:\/\/scripts\.example\.net\/tracker\.js \(script-src-elem\)/),
        expect.stringMatching(/Content-Security-Policy blocked inline \(script-src-elem\)/),
      ]),
    );
  });
});
