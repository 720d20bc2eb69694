import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamStandIn } from '../backend/test/meetings/stream-stand-in.js';
import { installFakeDesktopBridge, lastCallState } from './fake-desktop-bridge.js';
import { makeUser, POLL, signUpThroughUi, startHarness, type Harness } from './harness.js';
import { StreamVideoStandIn } from './stream-video-stand-in.js';

/**
 * A meeting on Stream video, in the desktop app's web UI: sharing the screen through Stream's own
 * controls, then pressing Stop on the desktop's "You are sharing — Stop" bar (outside the window)
 * must end the share, not just hide the bar while the screen is still sent. Stream's REST API (for
 * the server) and its browser-side servers (for the SDK) are played by stand-ins.
 */

let harness: Harness;
let restStandIn: StreamStandIn;
const video = new StreamVideoStandIn();
let page: Page;
const user = makeUser('Dana Desktop');

beforeAll(async () => {
  restStandIn = new StreamStandIn();
  await restStandIn.start();
  harness = await startHarness({
    env: { STREAM_API_KEY: 'stand-in-key', STREAM_API_SECRET: 'stand-in-secret-of-thirty-two-bytes!', STREAM_BASE_URL: restStandIn.url },
  });
  const desktopUser = await harness.newUser();
  const context = desktopUser.context;
  page = desktopUser.page;
  await context.addInitScript(installFakeDesktopBridge, harness.baseUrl);
  await video.attach(context);
  page.setDefaultTimeout(20_000);
  await signUpThroughUi(page, user);
  await page.getByPlaceholder('Organization name').fill('Stream Sharers');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.getByRole('link', { name: 'New meeting' }).waitFor();
}, 180_000);

afterAll(async () => {
  await harness?.stop();
  await restStandIn?.stop();
});

describe('the sharing bar on a Stream meeting', () => {
  it('joins the meeting on Stream video', async () => {
    await page.getByRole('link', { name: 'New meeting' }).click();
    await page.getByTestId('join-now').click();
    await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
    expect(video.coordinatorCalls.some((call) => /^POST \/video\/call\/default\/[^/]+\/join$/.test(call))).toBe(true);
  }, 60_000);

  it('shares the screen through Stream, and the desktop shell learns of it', async () => {
    await page.getByTestId('screen-share-start-button').click();
    await page.getByText('You are sharing your screen').waitFor();
    await expect.poll(() => lastCallState(page), POLL).toMatchObject({ inCall: true, sharing: true });
    await expect.poll(() => video.publishedTrackTypes(), POLL).toContain('TRACK_TYPE_SCREEN_SHARE');
  }, 60_000);

  it('Stop on the sharing bar ends the Stream share: the room stops sharing and the Stream SFU is told the screen is off', async () => {
    await page.evaluate(() => window.emitFromShell('screenShare.stopped', { source: 'sharing-bar' }));
    await page.getByText('You are sharing your screen').waitFor({ state: 'detached' });
    await expect.poll(() => lastCallState(page), POLL).toMatchObject({ inCall: true, sharing: false });
    await expect.poll(() => video.lastMuteState('TRACK_TYPE_SCREEN_SHARE'), POLL).toBe(true);
    expect(await page.evaluate(() => window.bridgeCalls.some((call) => call.action === 'screenShare.stop'))).toBe(true);
  }, 60_000);
});
