import type { Call } from '@collaro/shared';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness } from './desktop-harness.js';
import { expectNoViolations, launchSignedIn, makeUser, POLL, signedInProfile, type Member } from './harness-fixtures.js';
import type { NotificationSnapshot } from './harness-types.js';
import WebSocket from 'ws';

/**
 * Ringing calls on the desktop, driven as a person would: Alice calls Bob from their direct
 * message (her client is the API here), Bob's Collaro rings with a system notification carrying
 * Accept and Decline, shown again while nobody answers, and Bob answers from the notification.
 */

let harness: DesktopHarness;
let app: DesktopApp | undefined;
let page: Page;
let alice: Member & { name: string };
let bob: Member & { name: string };
let dmId = '';

const ringingTitle = () => `${alice.name} is calling you`;

async function startCall(): Promise<Call> {
  const started = await harness.backend.request('POST', `/api/channels/${dmId}/calls`, { token: alice.accessToken });
  return started.call as Call;
}

async function callAs(member: Member, callId: string): Promise<Call> {
  return harness.backend.request('GET', `/api/calls/${callId}`, { token: member.accessToken }) as Promise<Call>;
}

/** The ringing notifications main has shown so far, oldest first. */
async function ringing(): Promise<NotificationSnapshot[]> {
  return (await app!.recorded()).notifications.filter((notification) => notification.shown && notification.title === ringingTitle());
}

/** Waits for the `count`-th ringing notification and returns it. */
async function nthRing(count: number): Promise<NotificationSnapshot> {
  return app!.waitFor(`ringing notification #${count}`, async () => (await ringing())[count - 1], 20_000);
}

/** Resolves once `watcher`'s own connection to the server hears that `userId` has `status`. */
function presenceSeenBy(watcher: Member, userId: string, status: string): Promise<void> {
  const socket = new WebSocket(`${harness.backendUrl.replace(/^http/, 'ws')}/ws`);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server never reported ${userId} as ${status}`)), 15_000);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token: watcher.accessToken })));
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; userId?: string; status?: string; users?: { userId: string; status: string }[] };
      const updates =
        frame.type === 'presence.snapshot' || frame.type === 'presence.changes' ? (frame.users ?? []) : frame.type === 'presence.update' ? [frame] : [];
      if (updates.some((update) => update.userId === userId && update.status === status)) {
        clearTimeout(timer);
        resolve();
      }
    });
    socket.on('error', reject);
  }).finally(() => socket.close());
}

async function endIfOn(call: Call) {
  const latest = await callAs(alice, call.id);
  if (latest.status === 'ringing') await harness.backend.request('POST', `/api/calls/${call.id}/cancel`, { token: alice.accessToken });
  if (latest.status === 'ongoing') await harness.backend.request('POST', `/api/calls/${call.id}/hang-up`, { token: alice.accessToken });
}

beforeAll(async () => {
  harness = await DesktopHarness.start({ backendEnv: { CALL_RING_SECONDS: '20' } });
  const aliceUser = makeUser('Alice Ringer');
  const session = await harness.backend.request('POST', '/api/auth/signup', { body: aliceUser });
  alice = { userId: session.user.id, email: aliceUser.email, accessToken: session.accessToken, name: aliceUser.name };
  const signedIn = await signedInProfile(harness, 'Bob Desktop');
  bob = { userId: signedIn.userId, email: signedIn.user.email, accessToken: signedIn.accessToken, name: signedIn.user.name };
  const org = await harness.backend.request('POST', '/api/orgs', { token: alice.accessToken, body: { name: 'Ringing' } });
  await harness.backend.request('POST', `/api/orgs/${org.id}/members`, { token: alice.accessToken, body: { email: bob.email } });
  dmId = (await harness.backend.request('POST', `/api/orgs/${org.id}/dms`, { token: alice.accessToken, body: { userIds: [bob.userId] } })).id;
  ({ app, page } = await launchSignedIn(harness, signedIn.profile));
}, 300_000);

afterEach(() => {
  expectNoViolations(app);
});

afterAll(async () => {
  await app?.quit();
  await harness?.stop();
});

describe('an incoming call on the desktop', { timeout: 120_000 }, () => {
  it('rings with Accept and Decline, again while unanswered, and Accept joins the call in the app window', async () => {
    const before = (await ringing()).length;
    const call = await startCall();
    const first = await nthRing(before + 1);
    expect(first).toMatchObject({
      body: 'Direct call',
      silent: false,
      actions: [
        { type: 'button', text: 'Accept' },
        { type: 'button', text: 'Decline' },
      ],
    });
    // The app shows its own incoming-call dialog too.
    await page.getByRole('alertdialog', { name: ringingTitle() }).waitFor();
    // Nobody answers for a while: the notification comes back, replacing the previous one.
    await nthRing(before + 2);
    expect((await ringing()).filter((notification) => !notification.closed)).toHaveLength(1);

    const latest = (await ringing()).at(-1)!;
    await app!.clickNotification(latest.id, 0);
    await page.waitForURL(`**/calls/${call.id}`);
    await page.getByTestId('meeting-room').waitFor();
    await expect.poll(async () => (await callAs(bob, call.id)).members.find((member) => member.userId === bob.userId)?.state, POLL).toBe('accepted');
    expect(await page.getByRole('alertdialog', { name: ringingTitle() }).count()).toBe(0);
    // Answered: it rings no more.
    const shown = (await ringing()).length;
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect((await ringing()).length).toBe(shown);
    expect((await ringing()).every((notification) => notification.closed)).toBe(true);
    await endIfOn(call);
    await page.getByTestId('call-ended').waitFor();
    await page.getByRole('button', { name: 'Back to the conversation' }).click();
    await page.getByRole('button', { name: /Call$/ }).waitFor();
  });

  it('Decline on the notification declines the call and leaves the line in the conversation', async () => {
    const before = (await ringing()).length;
    const call = await startCall();
    const notification = await nthRing(before + 1);
    await app!.clickNotification(notification.id, 1);
    await expect.poll(async () => (await callAs(alice, call.id)).outcome, POLL).toBe('declined');
    await expect.poll(() => page.getByTestId('call-line').last().textContent(), POLL).toContain(`${bob.name} declined a call from ${alice.name}`);
    expect(await page.getByRole('alertdialog', { name: ringingTitle() }).count()).toBe(0);
  });

  it('rings until its ringing time is up when nobody answers, then stops by itself and leaves a missed-call line', async () => {
    const before = (await ringing()).length;
    const linesBefore = await page.getByTestId('call-line').count();
    const call = await startCall();
    await nthRing(before + 1);
    // Shown again every five seconds for the server's ringing time (20 s here, 30 s by default).
    await nthRing(before + 3);
    await app!.waitFor('the ringing to end at its deadline', async () => ((await callAs(alice, call.id)).outcome === 'missed' ? true : null), 40_000);
    await app!.waitFor('the last ringing notification to close', async () => ((await ringing()).every((notification) => notification.closed) ? true : null));
    const shown = (await ringing()).length - before;
    expect(shown).toBeGreaterThanOrEqual(3);
    expect(shown).toBeLessThanOrEqual(6);
    await expect.poll(() => page.getByTestId('call-line').count(), POLL).toBe(linesBefore + 1);
    expect(await page.getByTestId('call-line').last().textContent()).toContain(`Missed call from ${alice.name}`);
    expect(await page.getByTestId('call-line').last().getAttribute('data-outcome')).toBe('missed');
    expect(await page.getByRole('alertdialog', { name: ringingTitle() }).count()).toBe(0);
  });

  it('stops ringing on this desktop when Bob answers on another device', async () => {
    const before = (await ringing()).length;
    const call = await startCall();
    await nthRing(before + 1);
    await harness.backend.request('POST', `/api/calls/${call.id}/accept`, { token: bob.accessToken });
    await app!.waitFor('the ringing notification to close', async () => ((await ringing()).every((notification) => notification.closed) ? true : null));
    const shown = (await ringing()).length;
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect((await ringing()).length).toBe(shown);
    await page.getByRole('alertdialog', { name: ringingTitle() }).waitFor({ state: 'hidden' });
    await endIfOn(call);
  });

  it('stays silent under do-not-disturb from the tray: no notification, a quiet dialog, and the server knows', async () => {
    const seenByAlice = presenceSeenBy(alice, bob.userId, 'dnd');
    await app!.clickTrayItem('Do not disturb');
    // The tray's choice reaches the server's presence, so Bob's other devices ring silently too.
    await seenByAlice;
    const before = (await ringing()).length;
    const call = await startCall();
    const dialog = page.getByRole('alertdialog', { name: ringingTitle() });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Do not disturb is on');
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect((await ringing()).length).toBe(before);
    await endIfOn(call);
    await dialog.waitFor({ state: 'hidden' });
    await app!.clickTrayItem('Available');
  });
});
