import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POLL, makeUser, signUpThroughUi, startHarness, type E2eUser, type Harness } from './harness.js';

/**
 * Ringing calls in the web app, in real Chromium with fake camera and microphone: Alice calls from
 * a direct message, Bob (signed in on two tabs) gets the incoming-call dialog, and each way a
 * ringing call can end is driven through the UI.
 */

/**
 * How long a call rings here. Each answering test must click within it: on a busy two-core machine
 * a test's steps before Accept or Decline (two tabs, screenshots) took more than 10 seconds, and the
 * call was then rightly noted as missed.
 */
const RING_SECONDS = 25;
let harness: Harness;
let alice: Page;
let bob: Page;
let bobSecondTab: Page;
let carol: Page;
let bobContext: BrowserContext;
const aliceUser = makeUser('Alice Caller');
const bobUser = makeUser('Bob Callee');
const carolUser = makeUser('Carol Third');
let pairId = '';
let groupId = '';
let orgId = '';

async function api(user: E2eUser, method: string, path: string, body?: unknown): Promise<any> {
  const login = await fetch(`${harness.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const response = await fetch(`${harness.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${accessToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

const incoming = (page: Page) => page.getByRole('alertdialog', { name: `${aliceUser.name} is calling you` });
const callLines = (page: Page) => page.getByTestId('call-line');

async function openConversation(page: Page, channelId: string) {
  await page.goto(`/chat/${channelId}`);
  await page.getByRole('button', { name: /Call$/ }).waitFor();
}

beforeAll(async () => {
  harness = await startHarness({ env: { CALL_RING_SECONDS: String(RING_SECONDS) } });
  alice = (await harness.newUser()).page;
  const bobs = await harness.newUser();
  bobContext = bobs.context;
  bob = bobs.page;
  carol = (await harness.newUser()).page;
  await signUpThroughUi(alice, aliceUser);
  await signUpThroughUi(bob, bobUser);
  await signUpThroughUi(carol, carolUser);
  const org = await api(aliceUser, 'POST', '/api/orgs', { name: 'Callers' });
  orgId = org.id;
  for (const user of [bobUser, carolUser]) await api(aliceUser, 'POST', `/api/orgs/${org.id}/members`, { email: user.email });
  const members = await api(aliceUser, 'GET', `/api/orgs/${org.id}/members`);
  const idOf = (user: E2eUser) => members.members.find((member: { email: string }) => member.email === user.email).userId;
  pairId = (await api(aliceUser, 'POST', `/api/orgs/${org.id}/dms`, { userIds: [idOf(bobUser)] })).id;
  groupId = (await api(aliceUser, 'POST', `/api/orgs/${org.id}/dms`, { userIds: [idOf(bobUser), idOf(carolUser)] })).id;
  bobSecondTab = await bobContext.newPage();
  bobSecondTab.setDefaultTimeout(30_000);
  // Playing the ringtone needs a gesture on the page first, as a real visitor's clicks would give it.
  for (const page of [alice, bob, bobSecondTab, carol]) await page.goto('/');
  await bob.mouse.click(5, 5);
}, 240_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    for (const [name, page] of [
      ['alice', alice],
      ['bob', bob],
      ['bob-tab-2', bobSecondTab],
      ['carol', carol],
    ] as const) {
      await harness.screenshot(page, `failed-call-${context.task.name.slice(0, 30)}-${name}`).catch(() => undefined);
    }
  }
});

afterAll(async () => {
  await harness?.stop();
});

describe('ringing calls from a direct message', { timeout: 120_000 }, () => {
  it('rings Bob on both his tabs; answering on one stops the other, and both are in the call', async () => {
    await openConversation(alice, pairId);
    // Bob's two tabs are open and connected (each has asked for the calls already on) before Alice
    // calls: this is about ringing open apps, not about tabs still loading when the call starts.
    const [bobConnected, secondTabConnected] = [bob, bobSecondTab].map((page) =>
      page.waitForResponse((response) => new URL(response.url()).pathname === '/api/calls/active' && response.ok()),
    );
    await bob.goto(`/chat/${pairId}`);
    await bobSecondTab.goto('/');
    await Promise.all([bobConnected, secondTabConnected]);
    await alice.getByRole('button', { name: /Call$/ }).click();

    await alice.waitForURL(/\/calls\/[0-9a-f-]{36}$/);
    const callUrl = new URL(alice.url()).pathname;
    const outgoing = alice.getByTestId('outgoing-call');
    await expect.poll(() => outgoing.textContent(), POLL).toContain(`Calling ${bobUser.name}…`);
    await incoming(bob).waitFor();
    await incoming(bobSecondTab).waitFor();
    expect(await incoming(bob).textContent()).toContain('Direct call');
    await harness.screenshot(alice, 'call-outgoing');
    await harness.screenshot(bob, 'call-incoming');

    await incoming(bob).getByRole('button', { name: 'Accept' }).click();
    await bob.waitForURL((url) => url.pathname === callUrl);
    await incoming(bobSecondTab).waitFor({ state: 'hidden' });
    await outgoing.waitFor({ state: 'hidden' });
    // The call is a meeting underneath: the same room, with each other's video.
    await alice.getByTestId('remote-camera').first().waitFor();
    await bob.getByTestId('remote-camera').first().waitFor();
    await harness.screenshot(bob, 'call-in-progress');

    // Someone outside the conversation cannot open it.
    await carol.goto(callUrl);
    await carol.getByRole('heading', { name: 'This call cannot be opened' }).waitFor();

    await bob.getByTestId('leave').click();
    await alice.getByTestId('call-ended').getByRole('heading', { name: 'The call has ended' }).waitFor();
    await alice.getByRole('button', { name: 'Back to the conversation' }).click();
    await alice.waitForURL((url) => url.pathname === `/chat/${pairId}`);
    // Answered by everyone: nothing is noted in the conversation.
    expect(await callLines(alice).count()).toBe(0);
  });

  it('tells Alice when Bob declines, and both see the declined call once in the conversation, after a reload too', async () => {
    await openConversation(alice, pairId);
    await bob.goto(`/chat/${pairId}`);
    await alice.getByRole('button', { name: /Call$/ }).click();
    await incoming(bob).getByRole('button', { name: 'Decline' }).click();
    await incoming(bob).waitFor({ state: 'hidden' });
    await alice.getByRole('heading', { name: `${bobUser.name} declined the call` }).waitFor();
    await harness.screenshot(alice, 'call-declined');

    const line = `${bobUser.name} declined a call from ${aliceUser.name}`;
    await expect.poll(() => callLines(bob).allTextContents(), POLL).toEqual([expect.stringContaining(line)]);
    await harness.screenshot(bob, 'call-line-declined');
    await bob.reload();
    await callLines(bob).first().waitFor();
    expect(await callLines(bob).allTextContents()).toEqual([expect.stringContaining(line)]);
    await alice.getByRole('button', { name: 'Back to the conversation' }).click();
    await expect.poll(() => callLines(alice).allTextContents(), POLL).toEqual([expect.stringContaining(line)]);
  });

  it('stops ringing when Alice cancels before Bob answers, and notes the missed call', async () => {
    await openConversation(alice, pairId);
    await bob.goto(`/chat/${pairId}`);
    await bob.getByRole('textbox', { name: /Message/ }).click();
    await alice.getByRole('button', { name: /Call$/ }).click();
    await incoming(bob).waitFor();
    // Bob was typing: Enter sends his message and does not answer the call.
    await bob.keyboard.type('One minute');
    await bob.keyboard.press('Enter');
    await bob.getByTestId('message').filter({ hasText: 'One minute' }).waitFor();
    expect(await incoming(bob).isVisible()).toBe(true);
    await alice.getByTestId('outgoing-call').getByRole('button', { name: 'Cancel' }).click();
    await alice.getByRole('heading', { name: 'You cancelled the call' }).waitFor();
    await incoming(bob).waitFor({ state: 'hidden' });
    await expect.poll(() => callLines(bob).last().textContent(), POLL).toContain(`Missed call from ${aliceUser.name} (cancelled before anyone answered)`);
  });

  it('cancels the call when Alice leaves the call screen while Bob is still being rung', async () => {
    await openConversation(alice, pairId);
    await bob.goto(`/chat/${pairId}`);
    await callLines(bob).first().waitFor();
    const before = await callLines(bob).count();
    await alice.getByRole('button', { name: /Call$/ }).click();
    await incoming(bob).waitFor();
    // Alice's app opens the call screen once the server has answered her start; Bob's ringing can
    // come first on a busy machine, and Back before then would leave the conversation, not the call.
    await alice.getByTestId('outgoing-call').waitFor();
    await alice.goBack();
    await incoming(bob).waitFor({ state: 'hidden' });
    await expect.poll(() => callLines(bob).count(), POLL).toBe(before + 1);
    expect(await callLines(bob).last().getAttribute('data-outcome')).toBe('cancelled');
  });

  it('gives up after the ringing time when nobody answers: the dialog goes and a missed call is noted', async () => {
    await openConversation(alice, pairId);
    await bob.goto(`/chat/${pairId}`);
    await callLines(bob).first().waitFor();
    const before = await callLines(bob).count();
    await alice.getByRole('button', { name: /Call$/ }).click();
    await incoming(bob).waitFor();
    await incoming(bob).waitFor({ state: 'hidden', timeout: (RING_SECONDS + 10) * 1000 });
    await alice.getByRole('heading', { name: 'No answer' }).waitFor();
    await expect.poll(() => callLines(bob).count(), POLL).toBe(before + 1);
    expect(await callLines(bob).last().textContent()).toContain(`Missed call from ${aliceUser.name}`);
    expect(await callLines(bob).last().getAttribute('data-outcome')).toBe('missed');
  });

  it('in a group, Carol declines and Bob answers: the call goes on and the line says Carol declined', async () => {
    await openConversation(alice, groupId);
    await bob.goto('/');
    await carol.goto(`/chat/${groupId}`);
    await alice.getByRole('button', { name: /Call$/ }).click();
    await incoming(carol).getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => alice.getByTestId('outgoing-call').textContent(), POLL).toContain(`${carolUser.name} declined`);
    expect(await incoming(bob).textContent()).toContain(`Group call with ${carolUser.name}`);
    await incoming(bob).getByRole('button', { name: 'Accept' }).click();
    await alice.getByTestId('outgoing-call').waitFor({ state: 'hidden' });
    await alice.getByTestId('remote-camera').first().waitFor();
    await expect.poll(() => callLines(carol).last().textContent(), POLL).toContain(`Call from ${aliceUser.name} · ${carolUser.name} declined`);
    // In a group, leaving does not end the call for the others.
    await bob.getByTestId('leave').click();
    expect(await alice.getByTestId('call-screen').getAttribute('data-call-status')).toBe('ongoing');
    await alice.getByTestId('leave').click();
  });

  it('rings Bob while he is in a meeting: Alice is told he is in another call, and answering takes him from the meeting to the call', async () => {
    const meeting = await api(bobUser, 'POST', '/api/meetings', { orgId, title: 'Focus time' });
    await bob.goto(`/meetings/${meeting.id}`);
    await bob.getByTestId('join-now').click();
    await bob.getByTestId('meeting-room').waitFor();
    await openConversation(alice, pairId);
    await alice.getByRole('button', { name: /Call$/ }).click();
    await expect.poll(() => alice.getByTestId('outgoing-call').textContent(), POLL).toContain(`${bobUser.name} is in another call`);
    await incoming(bob).waitFor();
    expect(await incoming(bob).textContent()).toContain('Answering leaves the call you are in');
    await incoming(bob).getByRole('button', { name: 'Accept' }).click();
    await bob.waitForURL(/\/calls\/[0-9a-f-]{36}$/);
    await alice.getByTestId('remote-camera').first().waitFor();
    await bob.getByTestId('leave').click();
    await alice.getByTestId('call-ended').waitFor();
  });
});
