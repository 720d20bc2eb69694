import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness } from './desktop-harness.js';
import { appWindowId, createMeeting, createOrgWithChannel, expectNoViolations, POLL, signedInProfile } from './harness-fixtures.js';
import type { MenuItemSnapshot } from './harness-types.js';
import type { Profile } from './desktop-harness.js';

/**
 * A call that outlives its window, between two desktop users on the built-in mesh: Alice closes
 * her window mid-call and goes on talking from the tray (and the small call window she switched on
 * in Settings), Bob keeps receiving her voice and picture; push to talk in the focused window.
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

function flatten(menu: MenuItemSnapshot[]): MenuItemSnapshot[] {
  return menu.flatMap((item) => [item, ...flatten(item.submenu ?? [])]);
}

async function tray(app: DesktopApp) {
  const state = await app.recorded();
  const icon = state.trays.find((candidate) => !candidate.destroyed);
  if (!icon) throw new Error('no tray icon');
  return { tooltip: icon.toolTip, image: icon.image, labels: flatten(icon.menu ?? []).map((item) => item.label) };
}

/** Frames a remote <video> decodes in a second: a picture that moves, not just an element. */
async function framesDecoded(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-camera"]');
    if (!video) return 0;
    const before = video.getVideoPlaybackQuality().totalVideoFrames;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return video.getVideoPlaybackQuality().totalVideoFrames - before;
  });
}

/** The loudest the others' voices get in a second and a half at this page (Chromium's fake microphone beeps). */
async function loudestVoice(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const streams = [...document.querySelectorAll('audio')]
      .map((audio) => audio.srcObject)
      .filter((stream): stream is MediaStream => stream instanceof MediaStream);
    if (streams.length === 0) return 0;
    const context = new AudioContext();
    await context.resume();
    const analysers = streams.map((stream) => {
      const analyser = context.createAnalyser();
      analyser.fftSize = 2048;
      context.createMediaStreamSource(stream).connect(analyser);
      return analyser;
    });
    const samples = new Float32Array(2048);
    let loudest = 0;
    const until = performance.now() + 1500;
    while (performance.now() < until) {
      for (const analyser of analysers) {
        analyser.getFloatTimeDomainData(samples);
        loudest = Math.max(loudest, Math.sqrt(samples.reduce((sum, sample) => sum + sample * sample, 0) / samples.length));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await context.close();
    return loudest;
  });
}

/** A returning user's app on a machine with a tray, once its home screen shows. */
async function launch(profile: Profile): Promise<{ app: DesktopApp; page: Page }> {
  const app = await harness.launch({ profile, trayAvailable: true });
  apps.push(app);
  const page = await app.appWindow();
  await page.getByTestId('clock').waitFor({ timeout: 60_000 });
  return { app, page };
}

async function joinMeeting(app: DesktopApp, meetingId: string): Promise<Page> {
  await app.openUrl(`collaro://meeting/${meetingId}`);
  const page = await app.appWindow();
  // Joining before the camera and microphone are open would join muted, without a picture.
  await expect
    .poll(
      () =>
        page
          .getByTestId('prejoin-preview')
          .evaluate((video) => (video as HTMLVideoElement).srcObject instanceof MediaStream)
          .catch(() => false),
      { timeout: 60_000 },
    )
    .toBe(true);
  await page.getByTestId('join-now').click();
  await expect.poll(() => page.getByTestId('connection-state').textContent(), POLL).toBe('Connected');
  return page;
}

async function appWindowVisible(app: DesktopApp): Promise<boolean | undefined> {
  return (await app.recorded()).windows.find((window) => window.url.startsWith('collaro-app://app/') && !window.destroyed)?.visible;
}

async function miniWindow(app: DesktopApp) {
  return (await app.recorded()).windows.find((window) => window.url.endsWith('/mini-call.html') && !window.destroyed);
}

describe('a call that outlives its window (mesh video)', { timeout: 240_000 }, () => {
  it('goes on from the tray and the small call window while the window is closed, and push to talk works in the window', async () => {
    const aliceProfile = await signedInProfile(harness, 'Alice Away');
    const bobProfile = await signedInProfile(harness, 'Bob Stays');
    const { orgId } = await createOrgWithChannel(harness, aliceProfile.member, [bobProfile.member], { org: 'Tray Org', team: 'Tray Team', channel: 'calls' });
    const meeting = await createMeeting(harness, aliceProfile.member, orgId, 'Walk and talk', 0);
    // One after the other: two apps starting at once on a busy machine make each slower than both in turn.
    const alice = await launch(aliceProfile.profile);
    const bob = await launch(bobProfile.profile);

    // Alice switches the small call window on (it is off until chosen).
    await alice.page.getByRole('link', { name: 'Settings' }).click();
    const miniSetting = alice.page.getByRole('checkbox', { name: /small window with the active speaker/ });
    expect(await miniSetting.isChecked()).toBe(false);
    // Saved by main first, then shown checked.
    await miniSetting.click();
    await expect.poll(() => miniSetting.isChecked(), POLL).toBe(true);

    const [alicePage, bobPage] = await Promise.all([joinMeeting(alice.app, meeting.id), joinMeeting(bob.app, meeting.id)]);
    await expect.poll(async () => (await tray(alice.app)).tooltip, POLL).toContain('microphone live');
    // The tray icon's badge for a live microphone, told apart from the muted one below.
    const micLiveIcon = (await tray(alice.app)).image;
    expect(micLiveIcon).toMatch(/^data:image\/png;base64,./);
    expect(await miniWindow(alice.app)).toBeUndefined();

    // Bob receives Alice's picture and voice (the peer link may take a while on a busy machine).
    const MEDIA = { timeout: 60_000 } as const;
    await expect.poll(() => framesDecoded(bobPage), MEDIA).toBeGreaterThan(2);
    await expect.poll(() => loudestVoice(bobPage), MEDIA).toBeGreaterThan(0.01);

    // Alice closes her window: Collaro hides in the tray and the call goes on.
    await alice.app.closeWindow(await appWindowId(alice.app));
    await expect.poll(() => appWindowVisible(alice.app), POLL).toBe(false);
    await expect.poll(() => framesDecoded(bobPage), MEDIA).toBeGreaterThan(2);
    await expect.poll(() => loudestVoice(bobPage), MEDIA).toBeGreaterThan(0.01);
    expect(await bobPage.getByTestId('connection-state').textContent()).toBe('Connected');
    const inTray = await tray(alice.app);
    expect(inTray.image).toBe(micLiveIcon);
    expect(inTray.labels).toEqual(expect.arrayContaining(['Microphone live', 'Mute', 'Turn camera off', 'Leave meeting', 'Show call']));

    // The small call window: above other windows, showing Bob, the one Alice hears.
    const shown = await alice.app.waitFor(
      'the small call window',
      async () => {
        const window = await miniWindow(alice.app);
        return window?.visible ? window : undefined;
      },
      60_000,
    );
    expect(shown.alwaysOnTop).toBe(true);
    const mini = await alice.app.window('collaro-app://picker/mini-call.html');
    await expect.poll(() => mini.locator('#name').textContent(), MEDIA).toBe(bobProfile.user.name);
    await expect.poll(() => mini.locator('#frame').getAttribute('src'), MEDIA).toMatch(/^data:image\/jpeg;base64,/);

    // Mute from the tray: Bob sees Alice's microphone go off, the tray and the small window say so.
    await alice.app.clickTrayItem('Mute');
    const aliceAtBob = bobPage.locator('figure[data-kind="camera"]').filter({ hasText: aliceProfile.user.name });
    await aliceAtBob.getByLabel('Microphone off').waitFor();
    await expect.poll(async () => (await tray(alice.app)).labels, POLL).toEqual(expect.arrayContaining(['Microphone muted', 'Unmute']));
    const mutedIcon = (await tray(alice.app)).image;
    expect(mutedIcon).not.toBe(micLiveIcon);
    expect((await tray(alice.app)).tooltip).toContain('microphone muted');
    await expect.poll(() => mini.locator('#mute').textContent(), POLL).toBe('Unmute');
    // The small window's own Unmute reaches the call too; the tray mutes again.
    await mini.getByRole('button', { name: 'Unmute' }).click();
    await aliceAtBob.getByLabel('Microphone off').waitFor({ state: 'detached' });
    // The tray offers Mute again once main hears of the change (Bob may see it a moment sooner).
    await expect.poll(async () => (await tray(alice.app)).labels, POLL).toEqual(expect.arrayContaining(['Microphone live', 'Mute']));
    await alice.app.clickTrayItem('Mute');
    await aliceAtBob.getByLabel('Microphone off').waitFor();
    // The small window reaches main through its own preload only, and main answers each of its channels.
    const probe = await alice.app.probeBridges(shown.id);
    expect(probe.exposed).toEqual(['collaroMiniCall']);
    const handled = new Set((await alice.app.recorded()).ipcHandlers);
    expect(probe.invoked.filter((channel) => !handled.has(channel))).toEqual([]);

    // The camera from the tray.
    await alice.app.clickTrayItem('Turn camera off');
    await aliceAtBob.locator('.video-placeholder').waitFor();
    await alice.app.clickTrayItem('Turn camera on');
    await aliceAtBob.locator('.video-placeholder').waitFor({ state: 'detached' });

    // Show call brings the window back; the small window goes.
    await alice.app.clickTrayItem('Show call');
    await expect.poll(() => appWindowVisible(alice.app), POLL).toBe(true);
    await expect.poll(async () => (await miniWindow(alice.app)) === undefined, POLL).toBe(true);

    // Push to talk: Alice, muted, holds Space in her window.
    await alicePage.getByTestId('meeting-room').click({ position: { x: 5, y: 5 } });
    await alicePage.keyboard.down('Space');
    await alicePage.getByTestId('talking-indicator').waitFor();
    await aliceAtBob.getByLabel('Microphone off').waitFor({ state: 'detached' });
    await expect.poll(async () => (await tray(alice.app)).labels, POLL).toContain('Talking (push to talk)');
    expect((await tray(alice.app)).image).toBe(micLiveIcon);
    await alicePage.keyboard.up('Space');
    await aliceAtBob.getByLabel('Microphone off').waitFor();
    await expect.poll(async () => (await tray(alice.app)).labels, POLL).toContain('Microphone muted');
    expect((await tray(alice.app)).image).toBe(mutedIcon);

    // Leave from the tray, with the window closed again.
    await alice.app.closeWindow(await appWindowId(alice.app));
    await alice.app.waitFor('the small call window again', async () => (await miniWindow(alice.app))?.visible || undefined, 60_000);
    await alice.app.clickTrayItem('Leave meeting');
    await bobPage.getByText('Waiting for others to join').waitFor();
    await expect.poll(async () => (await tray(alice.app)).labels.includes('Leave meeting'), POLL).toBe(false);
    await expect.poll(async () => (await miniWindow(alice.app)) === undefined, POLL).toBe(true);
    expect(alice.app.running).toBe(true);
    expectNoViolations(alice.app, bob.app);
  });
});
