import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, signUpThroughUi, startHarness, type Harness } from './harness.js';
import { framesDecoded, press } from './meeting-room.js';

/**
 * A guest without an account, in real Chromium with fake devices: the host makes a guest link in
 * the room, the guest gives a name and joins the call, and the link dies with the meeting.
 */

let harness: Harness;
let host: Page;
let guest: Page;
const hostUser = makeUser('Hana Host');
let guestUrl = '';

/** Waiting for video: a loaded machine paints slowly, a stuck call never does. */
const FRAMES = { timeout: 45_000 } as const;

/** Takes the guest's network down (closing their sockets, refusing new ones) or brings it back. */
async function setGuestNetwork(state: 'down' | 'up') {
  await guest.evaluate((down) => {
    const network = (window as unknown as { testNetwork: { down: boolean; sockets: WebSocket[] } }).testNetwork;
    network.down = down;
    if (down) for (const socket of network.sockets.splice(0)) socket.close(4000, 'network dropped');
  }, state === 'down');
}

/** Opens the room's chat (if closed), sends a line and waits until the sender's own list shows it. */
async function sendInCallChat(page: Page, body: string) {
  const chat = page.getByRole('complementary', { name: 'Meeting chat' });
  if ((await chat.count()) === 0) await press(page.getByTestId('toggle-chat'));
  await chat.getByPlaceholder('Message everyone').fill(body);
  await press(chat.getByRole('button', { name: 'Send', exact: true }));
  await chatLine(page, body).waitFor();
}

/** A line of the room's chat, with who wrote it as this page names them. */
function chatLine(page: Page, body: string) {
  return page
    .getByTestId('meeting-chat-messages')
    .locator('.in-call-message')
    .filter({ has: page.getByText(body, { exact: true }) });
}

beforeAll(async () => {
  harness = await startHarness();
  host = (await harness.newUser()).page;
  // The guest's browser has never signed in to Collaro.
  const guestBrowser = await harness.newUser();
  guest = guestBrowser.page;
  // Notes when the guest's first peer connection is made and when their join request is answered.
  await guestBrowser.context.addInitScript(() => {
    const timeline = { peerConnections: [] as number[], joinAnswers: [] as number[] };
    Object.assign(window, { guestJoinTimeline: timeline });
    const NativePeerConnection = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends NativePeerConnection {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        timeline.peerConnections.push(performance.now());
      }
    };
    const nativeFetch = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const response = await nativeFetch(input, init);
      if (String(input).endsWith('/api/guest/join')) timeline.joinAnswers.push(performance.now());
      return response;
    };
  });
  // The guest's WebSockets can be cut as a dropped network cuts them, and new ones refused until it is back.
  await guest.addInitScript(() => {
    const NativeWebSocket = window.WebSocket;
    const network = { down: false, sockets: [] as WebSocket[] };
    Object.assign(window, { testNetwork: network });
    window.WebSocket = class extends NativeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        if (network.down) this.close(4000, 'network down');
        else network.sockets.push(this);
      }
    };
  });
  // Steps wait as long as the harness says (30 s): a busy two-core machine loads the guest page slowly.
  for (const page of [host, guest]) page.on('dialog', (dialog) => void dialog.accept());
  await signUpThroughUi(host, hostUser);
  await host.getByPlaceholder('Organization name').fill('Guest Friendly');
  await host.getByRole('button', { name: 'Create organization' }).click();
  await host.getByRole('link', { name: 'New meeting' }).waitFor();
}, 240_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    await harness.screenshot(host, `failed-guest-${context.task.name.slice(0, 30)}-host`).catch(() => undefined);
    await harness.screenshot(guest, `failed-guest-${context.task.name.slice(0, 30)}-guest`).catch(() => undefined);
  }
});

afterAll(async () => {
  await harness?.stop();
});

describe('a guest without an account', () => {
  it("joins the meeting from the host's guest link under the name they give, and sees the host while the host sees them", async () => {
    await host.goto('/meetings/new');
    await host.getByTestId('join-now').click();
    await host.getByTestId('meeting-room').waitFor();
    // Said before any guest is there: a guest who joins later reads it in the chat's history.
    await sendInCallChat(host, 'Welcome, everyone');
    await press(host.getByRole('button', { name: 'Participants' }));
    await press(host.getByRole('button', { name: 'Create guest link' }));
    guestUrl = await host.getByTestId('guest-link').inputValue();
    expect(guestUrl).toMatch(new RegExp(`^${harness.baseUrl}/guest/[A-Za-z0-9_-]{43}$`));

    await guest.goto(guestUrl);
    await guest.getByText('Hana Host invited you to this meeting as a guest').waitFor();
    await guest.getByLabel('Your name').fill('Gina Guest');
    await guest.getByRole('button', { name: 'Continue' }).click();
    await guest.getByText('You are joining as a guest').waitFor();
    expect(await guest.locator('strong', { hasText: 'Gina Guest' }).count()).toBe(1);
    await guest.getByTestId('join-now').click();
    await guest.getByTestId('meeting-room').waitFor();
    await harness.screenshot(guest, 'guest-room');
    // As for members, the guest's offer was made while their join request was on its way.
    const timeline = await guest.evaluate(
      () => (window as unknown as { guestJoinTimeline: { peerConnections: number[]; joinAnswers: number[] } }).guestJoinTimeline,
    );
    expect(timeline.joinAnswers.length).toBe(1);
    expect(timeline.peerConnections[0]).toBeLessThan(timeline.joinAnswers[0]!);

    await host.getByTestId('participant').filter({ hasText: 'Gina Guest' }).waitFor();
    await expect.poll(() => framesDecoded(guest, '[data-testid="remote-camera"]'), FRAMES).toBeGreaterThanOrEqual(5);
    await expect.poll(() => framesDecoded(host, '[data-testid="remote-camera"]'), FRAMES).toBeGreaterThanOrEqual(5);
    // A guest moderates nothing: no Mute or Remove, no guest links, no End for everyone.
    await press(guest.getByRole('button', { name: 'Participants' }));
    await guest.getByTestId('participant').filter({ hasText: 'Hana Host' }).waitFor();
    expect(await guest.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await guest.getByRole('button', { name: 'Create guest link' }).count()).toBe(0);
    expect(await guest.getByTestId('end-for-everyone').count()).toBe(0);
  }, 300_000);

  it("talks with the host in the meeting's chat: the guest reads what was said before they came, and each sees the other's lines under their name", async () => {
    // Both have the chat open: each line has to arrive live, not with history loaded later.
    await press(host.getByTestId('toggle-chat'));
    await chatLine(host, 'Welcome, everyone').waitFor();
    await press(guest.getByTestId('toggle-chat'));
    await chatLine(guest, 'Welcome, everyone').waitFor();
    expect(await chatLine(guest, 'Welcome, everyone').locator('.author').textContent()).toBe('Hana Host');

    await sendInCallChat(guest, 'Hello from outside');
    expect(await chatLine(guest, 'Hello from outside').locator('.author').textContent()).toBe('You');
    await chatLine(host, 'Hello from outside').waitFor();
    expect(await chatLine(host, 'Hello from outside').locator('.author').textContent()).toBe('Gina Guest');

    await sendInCallChat(host, 'Glad you could come, Gina');
    await chatLine(guest, 'Glad you could come, Gina').waitFor();
    expect(await chatLine(guest, 'Glad you could come, Gina').locator('.author').textContent()).toBe('Hana Host');
    await harness.screenshot(guest, 'guest-room-chat');
  }, 120_000);

  it("loses no line when the guest's connection drops for a moment: what was said meanwhile arrives both ways once it is back", async () => {
    await setGuestNetwork('down');
    await sendInCallChat(host, 'You froze for a moment');
    await guest.getByPlaceholder('Message everyone').fill('Sorry, my Wi-Fi dropped');
    await press(guest.getByRole('button', { name: 'Send', exact: true }));
    await setGuestNetwork('up');
    await chatLine(guest, 'You froze for a moment').waitFor();
    expect(await chatLine(guest, 'You froze for a moment').locator('.author').textContent()).toBe('Hana Host');
    await chatLine(host, 'Sorry, my Wi-Fi dropped').waitFor();
    // The guest may not be back in the room yet; their name comes with it.
    await expect.poll(() => chatLine(host, 'Sorry, my Wi-Fi dropped').locator('.author').textContent(), FRAMES).toBe('Gina Guest');
  }, 120_000);

  it("the host still reads the guest's lines under their name once the guest has left the room, and the guest can come back", async () => {
    await press(guest.getByTestId('leave'));
    await guest.getByTestId('after-call').waitFor();
    await expect.poll(() => host.getByTestId('remote-camera').count(), FRAMES).toBe(0);
    expect(await chatLine(host, 'Hello from outside').locator('.author').textContent()).toBe('Gina Guest');
    await press(guest.getByRole('button', { name: 'Rejoin' }));
    await guest.getByTestId('join-now').click();
    await guest.getByTestId('meeting-room').waitFor();
    await expect.poll(() => host.getByTestId('remote-camera').count(), FRAMES).toBe(1);
  }, 120_000);

  it('when the host ends the meeting the guest is told, and the link no longer lets anyone in', async () => {
    await press(host.getByTestId('end-for-everyone'));
    await guest.getByTestId('after-call').waitFor({ timeout: 30_000 });
    expect(await guest.getByTestId('after-call').getAttribute('data-reason')).toBe('ended');
    await guest.goto(guestUrl);
    await guest.getByRole('heading', { name: 'This guest link does not work' }).waitFor();
    await guest.getByText('Ask the host for a new one').waitFor();
    // Nothing of the organization opens for the guest's browser: it is not signed in.
    await guest.goto('/meetings');
    await guest.waitForURL(/\/sign-in/);
  }, 120_000);
});
