import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness } from './desktop-harness.js';
import type { LaunchOptions, Profile } from './desktop-harness.js';
import { createMeeting, createOrgWithChannel, expectNoViolations, POLL, postMessage, signedInProfile } from './harness-fixtures.js';

/**
 * Presenting mode, "join next meeting" from anywhere, the reminder repeated at the start time, and
 * the permissions page, driven as a person and their desktop would.
 */

let harness: DesktopHarness;
const apps: DesktopApp[] = [];

beforeAll(async () => {
  harness = await DesktopHarness.start();
}, 300_000);

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.quit()));
});

afterAll(async () => {
  await harness?.stop();
});

/** A returning user's app on its home screen; a loaded machine may take a while to get there. */
async function launchHome(profile: Profile, options: LaunchOptions = {}): Promise<{ app: DesktopApp; page: Page }> {
  const app = await harness.launch({ ...options, profile });
  apps.push(app);
  const page = await app.appWindow();
  await page.getByTestId('clock').waitFor({ timeout: 60_000 });
  return { app, page };
}

const trayChecked = async (app: DesktopApp, label: string) => (await app.trayMenu()).find((item) => item.label === label)?.checked;

async function joinFromPreJoin(page: Page): Promise<void> {
  await page.getByTestId('join-now').click();
  await expect.poll(() => page.getByTestId('connection-state').textContent(), POLL).toBe('Connected');
}

async function shareScreen(app: DesktopApp, page: Page): Promise<void> {
  await page.getByTestId('toggle-share').click();
  const picker = await app.window('collaro-app://picker/');
  await picker.locator('button.source').first().click();
  await picker.getByRole('button', { name: 'Share' }).click();
  await page.getByTestId('sharing-indicator').waitFor();
}

async function stopSharing(app: DesktopApp, page: Page): Promise<void> {
  const bar = await app.window('collaro-app://picker/sharing-bar.html');
  await bar.getByRole('button', { name: /stop/i }).click();
  await page.getByTestId('sharing-indicator').waitFor({ state: 'detached' });
}

describe('presenting mode', { timeout: 180_000 }, () => {
  it('switches do-not-disturb on while sharing and back after, holds messages until then, and shows a reminder without its contents', async () => {
    const presenter = await signedInProfile(harness, 'Pat Presenter');
    const colleague = await signedInProfile(harness, 'Cal Colleague');
    const { orgId, channelId } = await createOrgWithChannel(harness, presenter.member, [colleague.member], {
      org: 'Demo Org',
      team: 'Demo Team',
      channel: 'demo-day',
    });
    const live = await createMeeting(harness, presenter.member, orgId, 'Demo run', 0);
    const { app, page } = await launchHome(presenter.profile);
    expect(await trayChecked(app, 'Available')).toBe(true);
    await app.openUrl(`collaro://meeting/${live.id}`);
    await joinFromPreJoin(page);

    await shareScreen(app, page);
    await expect.poll(() => trayChecked(app, 'Do not disturb'), POLL).toBe(true);
    await postMessage(harness, colleague.member, channelId, `<@${presenter.userId}> the launch date is 12 May`);
    // Starts within the five-minute lead: the server reminds at its next round, during the share.
    const upcoming = await createMeeting(harness, presenter.member, orgId, 'Secret roadmap review', 4);
    const reminder = await app.waitFor(
      'the reminder shown during the share',
      async () => (await app.recorded()).notifications.find((shown) => shown.shown && shown.title === 'Meeting reminder'),
      40_000,
    );
    // Nothing on the shared screen says which meeting, or who wrote what.
    expect(reminder.body).toBe('');
    const duringShare = (await app.recorded()).notifications;
    expect(duringShare.some((shown) => /Secret roadmap|launch date|Cal Colleague/.test(`${shown.title} ${shown.body}`))).toBe(false);

    await stopSharing(app, page);
    await expect.poll(() => trayChecked(app, 'Available'), POLL).toBe(true);
    // The mention held during the share is shown now.
    const released = await app.waitFor('the held mention', async () =>
      (await app.recorded()).notifications.find((shown) => shown.shown && shown.body.includes('the launch date is 12 May')),
    );
    expect(released.title).toContain('mentioned you');
    expect(upcoming.id).toBeTruthy();

    // A status chosen during the share stands: presenting restores nothing over it.
    await shareScreen(app, page);
    await expect.poll(() => trayChecked(app, 'Do not disturb'), POLL).toBe(true);
    await app.clickTrayItem('Do not disturb');
    await stopSharing(app, page);
    await expect
      .poll(async () => (await app.recorded()).windows.some((window) => window.url.endsWith('sharing-bar.html') && !window.destroyed), POLL)
      .toBe(false);
    expect(await trayChecked(app, 'Do not disturb')).toBe(true);
    expectNoViolations(app);
  });
});

describe('join next meeting', { timeout: 150_000 }, () => {
  it('opens the meeting starting soon from the global shortcut and the tray, and says so when there is none', async () => {
    const { profile, member } = await signedInProfile(harness, 'Nell Next');
    const { orgId } = await createOrgWithChannel(harness, member, [], { org: 'Next Org', team: 'Next Team', channel: 'next' });
    const { app, page } = await launchHome(profile);
    expect((await app.recorded()).globalShortcuts).toContain('CommandOrControl+Shift+J');

    await app.pressGlobalShortcut('CommandOrControl+Shift+J');
    const none = await app.waitFor('the "no meeting" notice', async () =>
      (await app.recorded()).notifications.find((shown) => shown.title === 'No meeting to join'),
    );
    expect(none.body).toBe('Nothing is on now or starting in the next ten minutes.');
    expect(new URL(page.url()).pathname).toBe('/');

    const soon = await createMeeting(harness, member, orgId, 'Sprint planning', 8);
    await app.pressGlobalShortcut('CommandOrControl+Shift+J');
    await page.getByTestId('join-now').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/meetings/${soon.id}`);

    // From the tray, with the window hidden in the tray: it comes back on the meeting.
    await page.goto(page.url().replace(/\/meetings\/.*$/, '/'));
    await page.getByTestId('clock').waitFor();
    await app.clickTrayItem('Hide Collaro');
    await expect.poll(async () => (await app.recorded()).windows.find((window) => window.url.startsWith('collaro-app://app/'))?.visible, POLL).toBe(false);
    await app.clickTrayItem('Join next meeting');
    await page.getByTestId('join-now').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/meetings/${soon.id}`);
    expect((await app.recorded()).windows.find((window) => window.url.startsWith('collaro-app://app/'))?.visible).toBe(true);
    expectNoViolations(app);
  });

  it('takes another shortcut from Settings, and refuses one that is no shortcut', async () => {
    const { profile } = await signedInProfile(harness, 'Kit Keys');
    const { app, page } = await launchHome(profile);
    await page.getByRole('link', { name: 'Settings' }).click();
    const input = page.getByLabel('Shortcut');
    await input.fill('J');
    await page.getByRole('button', { name: 'Save shortcut' }).click();
    await page.getByText('needs CommandOrControl, Alt or Super').waitFor();
    await input.fill('alt+shift+n');
    await page.getByRole('button', { name: 'Save shortcut' }).click();
    await expect.poll(() => page.getByTestId('shortcut-status').textContent(), POLL).toBe('Alt+Shift+N: Works from any application.');
    const shortcuts = (await app.recorded()).globalShortcuts;
    expect(shortcuts).toContain('Alt+Shift+N');
    expect(shortcuts).not.toContain('CommandOrControl+Shift+J');
    await page.getByRole('button', { name: 'Turn off' }).click();
    await expect.poll(async () => (await app.recorded()).globalShortcuts.includes('Alt+Shift+N'), POLL).toBe(false);
    expectNoViolations(app);
  });
});

describe('the reminder at the start time', { timeout: 150_000 }, () => {
  it('stays on screen with Join and Dismiss until joined, and a dismissal reaches the server', async () => {
    const { profile, member } = await signedInProfile(harness, 'Stan Start');
    const { orgId } = await createOrgWithChannel(harness, member, [], { org: 'Start Org', team: 'Start Team', channel: 'start' });
    const { app, page } = await launchHome(profile);
    // Scheduled to start now: the server's next round sends the start-time reminder.
    const joined = await harness.backend.request('POST', '/api/meetings', {
      token: member.accessToken,
      body: { orgId, title: 'Kick-off', startsAt: new Date(Date.now() + 1_000).toISOString(), durationMinutes: 30 },
    });
    const started = await app.waitFor(
      'the start-time reminder',
      async () => (await app.recorded()).notifications.find((shown) => shown.shown && shown.title === 'Kick-off has started'),
      40_000,
    );
    expect(started).toMatchObject({
      timeoutType: 'never',
      actions: [
        { type: 'button', text: 'Join' },
        { type: 'button', text: 'Dismiss' },
      ],
      closed: false,
    });
    // Joined some other way (a calendar link here): the reminder goes away by itself.
    await app.openUrl(`collaro://meeting/${joined.id}`);
    await joinFromPreJoin(page);
    expect(new URL(page.url()).pathname).toBe(`/meetings/${joined.id}`);
    await expect.poll(async () => (await app.recorded()).notifications.find((shown) => shown.id === started.id)?.closed, POLL).toBe(true);
    await page
      .getByTestId('leave')
      .click()
      .catch(() => undefined);

    const skipped = await harness.backend.request('POST', '/api/meetings', {
      token: member.accessToken,
      body: { orgId, title: 'Optional demo', startsAt: new Date(Date.now() + 1_000).toISOString(), durationMinutes: 30 },
    });
    const second = await app.waitFor(
      'the second start-time reminder',
      async () => (await app.recorded()).notifications.find((shown) => shown.shown && shown.title === 'Optional demo has started'),
      40_000,
    );
    const dismissal = page.waitForResponse((response) => response.url().endsWith(`/api/meetings/${skipped.id}/reminder/dismiss`));
    await app.dismissNotification(second.id);
    expect((await dismissal).status()).toBe(204);
    expectNoViolations(app);
  });
});

describe('the permissions page', { timeout: 120_000 }, () => {
  it('shows each permission under Wayland without the portal, then with it, and the system’s do-not-disturb', async () => {
    const { profile } = await signedInProfile(harness, 'Wanda Wayland');
    let launched = await launchHome(profile, { desktopSession: { type: 'wayland', screenCastPortal: false } });
    expect((await launched.app.recorded()).commandLineSwitches['enable-features']).toContain('WebRTCPipeWireCapturer');
    let page = launched.page;
    await page.getByRole('link', { name: 'Settings' }).click();
    const state = (kind: string) => page.getByTestId(`permission-${kind}`).getByTestId('permission-state').textContent();
    await expect.poll(() => state('screen'), POLL).toBe('Not available');
    await page.getByTestId('permission-screen').getByText('Install xdg-desktop-portal').waitFor();
    await page.getByTestId('portal-note').waitFor();
    expect(await state('camera')).toBe('No permission needed');
    expect(await state('microphone')).toBe('No permission needed');
    expect(await state('notifications')).toBe('Allowed');
    // Linux has no system settings page to send anyone to.
    expect(await page.getByRole('button', { name: 'Open system settings' }).count()).toBe(0);
    await expect.poll(() => page.getByTestId('system-dnd').textContent(), POLL).toContain('off');

    launched.app.setSystemDoNotDisturb(true);
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(() => page.getByTestId('system-dnd').textContent(), POLL).toContain('System do-not-disturb: on (GNOME');
    await launched.app.quit();
    apps.splice(0);

    launched = await launchHome(profile, { desktopSession: { type: 'wayland', screenCastPortal: true } });
    page = launched.page;
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect.poll(() => state('screen'), POLL).toBe('Allowed');
    expectNoViolations(launched.app);
  });
});
