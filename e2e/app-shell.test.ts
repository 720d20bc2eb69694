import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLL, makeUser, signUpThroughUi, startHarness, type Harness } from './harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
}, 180_000);

afterAll(async () => {
  await harness?.stop();
});

describe('the app shell in a browser', { timeout: 60_000 }, () => {
  it('follows the system theme, and the toggle switches and remembers light and dark', async () => {
    const { context, page } = await harness.newUser();
    await page.emulateMedia({ colorScheme: 'dark' });
    await signUpThroughUi(page, makeUser('Theo Theme'));
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await harness.screenshot(page, 'home-dark');

    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), POLL).toBe('light');

    await page.getByRole('button', { name: 'Theme: system' }).click();
    await page.getByRole('button', { name: 'Theme: light' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.reload();
    await page.getByTestId('clock').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(17, 19, 24)');
    await context.close();
  });

  it('moves around with keyboard shortcuts and lists them on "?"', async () => {
    const { context, page } = await harness.newUser();
    await signUpThroughUi(page, makeUser('Kay Board'));
    await page.keyboard.press('Alt+O');
    await expect.poll(() => new URL(page.url()).pathname, POLL).toBe('/admin');
    await page.keyboard.press('Alt+C');
    await expect.poll(() => new URL(page.url()).pathname, POLL).toBe('/chat');
    await page.keyboard.press('Alt+H');
    await expect.poll(() => new URL(page.url()).pathname, POLL).toBe('/');
    await page.keyboard.press('Shift+Slash');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Switch theme');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await context.close();
  });

  it('opens a deep address directly (history routing) and sends signed-out visitors back to it after sign-in', async () => {
    const user = makeUser('Dee Link');
    const first = await harness.newUser();
    await signUpThroughUi(first.page, user);
    await first.context.close();

    const { context, page } = await harness.newUser();
    await page.goto('/admin');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).search).toBe('?next=%2Fadmin');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('You are not in an organization yet.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin');

    await page.goto('/no/such/screen');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await context.close();
  });

  it('shares the session between two tabs, and signing out in one signs out the other', async () => {
    const { context, page } = await harness.newUser();
    await signUpThroughUi(page, makeUser('Tabitha Tabs'));
    const second = await context.newPage();
    second.setDefaultTimeout(15_000);
    await second.goto('/');
    await second.getByTestId('clock').waitFor();
    // Both tabs restarting at once must not spend one refresh token twice (the server would revoke the session).
    for (let round = 0; round < 3; round += 1) {
      await Promise.all([page.reload(), second.reload()]);
      await page.getByTestId('clock').waitFor();
      await second.getByTestId('clock').waitFor();
    }

    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await second.getByText('You signed out in another window.').waitFor();
    await context.close();
  });

  it('stays signed in when the page is reloaded again before the first reload finished', async () => {
    const { context, page } = await harness.newUser();
    await signUpThroughUi(page, makeUser('Reese Reload'));
    for (let round = 0; round < 3; round += 1) {
      // The second reload cuts the first one's session refresh off in flight: its answer never arrives.
      const firstReload = page.reload().catch(() => undefined);
      await page.waitForRequest((request) => request.url().endsWith('/api/auth/refresh'));
      await page.reload();
      await firstReload;
      await page.getByTestId('clock').waitFor();
    }
    await context.close();
  });

  it('hides desktop-only features in a plain browser', async () => {
    const { context, page } = await harness.newUser();
    await signUpThroughUi(page, makeUser('Bea Browser'));
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Change server' }).count()).toBe(0);
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await context.close();
  });
});

describe('when the server cannot be reached', { timeout: 60_000 }, () => {
  it('a screen that cannot be downloaded says so plainly and offers a reload, never a developer error page', async () => {
    const { context, page } = await harness.newUser();
    await signUpThroughUi(page, makeUser('Dee Ownload'));
    // The server goes away: every request fails from here on, the Meetings screen's code included.
    const attempts: string[] = [];
    await context.route('**/assets/**', async (route) => {
      attempts.push(route.request().url());
      await route.abort('connectionrefused');
    });
    await page.getByRole('link', { name: 'Meetings' }).click();
    const error = page.getByTestId('route-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('This screen could not be loaded');
    expect(await page.getByText(/Unexpected Application Error|Hey developer/).count()).toBe(0);
    // The sidebar stays, and the download was tried more than once before giving up.
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(new Set(attempts.filter((url) => /meetings-screen/.test(url))).size).toBeGreaterThan(0);
    expect(attempts.filter((url) => /meetings-screen/.test(url)).length).toBeGreaterThan(1);
    await harness.screenshot(page, 'screen-load-error');

    // The server is back: Reload brings the screen.
    await context.unroute('**/assets/**');
    await page.getByRole('button', { name: 'Reload Collaro' }).click();
    await page.getByRole('heading', { name: 'Meetings', exact: true }).waitFor();
    await context.close();
  });
});

describe('the app shell inside the desktop app (window.collaro present)', { timeout: 60_000 }, () => {
  it('asks for the server address on first run, saves it through the bridge, and offers to change it', async () => {
    const { context, page } = await harness.newUser();
    // The desktop preload's bridge, played by the test: it records what the app asks of the desktop
    // shell, and keeps its settings across reloads as main does.
    await context.addInitScript(() => {
      const saved = sessionStorage.getItem('desktop-bridge-stand-in');
      const state: { calls: [string, unknown][]; settings: Record<string, unknown> } = saved
        ? JSON.parse(saved)
        : { calls: [], settings: { backendUrl: 'http://127.0.0.1:4000', backendUrlConfirmed: false, startAtLogin: false, miniCallWindow: false } };
      const save = () => sessionStorage.setItem('desktop-bridge-stand-in', JSON.stringify(state));
      const calls = {
        push: (call: [string, unknown]) => {
          state.calls.push(call);
          save();
          return state.calls.length;
        },
      };
      const none = () => () => undefined;
      Object.assign(window, {
        __bridgeCalls: state.calls,
        collaro: {
          app: { info: async () => ({ version: '0.1.0', platform: 'linux', packaged: false }) },
          settings: {
            get: async () => state.settings,
            // Main checks a new address before it is saved; the test's server is up, so the check passes.
            checkServer: async (backendUrl: string) => ({ ok: true, origin: new URL(backendUrl).origin }),
            set: async (patch: { backendUrl?: string }) => {
              const newServer = patch.backendUrl !== undefined && patch.backendUrl !== state.settings.backendUrl;
              state.settings = { ...state.settings, ...patch, backendUrlConfirmed: true };
              calls.push(['settings.set', patch]);
              // Main reloads the window for another server, so that its CSP names that server.
              if (newServer) setTimeout(() => location.reload(), 50);
              return state.settings;
            },
          },
          notifications: { show: async (n: unknown) => (calls.push(['notifications.show', n]), { shown: true }), onClicked: none, onDismissed: none },
          meetings: { onJoinNext: none, answerJoinNext: async () => undefined },
          tray: {
            setMeetings: async (m: unknown) => void calls.push(['tray.setMeetings', m]),
            setStatus: async () => undefined,
            setUnread: async (count: number) => void calls.push(['tray.setUnread', count]),
            onJoinMeeting: none,
            onStartInstantMeeting: none,
            onStatusChanged: none,
          },
          call: {
            setState: async () => undefined,
            setSpeaker: async () => undefined,
            onToggleMute: none,
            onToggleCamera: none,
            onLeave: none,
            onSpeakerWanted: none,
          },
          calls: { onAnswer: none, stopRinging: async () => undefined },
          screenShare: { stop: async () => undefined, onStopped: none },
          deepLinks: { onOpen: none, ready: async () => void calls.push(['deepLinks.ready', null]) },
        },
      });
    });
    await page.goto('/');
    await page.getByRole('heading', { name: 'Connect to your Collaro server' }).waitFor();
    await harness.screenshot(page, 'desktop-server-address');

    await page.getByLabel('Server address').fill('ftp://example.com');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('http:// or https://');

    await page.getByLabel('Server address').fill(harness.baseUrl);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const calls = () => page.evaluate(() => (window as unknown as { __bridgeCalls: [string, unknown][] }).__bridgeCalls);
    expect(await calls()).toContainEqual(['settings.set', { backendUrl: harness.baseUrl }]);

    const desk = makeUser('Desk Top');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Name').fill(desk.name);
    await page.getByLabel('Email').fill(desk.email);
    await page.getByLabel('Password').fill(desk.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('clock').waitFor();
    await expect.poll(async () => (await calls()).some(([name]) => name === 'deepLinks.ready'), POLL).toBe(true);
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Change server' }).waitFor();
    await page.keyboard.press('Escape');
    await context.close();
  });
});
