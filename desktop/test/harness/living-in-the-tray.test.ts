import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness, EXECUTABLE } from './desktop-harness.js';
import type { MenuItemSnapshot } from './harness-types.js';
import { appWindowId, createOrgWithChannel, expectNoViolations, launchSignedIn, POLL, signedInProfile } from './harness-fixtures.js';

/**
 * Collaro as a tray app on Linux: what closing the window does with and without a tray, a start at
 * login, and updates that wait for the meeting to end.
 */

let harness: DesktopHarness;
let app: DesktopApp | undefined;

beforeAll(async () => {
  harness = await DesktopHarness.start();
}, 300_000);

afterEach(async () => {
  await app?.kill();
  app = undefined;
});

afterAll(async () => {
  await harness?.stop();
});

function flatten(menu: MenuItemSnapshot[]): MenuItemSnapshot[] {
  return menu.flatMap((item) => [item, ...flatten(item.submenu ?? [])]);
}

async function trayItem(desktop: DesktopApp, label: string | RegExp): Promise<MenuItemSnapshot | undefined> {
  return flatten(await desktop.trayMenu()).find((item) => (typeof label === 'string' ? item.label === label : label.test(item.label)));
}

async function appWindowState(desktop: DesktopApp) {
  const state = await desktop.recorded();
  return state.windows.find((window) => window.url.startsWith('collaro-app://app/'));
}

/** Starts an instant meeting from the app and waits until the call runs. */
async function joinInstantMeeting(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'New meeting' }).click();
  await page.getByTestId('join-now').click();
  await page.getByTestId('meeting-room').waitFor();
}

describe('closing the window', { timeout: 90_000 }, () => {
  it('hides Collaro into the tray, and the tray brings the window back', async () => {
    const { profile } = await signedInProfile(harness, 'Tia Tray');
    app = (await launchSignedIn(harness, profile, { trayAvailable: true })).app;
    const desktop = app;
    // The name Electron gives the app (and its settings folder) comes from productName.
    expect((await desktop.recorded()).appName).toBe('Collaro');
    await desktop.closeWindow(await appWindowId(desktop));
    await expect.poll(async () => (await appWindowState(desktop))?.visible, POLL).toBe(false);
    expect((await appWindowState(desktop))?.destroyed).toBe(false);
    expect(desktop.running).toBe(true);

    await desktop.clickTrayItem('Show Collaro');
    await expect.poll(async () => (await appWindowState(desktop))?.visible, POLL).toBe(true);
    expectNoViolations(app);
  });

  it('quits Collaro on Linux without a tray, instead of hiding it where nothing shows it again', async () => {
    const { profile } = await signedInProfile(harness, 'Nils Notray');
    app = (await launchSignedIn(harness, profile, { trayAvailable: false })).app;
    const desktop = app;
    await desktop.closeWindow(await appWindowId(desktop));
    expect(await desktop.exited()).toBe(0);
    expect(desktop.output()).toContain('No system tray: closing the window quits Collaro');
    expectNoViolations(app);
  });
});

describe('start at login', { timeout: 90_000 }, () => {
  it('is a tray checkbox that writes an autostart entry starting Collaro with --hidden', async () => {
    const { profile } = await signedInProfile(harness, 'Lena Login');
    app = (await launchSignedIn(harness, profile)).app;
    const desktop = app;
    const autostart = path.join(profile.userData, 'xdg-config', 'autostart', 'collaro.desktop');
    expect(await trayItem(desktop, 'Start Collaro at login')).toMatchObject({ type: 'checkbox', checked: false });
    await desktop.clickTrayItem('Start Collaro at login');
    await expect.poll(async () => (await trayItem(desktop, 'Start Collaro at login'))?.checked, POLL).toBe(true);
    expect(readFileSync(autostart, 'utf8')).toContain(`Exec=${EXECUTABLE} --hidden\n`);
    await desktop.clickTrayItem('Start Collaro at login');
    await expect.poll(() => existsSync(autostart), POLL).toBe(false);
    expectNoViolations(app);
  });

  it('opens quietly in the tray when started with --hidden, and shows the window where there is no tray', async () => {
    const { profile } = await signedInProfile(harness, 'Hugo Hidden');
    app = await harness.launch({ profile, args: ['--hidden'], trayAvailable: true });
    const hidden = app;
    await (await hidden.appWindow()).getByTestId('clock').waitFor();
    // The page has loaded and painted, and the window stayed hidden.
    expect((await appWindowState(hidden))?.visible).toBe(false);
    await hidden.waitFor('the tray menu', async () => trayItem(hidden, 'Show Collaro'));
    await hidden.clickTrayItem('Show Collaro');
    await expect.poll(async () => (await appWindowState(hidden))?.visible, POLL).toBe(true);
    await hidden.kill();

    app = await harness.launch({ profile, args: ['--hidden'], trayAvailable: false });
    const shown = app;
    await (await shown.appWindow()).getByTestId('clock').waitFor();
    await expect.poll(async () => (await appWindowState(shown))?.visible, POLL).toBe(true);
    expectNoViolations(hidden, shown);
  });
});

describe('updates', { timeout: 120_000 }, () => {
  it('asks to restart when an update is ready, lets the person defer, and keeps "Restart to update" in the tray', async () => {
    const { profile } = await signedInProfile(harness, 'Uma Update');
    app = (await launchSignedIn(harness, profile, { updateFeed: { kind: 'available', version: '0.2.0' } })).app;
    const desktop = app;
    const prompt = await desktop.waitFor('the update prompt', async () =>
      (await desktop.recorded()).dialogs.find((shown) => shown.message.includes('Collaro 0.2.0 is ready')),
    );
    expect(prompt.buttons).toEqual(['Restart to update', 'Later']);
    await desktop.answerDialog('Collaro 0.2.0 is ready', 1);
    await desktop.waitFor('the tray item', () => trayItem(desktop, 'Restart to update (Collaro 0.2.0)'));
    const state = await desktop.recorded();
    expect(state.updater).toMatchObject({ checks: 1, downloads: 1, quitAndInstall: 0 });
    expect(desktop.running).toBe(true);
    expectNoViolations(app);
  });

  it('restarts from the tray only after the meeting ends', async () => {
    const { profile, member } = await signedInProfile(harness, 'Mia Meeting');
    await createOrgWithChannel(harness, member, [], { org: 'Update Org', team: 'Update Team', channel: 'updates' });
    const launched = await launchSignedIn(harness, profile, { updateFeed: { kind: 'available', version: '0.3.0' } });
    app = launched.app;
    const desktop = app;
    await desktop.waitFor('the update prompt', async () =>
      (await desktop.recorded()).dialogs.find((shown) => shown.message.includes('Collaro 0.3.0 is ready')),
    );
    await desktop.answerDialog('Collaro 0.3.0 is ready', 1);

    await joinInstantMeeting(launched.page);
    await desktop.waitFor('the in-call tray item', () => trayItem(desktop, 'Restart to update after this meeting'));
    await desktop.clickTrayItem('Restart to update after this meeting');
    await desktop.waitFor('the promise in the tray', () => trayItem(desktop, 'Collaro restarts to update after this meeting'));
    expect((await desktop.recorded()).updater.quitAndInstall).toBe(0);
    expect(desktop.running).toBe(true);

    // Leaving the meeting (here from the tray) lets the update install: Collaro quits to restart.
    await desktop.clickTrayItem('Leave meeting');
    expect(await desktop.exited()).toBe(0);
    expect(desktop.output()).toContain('Restarting to install Collaro 0.3.0');
    expectNoViolations(app);
  });

  it('keeps working when the update server cannot be reached', async () => {
    const { profile } = await signedInProfile(harness, 'Otto Offline');
    const launched = await launchSignedIn(harness, profile, { updateFeed: { kind: 'unreachable', message: 'net::ERR_NAME_NOT_RESOLVED' } });
    app = launched.app;
    const desktop = app;
    await desktop.waitFor('the failed check', () => (desktop.output().includes('Update check failed: net::ERR_NAME_NOT_RESOLVED') ? true : null));
    await launched.page.getByRole('link', { name: 'Chat' }).click();
    await launched.page.getByRole('navigation', { name: 'Main' }).waitFor();
    const state = await desktop.recorded();
    expect(state.dialogs).toEqual([]);
    expect(await trayItem(desktop, /Restart to update/)).toBeUndefined();
    expectNoViolations(app);
  });
});
