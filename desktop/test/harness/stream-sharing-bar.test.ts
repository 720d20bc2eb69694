import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StreamStandIn } from '../../../backend/test/meetings/stream-stand-in.js';
import { StreamVideoStandIn } from '../../../e2e/stream-video-stand-in.js';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness } from './desktop-harness.js';
import { createOrgWithChannel, expectNoViolations, launchSignedIn, POLL, signedInProfile } from './harness-fixtures.js';

/**
 * A screen shared in a Stream meeting from the desktop app, then stopped from the "You are sharing —
 * Stop" bar: the bar is a window of its own, outside the meeting, and its Stop must end the share
 * Stream sends to everyone, not only close the bar. Stream's servers are stand-ins (its REST API for
 * the backend, its coordinator and SFU for the app's pages).
 */

let harness: DesktopHarness;
let app: DesktopApp | undefined;
const rest = new StreamStandIn();
const video = new StreamVideoStandIn();

beforeAll(async () => {
  await rest.start();
  harness = await DesktopHarness.start({
    backendEnv: { STREAM_API_KEY: 'stand-in-key', STREAM_API_SECRET: 'stand-in-secret-of-thirty-two-bytes!', STREAM_BASE_URL: rest.url },
    prepareContext: (context) => video.attach(context),
  });
}, 300_000);

afterEach(async () => {
  await app?.kill();
  app = undefined;
});

afterAll(async () => {
  await harness?.stop();
  await rest.stop();
});

describe('the sharing bar on a Stream meeting', { timeout: 120_000 }, () => {
  it('Stop on the bar ends the share for everyone: Stream stops sending the screen, and the bar closes', async () => {
    const { profile, member } = await signedInProfile(harness, 'Sasha Stream');
    await createOrgWithChannel(harness, member, [], { org: 'Stream Org', team: 'Stream Team', channel: 'video' });
    const launched = await launchSignedIn(harness, profile);
    app = launched.app;
    const desktop = app;
    const page = launched.page;

    await page.getByRole('link', { name: 'New meeting' }).click();
    await page.getByTestId('join-now').click();
    await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();

    // Stream's own Share button asks for the screen; Collaro's picker chooses it.
    await page.getByTestId('screen-share-start-button').click();
    const picker = await desktop.window('collaro-app://picker/picker.html');
    await picker.locator('button.source').first().click();
    await picker.getByRole('button', { name: 'Share' }).click();
    await page.getByText('You are sharing your screen').waitFor();
    await expect.poll(() => video.publishedTrackTypes(), POLL).toContain('TRACK_TYPE_SCREEN_SHARE');
    expect(video.lastMuteState('TRACK_TYPE_SCREEN_SHARE')).not.toBe(true);

    const bar = await desktop.window('collaro-app://picker/sharing-bar.html');
    await bar.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => video.lastMuteState('TRACK_TYPE_SCREEN_SHARE'), POLL).toBe(true);
    await page.getByText('You are sharing your screen').waitFor({ state: 'detached' });
    await expect
      .poll(
        async () => (await desktop.recorded()).windows.some((window) => window.url.startsWith('collaro-app://picker/sharing-bar.html') && !window.destroyed),
        POLL,
      )
      .toBe(false);
    expectNoViolations(app);
  });
});
