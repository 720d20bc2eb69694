import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFakeDesktopBridge, lastCallState } from './fake-desktop-bridge.js';
import { makeUser, POLL, signUpThroughUi, startHarness, type Harness } from './harness.js';

/**
 * Push to talk in the web room: Bob, muted, holds a key to speak and lets go to be muted again;
 * Alice hears (sees) his microphone open and close. Bob's page carries the desktop bridge, so what
 * the tray would show (talking, camera off) is checked too.
 */

let harness: Harness;
let alice: Page;
let bob: Page;
const aliceUser = makeUser('Alice Listener');
const bobUser = makeUser('Bob Talker');

/** Bob's microphone as Alice's participants panel shows it. */
const bobAtAlice = () => alice.getByTestId('participant').filter({ hasText: bobUser.name });

/** Joins from the pre-join once its camera and microphone are open (a join before that is a muted one). */
async function joinFromPreJoin(page: Page): Promise<void> {
  // Not expect.poll: this runs in beforeAll, outside any test.
  await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="prejoin-preview"]')?.srcObject instanceof MediaStream, undefined, {
    timeout: 30_000,
  });
  await page.getByTestId('join-now').click();
  await page.getByTestId('meeting-room').waitFor();
}

beforeAll(async () => {
  harness = await startHarness();
  alice = (await harness.newUser()).page;
  const bobContext = await harness.newUser();
  await bobContext.context.addInitScript(installFakeDesktopBridge, harness.baseUrl);
  bob = bobContext.page;
  for (const page of [alice, bob]) page.setDefaultTimeout(20_000);
  await signUpThroughUi(alice, aliceUser);
  await signUpThroughUi(bob, bobUser);
  await alice.getByPlaceholder('Organization name').fill('Talkers');
  await alice.getByRole('button', { name: 'Create organization' }).click();
  await alice.getByRole('link', { name: 'New meeting' }).waitFor();
  await alice.getByRole('link', { name: 'Organization' }).click();
  await alice.getByPlaceholder('Email of a Collaro user').fill(bobUser.email);
  await alice.getByRole('button', { name: 'Add member' }).click();
  await alice.getByTestId('org-member').filter({ hasText: bobUser.name }).waitFor();

  await alice.goto('/meetings/new');
  await joinFromPreJoin(alice);
  const meetingId = new URL(alice.url()).pathname.split('/').pop()!;
  await bob.goto(`/meetings/${meetingId}`);
  await joinFromPreJoin(bob);
  await alice.getByText('2 in the call').waitFor();
  await alice.getByRole('button', { name: 'Participants' }).click();
}, 300_000);

afterAll(async () => {
  await harness?.stop();
});

describe('push to talk in the web room', { timeout: 60_000 }, () => {
  it('holding Space while muted opens the microphone, shows "Talking", and letting go mutes again', async () => {
    await bob.getByTestId('toggle-mute').click();
    await bobAtAlice().getByLabel('Microphone off').waitFor();
    await bob.getByText('Hold Space to talk').waitFor();
    expect(await bob.getByTestId('talking-indicator').count()).toBe(0);

    // The Mute button still has the focus: Space talks rather than pressing it.
    await bob.keyboard.down('Space');
    await bob.getByTestId('talking-indicator').waitFor();
    expect(await bob.getByTestId('talking-indicator').textContent()).toContain('Talking');
    await bobAtAlice().getByLabel('Microphone on').waitFor();
    await expect.poll(() => lastCallState(bob), POLL).toMatchObject({ inCall: true, muted: false, talking: true });

    await bob.keyboard.up('Space');
    await bob.getByTestId('talking-indicator').waitFor({ state: 'detached' });
    await bobAtAlice().getByLabel('Microphone off').waitFor();
    await expect.poll(() => bob.getByTestId('toggle-mute').getAttribute('aria-pressed'), POLL).toBe('true');
    await expect.poll(() => lastCallState(bob), POLL).toMatchObject({ inCall: true, muted: true, talking: false });
  });

  it('typing a space in the meeting chat never talks', async () => {
    await bob.getByTestId('toggle-chat').click();
    const box = bob.getByPlaceholder('Message everyone');
    await box.click();
    await bob.keyboard.type('hello');
    await bob.keyboard.down('Space');
    await bob.keyboard.up('Space');
    await bob.keyboard.type('there');
    expect(await box.inputValue()).toBe('hello there');
    expect(await bob.getByTestId('talking-indicator').count()).toBe(0);
    expect(await bob.getByTestId('toggle-mute').getAttribute('aria-pressed')).toBe('true');
    await bob.getByTestId('toggle-chat').click();
  });

  it('a key chosen in Settings (kept on this device) replaces Space', async () => {
    const settings = await bob.context().newPage();
    await settings.goto('/settings');
    await settings.getByRole('button', { name: 'Change key' }).click();
    await settings.keyboard.press('Escape');
    expect(await settings.getByTestId('push-to-talk-key').textContent()).toBe('Space');
    await settings.getByRole('button', { name: 'Change key' }).click();
    await settings.keyboard.press('Tab');
    await settings.getByRole('alert').filter({ hasText: 'Tab cannot be held to talk' }).waitFor();
    await settings.keyboard.press('t');
    await expect.poll(() => settings.getByTestId('push-to-talk-key').textContent(), POLL).toBe('T');
    await settings.close();

    // The room hears of the change from the other tab.
    await bob.getByText('Hold T to talk').waitFor();
    await bob.getByTestId('meeting-room').click({ position: { x: 5, y: 5 } });
    await bob.keyboard.down('Space');
    await bob.keyboard.up('Space');
    expect(await bob.getByTestId('talking-indicator').count()).toBe(0);
    await bob.keyboard.down('t');
    await bob.getByTestId('talking-indicator').waitFor();
    await bobAtAlice().getByLabel('Microphone on').waitFor();
    await bob.keyboard.up('t');
    await bobAtAlice().getByLabel('Microphone off').waitFor();
  });

  it('the tray turns the camera off and on, and the others see it', async () => {
    await bob.evaluate(() => window.emitFromShell('call.toggleCamera', { source: 'tray' }));
    await expect.poll(() => bob.getByTestId('toggle-camera').getAttribute('aria-pressed'), POLL).toBe('true');
    await expect.poll(() => lastCallState(bob), POLL).toMatchObject({ cameraOff: true });
    const bobsTile = alice.locator('figure[data-kind="camera"]').filter({ hasText: bobUser.name });
    await bobsTile.locator('.video-placeholder').waitFor();
    await bob.evaluate(() => window.emitFromShell('call.toggleCamera', { source: 'tray' }));
    await expect.poll(() => lastCallState(bob), POLL).toMatchObject({ cameraOff: false });
    await bobsTile.locator('.video-placeholder').waitFor({ state: 'detached' });
  });
});
