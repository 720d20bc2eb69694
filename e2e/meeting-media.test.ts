import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, POLL, signUpThroughUi, startHarness, type Harness } from './harness.js';
import { framesDecoded, press } from './meeting-room.js';

/**
 * The room's media in real Chromium with fake devices: devices that start late or never, the
 * presenter's camera beside the shared screen, the chat on a phone-sized window, and speakers.
 */

/** Waiting for video: a loaded machine paints slowly, a stuck call never does. */
const FRAMES = { timeout: 45_000 } as const;

let harness: Harness;
let alice: Page;
let bob: Page;
const aliceUser = makeUser('Alice Media');
const bobUser = makeUser('Bob Media');

declare global {
  interface Window {
    releaseDevices?: () => void;
  }
}

/**
 * Runs before Collaro's scripts. With `hold-devices` in sessionStorage getUserMedia answers only
 * once the test calls `releaseDevices()`, as a camera does that takes its time to start (or a
 * permission prompt that waits for the user); with `refuse-devices` the user refused them; with
 * `no-speaker-choice` the browser cannot choose an audio output.
 */
function installDeviceGate() {
  // A browser without output selection (Firefox before 116, older Safari) has no setSinkId.
  if (sessionStorage.getItem('no-speaker-choice')) delete (HTMLMediaElement.prototype as { setSinkId?: unknown }).setSinkId;
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    if (sessionStorage.getItem('refuse-devices')) throw new DOMException('Permission denied', 'NotAllowedError');
    if (sessionStorage.getItem('hold-devices')) {
      await new Promise<void>((resolve) => {
        const previous = window.releaseDevices;
        window.releaseDevices = () => {
          previous?.();
          resolve();
        };
      });
    }
    return original(constraints);
  };
}

async function startInstantMeeting(page: Page): Promise<string> {
  await page.goto('/meetings/new');
  await page.getByTestId('join-now').click();
  await page.getByTestId('meeting-room').waitFor();
  return new URL(page.url()).pathname.split('/').pop()!;
}

async function leaveIfInRoom(page: Page) {
  if ((await page.getByTestId('meeting-room').count()) > 0) {
    await press(page.getByTestId('leave'));
    await page.getByTestId('after-call').waitFor();
  }
}

beforeAll(async () => {
  harness = await startHarness();
  const aliceContext = await harness.newUser();
  const bobContext = await harness.newUser();
  await bobContext.context.addInitScript(installDeviceGate);
  alice = aliceContext.page;
  bob = bobContext.page;
  for (const page of [alice, bob]) {
    page.on('dialog', (dialog) => void dialog.accept());
    page.setDefaultTimeout(20_000);
  }
  await signUpThroughUi(alice, aliceUser);
  await signUpThroughUi(bob, bobUser);
  await alice.getByPlaceholder('Organization name').fill('Media Makers');
  await alice.getByRole('button', { name: 'Create organization' }).click();
  await alice.getByRole('link', { name: 'New meeting' }).waitFor();
  await alice.getByRole('link', { name: 'Organization' }).click();
  await alice.getByPlaceholder('Email of a Collaro user').fill(bobUser.email);
  await alice.getByRole('button', { name: 'Add member' }).click();
  await alice.getByTestId('org-member').filter({ hasText: bobUser.name }).waitFor();
}, 240_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    await harness.screenshot(alice, `failed-media-${context.task.name.slice(0, 30)}-alice`).catch(() => undefined);
    await harness.screenshot(bob, `failed-media-${context.task.name.slice(0, 30)}-bob`).catch(() => undefined);
  }
  await leaveIfInRoom(alice);
  await leaveIfInRoom(bob);
  await bob.evaluate(() => sessionStorage.clear());
});

afterAll(async () => {
  await harness?.stop();
});

describe('devices that start late', () => {
  it('Bob clicks Join before his camera and microphone have started: once they do, Alice sees and hears him, and his toggles work', async () => {
    const meetingId = await startInstantMeeting(alice);
    await bob.goto('/meetings');
    await bob.evaluate(() => sessionStorage.setItem('hold-devices', '1'));
    await bob.goto(`/meetings/${meetingId}`);
    await bob.getByText('Starting camera…').waitFor();
    await bob.getByTestId('join-now').click();
    await bob.evaluate(() => window.releaseDevices?.());

    await bob.getByTestId('meeting-room').waitFor();
    await alice.getByText('2 in the call').waitFor();
    expect(await bob.getByTestId('toggle-mute').textContent()).toBe('Mute');
    expect(await bob.getByTestId('toggle-camera').textContent()).toBe('Stop video');
    // His picture and his voice (Chromium's fake microphone beeps) reach Alice.
    await expect.poll(() => framesDecoded(alice, '[data-testid="remote-camera"]'), FRAMES).toBeGreaterThanOrEqual(5);
    await alice.locator('[data-kind="camera"][data-speaking="true"]').waitFor();

    // Stop video turns his camera off for Alice, Start video brings it back.
    await press(bob.getByTestId('toggle-camera'));
    await expect.poll(() => alice.getByTestId('remote-camera').getAttribute('hidden'), POLL).not.toBeNull();
    await press(bob.getByTestId('toggle-camera'));
    await expect.poll(() => alice.getByTestId('remote-camera').getAttribute('hidden'), POLL).toBeNull();
    await expect.poll(() => framesDecoded(alice, '[data-testid="remote-camera"]'), FRAMES).toBeGreaterThanOrEqual(5);
  }, 180_000);

  it('Bob, who refused his camera and microphone, joins without them and his toggles say so instead of pretending', async () => {
    const meetingId = await startInstantMeeting(alice);
    await bob.goto('/meetings');
    await bob.evaluate(() => sessionStorage.setItem('refuse-devices', '1'));
    await bob.goto(`/meetings/${meetingId}`);
    await bob.getByText('You can still join without them').waitFor();
    await bob.getByTestId('join-now').click();
    await bob.getByTestId('meeting-room').waitFor();

    const mute = bob.getByTestId('toggle-mute');
    const camera = bob.getByTestId('toggle-camera');
    expect(await mute.textContent()).toBe('No microphone');
    expect(await camera.textContent()).toBe('No camera');
    expect(await mute.isDisabled()).toBe(true);
    expect(await camera.isDisabled()).toBe(true);
  }, 180_000);
});

async function joinMeeting(page: Page, meetingId: string) {
  await page.goto(`/meetings/${meetingId}`);
  await page.getByTestId('join-now').click();
  await page.getByTestId('meeting-room').waitFor();
}

describe('screen sharing', () => {
  it("Alice keeps seeing Bob's camera as its own tile while he presents, and can switch to the grid", async () => {
    const meetingId = await startInstantMeeting(alice);
    await joinMeeting(bob, meetingId);
    await expect.poll(() => framesDecoded(alice, '[data-testid="remote-camera"]'), FRAMES).toBeGreaterThanOrEqual(5);

    await press(bob.getByTestId('toggle-share'));
    await bob.getByTestId('sharing-indicator').waitFor();
    await alice.getByTestId('remote-screen').waitFor({ state: 'attached' });
    // The share takes the stage; Bob's camera is still there, playing, in the filmstrip.
    await expect.poll(() => alice.getByTestId('meeting-room').getAttribute('data-layout'), POLL).toBe('speaker');
    await expect.poll(() => framesDecoded(alice, '[data-testid="remote-screen"]', 3), FRAMES).toBeGreaterThanOrEqual(3);
    expect(await alice.getByTestId('remote-camera').getAttribute('hidden')).toBeNull();
    await expect.poll(() => framesDecoded(alice, '[data-testid="remote-camera"]'), FRAMES).toBeGreaterThanOrEqual(5);
    const screenSize = await alice.getByTestId('remote-screen').evaluate((video: HTMLVideoElement) => video.videoWidth);
    const cameraSize = await alice.getByTestId('remote-camera').evaluate((video: HTMLVideoElement) => video.videoWidth);
    expect(screenSize).toBe(1280);
    expect(cameraSize).not.toBe(1280);

    // Grid shows the screen and both cameras side by side.
    await press(alice.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'Grid' }));
    await expect.poll(() => alice.getByTestId('meeting-room').getAttribute('data-layout'), POLL).toBe('grid');
    expect(await alice.locator('.video-grid .video-tile').count()).toBe(3);
    await expect.poll(() => framesDecoded(alice, '.video-grid [data-testid="remote-screen"]', 3), FRAMES).toBeGreaterThanOrEqual(3);
    await harness.screenshot(alice, 'meeting-room-grid-while-sharing');

    await press(bob.getByTestId('toggle-share'));
    await alice.getByTestId('remote-screen').waitFor({ state: 'detached' });
    expect(await alice.getByTestId('remote-camera').getAttribute('hidden')).toBeNull();
  }, 180_000);
});

describe('the room on narrow windows', () => {
  it('at 390 px the chat opens over the videos, which keep their width; screenshots at 390, 800 and 1280 px', async () => {
    const meetingId = await startInstantMeeting(alice);
    await joinMeeting(bob, meetingId);
    for (const [width, height] of [
      [390, 844],
      [800, 600],
      [1280, 800],
    ] as const) {
      await bob.setViewportSize({ width, height });
      const stageBefore = (await bob.getByRole('region', { name: 'Videos' }).boundingBox())!;
      await press(bob.getByTestId('toggle-chat'));
      const chat = bob.getByRole('complementary', { name: 'Meeting chat' });
      await chat.waitFor();
      const stage = (await bob.getByRole('region', { name: 'Videos' }).boundingBox())!;
      if (width < 700) {
        // An overlay: the videos stay as wide as before, and the chat is usable on top of them.
        expect(stage.width, `videos at ${width}px`).toBe(stageBefore.width);
        expect((await chat.boundingBox())!.width).toBeGreaterThan(300);
      } else {
        expect(stage.width, `videos at ${width}px`).toBeGreaterThan(width - 400);
      }
      const overflow = await bob.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `the room at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
      await bob.getByPlaceholder('Message everyone').fill(`Hello at ${width} px`);
      await press(bob.getByRole('button', { name: 'Send', exact: true }));
      await bob.getByTestId('meeting-chat-messages').getByText(`Hello at ${width} px`).waitFor();
      await harness.screenshot(bob, `layout-${width}-meeting-room-chat`);
      await press(chat.getByRole('button', { name: 'Close panel' }));
      await chat.waitFor({ state: 'detached' });
      await harness.screenshot(bob, `layout-${width}-meeting-room`);
    }
    await bob.setViewportSize({ width: 1280, height: 800 });
  }, 300_000);
});

describe('speakers', () => {
  it("Bob picks a speaker on the pre-join and Alice's voice plays there; he changes it in the room", async () => {
    const meetingId = await startInstantMeeting(alice);
    await bob.goto(`/meetings/${meetingId}`);
    const choice = bob.getByTestId('speaker-select');
    await choice.waitFor();
    const outputs = await choice
      .locator('option')
      .evaluateAll((options: HTMLOptionElement[]) => options.map((option) => option.value).filter((value) => value !== ''));
    expect(outputs.length, 'Chromium lists its fake audio outputs').toBeGreaterThan(0);
    await choice.selectOption(outputs[0]!);
    await bob.getByTestId('join-now').click();
    await bob.getByTestId('meeting-room').waitFor();

    const audio = bob.getByTestId('participant-audio');
    await audio.waitFor({ state: 'attached' });
    await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.sinkId), POLL).toBe(outputs[0]);
    const inRoom = bob.getByTestId('speaker-select');
    expect(await inRoom.inputValue()).toBe(outputs[0]);
    await inRoom.selectOption('');
    await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.sinkId), POLL).toBe('');
  }, 180_000);

  it('where the browser cannot choose an output, neither the pre-join nor the room offers one', async () => {
    const meetingId = await startInstantMeeting(alice);
    await bob.goto('/meetings');
    await bob.evaluate(() => sessionStorage.setItem('no-speaker-choice', '1'));
    await joinMeeting(bob, meetingId);
    await bob.getByTestId('participant-audio').waitFor({ state: 'attached' });
    expect(await bob.getByTestId('speaker-select').count()).toBe(0);
    await press(bob.getByTestId('leave'));
    await bob.getByRole('button', { name: 'Rejoin' }).click();
    await bob.getByTestId('join-now').waitFor();
    await bob.getByRole('combobox', { name: 'Microphone' }).waitFor();
    expect(await bob.getByTestId('speaker-select').count()).toBe(0);
  }, 180_000);
});
