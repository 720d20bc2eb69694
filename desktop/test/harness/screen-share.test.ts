import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness } from './desktop-harness.js';
import { createMeeting, createOrgWithChannel, expectNoViolations, launchSignedIn, POLL, signedInProfile } from './harness-fixtures.js';

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

/** Frames a <video> has decoded in a second: a picture that moves, not just an element. */
async function framesDecoded(page: Page, selector: string): Promise<number> {
  return page.evaluate(async (css) => {
    const video = document.querySelector<HTMLVideoElement>(css);
    if (!video) return 0;
    const before = video.getVideoPlaybackQuality().totalVideoFrames;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return video.getVideoPlaybackQuality().totalVideoFrames - before;
  }, selector);
}

/** Opens the meeting from a deep link, as a calendar invite would, and joins from the pre-join. */
async function joinMeeting(app: DesktopApp, meetingId: string): Promise<Page> {
  await app.openUrl(`collaro://meeting/${meetingId}`);
  const page = await app.appWindow();
  await page.getByTestId('join-now').click();
  await expect.poll(() => page.getByTestId('connection-state').textContent(), POLL).toBe('Connected');
  return page;
}

describe('sharing a screen from the desktop app (mesh video)', { timeout: 120_000 }, () => {
  it('lists screens and windows in Collaro’s picker, shares the one chosen, and the sharing bar’s Stop ends it for everyone', async () => {
    const presenter = await signedInProfile(harness, 'Pia Presenter');
    const viewer = await signedInProfile(harness, 'Vic Viewer');
    const { orgId } = await createOrgWithChannel(harness, presenter.member, [viewer.member], { org: 'Share Org', team: 'Share Team', channel: 'planning' });
    const meeting = await createMeeting(harness, presenter.member, orgId, 'Design review', 0);
    const [presenting, viewing] = await Promise.all([launchSignedIn(harness, presenter.profile), launchSignedIn(harness, viewer.profile)]);
    apps.push(presenting.app, viewing.app);
    const [presenterPage, viewerPage] = await Promise.all([joinMeeting(presenting.app, meeting.id), joinMeeting(viewing.app, meeting.id)]);

    await presenterPage.getByTestId('toggle-share').click();
    const picker = await presenting.app.window('collaro-app://picker/');
    const sources = picker.locator('button.source');
    await expect.poll(() => sources.allTextContents(), POLL).toEqual(['Entire Screen', 'Quarterly plan — Editor']);
    await sources.filter({ hasText: 'Quarterly plan — Editor' }).click();
    await picker.getByRole('button', { name: 'Share' }).click();

    await presenterPage.getByTestId('sharing-indicator').waitFor();
    expect(await presenterPage.getByTestId('local-screen').evaluate((video) => (video as HTMLVideoElement).srcObject instanceof MediaStream)).toBe(true);
    await expect.poll(() => framesDecoded(viewerPage, '[data-testid="remote-screen"]'), POLL).toBeGreaterThan(2);
    const sharingBarShown = async () => (await presenting.app.recorded()).windows.find((window) => window.url.endsWith('sharing-bar.html') && window.visible);
    expect(await presenting.app.waitFor('the sharing bar', sharingBarShown)).toMatchObject({ alwaysOnTop: true, contentProtection: true });
    const state = await presenting.app.recorded();
    expect(state.displayMediaGrants).toEqual([{ sourceId: 'window:1000:0', name: 'Quarterly plan — Editor', audio: null }]);
    expect(state.windows.some((window) => window.url.endsWith('picker.html'))).toBe(false);

    const sharingBar = await presenting.app.window('collaro-app://picker/sharing-bar.html');
    await sharingBar.getByRole('button', { name: /stop/i }).click();
    await presenterPage.getByTestId('sharing-indicator').waitFor({ state: 'detached' });
    await viewerPage.getByTestId('remote-screen').waitFor({ state: 'detached' });
    await expect.poll(async () => (await presenting.app.recorded()).windows.some((window) => window.url.endsWith('sharing-bar.html')), POLL).toBe(false);
    expectNoViolations(presenting.app, viewing.app);
  });

  it('shares nothing when the picker is cancelled, and the call goes on', async () => {
    const { profile, member } = await signedInProfile(harness, 'Cora Cancel');
    const { orgId } = await createOrgWithChannel(harness, member, [], { org: 'Cancel Org', team: 'Cancel Team', channel: 'planning' });
    const meeting = await createMeeting(harness, member, orgId, 'Solo sync', 0);
    const { app } = await launchSignedIn(harness, profile);
    apps.push(app);
    const page = await joinMeeting(app, meeting.id);

    await page.getByTestId('toggle-share').click();
    const picker = await app.window('collaro-app://picker/');
    await picker.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(async () => (await app.recorded()).windows.filter((window) => !window.destroyed).length, POLL).toBe(1);
    expect(await page.getByTestId('sharing-indicator').count()).toBe(0);
    expect((await app.recorded()).displayMediaGrants).toEqual([]);
    expect(await page.getByTestId('connection-state').textContent()).toBe('Connected');
    expectNoViolations(app);
  });
});
