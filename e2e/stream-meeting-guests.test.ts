import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StreamStandIn } from '../backend/test/meetings/stream-stand-in.js';
import { makeUser, POLL, signUpThroughUi, startHarness, type Harness } from './harness.js';
import { StreamVideoStandIn } from './stream-video-stand-in.js';

/**
 * A guest without an account on a meeting on Stream video: the host makes a guest link in the Stream
 * room, the guest gives a name, goes through the pre-join and is in the Stream call as their own
 * Stream user, with the call token the server minted for them. Stream's REST API (for the server)
 * and its browser-side servers (one stand-in per browser, for the SDK) are played by stand-ins.
 */

let harness: Harness;
let restStandIn: StreamStandIn;
const hostVideo = new StreamVideoStandIn();
const guestVideo = new StreamVideoStandIn();
let host: Page;
let guest: Page;
const hostUser = makeUser('Hana Host');

const JOIN_PATH = /^POST \/video\/call\/default\/([^/]+)\/join$/;

/** The claims of a JWT, unchecked: the stand-in has no secret, and only what it names matters here. */
function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

beforeAll(async () => {
  restStandIn = new StreamStandIn();
  await restStandIn.start();
  harness = await startHarness({
    env: { STREAM_API_KEY: 'stand-in-key', STREAM_API_SECRET: 'stand-in-secret-of-thirty-two-bytes!', STREAM_BASE_URL: restStandIn.url },
  });
  const hostBrowser = await harness.newUser();
  host = hostBrowser.page;
  await hostVideo.attach(hostBrowser.context);
  // The guest's browser has never signed in to Collaro.
  const guestBrowser = await harness.newUser();
  guest = guestBrowser.page;
  await guestVideo.attach(guestBrowser.context);
  for (const page of [host, guest]) page.on('dialog', (dialog) => void dialog.accept());
  await signUpThroughUi(host, hostUser);
  await host.getByPlaceholder('Organization name').fill('Stream Guests');
  await host.getByRole('button', { name: 'Create organization' }).click();
  await host.getByRole('link', { name: 'New meeting' }).waitFor();
}, 240_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    await harness.screenshot(host, `failed-stream-guest-${context.task.name.slice(0, 30)}-host`).catch(() => undefined);
    await harness.screenshot(guest, `failed-stream-guest-${context.task.name.slice(0, 30)}-guest`).catch(() => undefined);
  }
});

afterAll(async () => {
  await harness?.stop();
  await restStandIn?.stop();
});

describe('a guest on a meeting on Stream video', () => {
  it("joins the Stream call from the host's guest link as their own Stream user, under the name they give, with nothing to moderate", async () => {
    await host.getByRole('link', { name: 'New meeting' }).click();
    await host.getByTestId('join-now').click();
    await host.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
    const hostJoin = hostVideo.coordinatorCalls.map((call) => JOIN_PATH.exec(call)).find(Boolean);
    const callId = hostJoin?.[1] ?? '';
    expect(callId).not.toBe('');

    await host.getByRole('button', { name: 'Participants' }).click();
    await host.getByRole('button', { name: 'Create guest link' }).click();
    const guestUrl = await host.getByTestId('guest-link').inputValue();
    expect(guestUrl).toMatch(new RegExp(`^${harness.baseUrl}/guest/[A-Za-z0-9_-]{43}$`));

    await guest.goto(guestUrl);
    await guest.getByText('Hana Host invited you to this meeting as a guest').waitFor();
    await guest.getByLabel('Your name').fill('Gina Guest');
    await guest.getByRole('button', { name: 'Continue' }).click();
    await guest.getByText('You are joining as a guest').waitFor();
    await guest.getByTestId('join-now').click();
    await guest.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
    await harness.screenshot(guest, 'stream-guest-room');

    // Stream's SDK in the guest's tab connected as the guest's own Stream user, under their name,
    // with the token the server minted for them (good for this call only), and joined this call.
    expect(guestVideo.connections).toHaveLength(1);
    const connection = guestVideo.connections[0]!;
    expect(connection.userId).toMatch(/^guest-[0-9a-f-]{36}$/);
    expect(connection.name).toBe('Gina Guest');
    expect(claimsOf(connection.token)).toMatchObject({ user_id: connection.userId, call_cids: [`default:${callId}`] });
    expect(guestVideo.coordinatorCalls).toContain(`POST /video/call/default/${callId}/join`);
    // The server had made the same user at Stream with Stream's guest role.
    const upserted = restStandIn.requests
      .filter((request) => request.method === 'POST' && request.path.endsWith('/users'))
      .flatMap((request) => Object.values((request.body as { users: Record<string, { id: string; role?: string }> }).users));
    expect(upserted).toContainEqual(expect.objectContaining({ id: connection.userId, name: 'Gina Guest', role: 'guest' }));

    // The room is Collaro's Stream room on the meeting, without the host's controls or a chat that
    // could not work (a Stream meeting has no meeting chat for guests).
    await guest.getByRole('heading', { name: await host.locator('.room-title').innerText() }).waitFor();
    await guest.locator('.str-video__participant-details__name', { hasText: 'Gina Guest' }).waitFor();
    expect(await guest.getByRole('button', { name: 'End for everyone' }).count()).toBe(0);
    expect(await guest.getByRole('button', { name: 'Chat', exact: true }).count()).toBe(0);
    await guest.getByRole('button', { name: 'Participants' }).click();
    await guest.locator('.side-panel').waitFor();
    expect(await guest.getByRole('button', { name: 'Create guest link' }).count()).toBe(0);
  }, 300_000);

  it('the host, a member, writes in the Stream meeting chat and the line is delivered', async () => {
    await host.getByRole('button', { name: 'Chat', exact: true }).click();
    await host.getByPlaceholder('Message everyone').fill('Slides are in the channel');
    await host.getByRole('button', { name: 'Send', exact: true }).click();
    await host.getByTestId('meeting-chat-messages').getByText('Slides are in the channel').waitFor();
    await expect.poll(() => host.getByTestId('meeting-chat-messages').getByText('Sending…').count(), POLL).toBe(0);
  }, 120_000);
});
