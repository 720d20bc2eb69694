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
    await Promise.all([page.reload(), second.reload()]);
    await page.getByTestId('clock').waitFor();
    await second.getByTestId('clock').waitFor();

    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await second.getByText('You signed out in another window.').waitFor();
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

describe('the app shell inside the desktop app (window.collaro present)', { timeout: 60_000 }, () => {
  it('asks for the server address on first run, saves it through the bridge, and offers to change it', async () => {
    const { context, page } = await harness.newUser();
    // The desktop preload's bridge, played by the test: it records what the app asks of the desktop shell.
    await context.addInitScript(() => {
      const calls: [string, unknown][] = [];
      let settings = { backendUrl: 'http://127.0.0.1:4000', backendUrlConfirmed: false, startAtLogin: false };
      const none = () => () => undefined;
      Object.assign(window, {
        __bridgeCalls: calls,
        collaro: {
          app: { info: async () => ({ version: '0.1.0', platform: 'linux', packaged: false }) },
          settings: {
            get: async () => settings,
            set: async (patch: { backendUrl?: string }) => {
              calls.push(['settings.set', patch]);
              settings = { ...settings, ...patch, backendUrlConfirmed: true };
              return settings;
            },
          },
          notifications: { show: async (n: unknown) => (calls.push(['notifications.show', n]), { shown: true }), onClicked: none },
          tray: {
            setMeetings: async (m: unknown) => void calls.push(['tray.setMeetings', m]),
            setStatus: async () => undefined,
            setUnread: async (count: number) => void calls.push(['tray.setUnread', count]),
            onJoinMeeting: none,
            onStartInstantMeeting: none,
            onStatusChanged: none,
          },
          call: { setState: async () => undefined, onToggleMute: none, onLeave: none },
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

    // Navigating in the app, not reloading: a reload would rerun this test's first-run bridge script.
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
