import { readFile } from 'node:fs/promises';
import ICAL from 'ical.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFakeDesktopBridge, lastCallState } from './fake-desktop-bridge.js';
import { makeUser, POLL, signUpThroughUi, startHarness, type Harness } from './harness.js';

/**
 * A meeting from schedule to "ended for everyone", through the UI only, in two browser contexts
 * with Chromium's fake camera, microphone and screen.
 */

let harness: Harness;
let alice: Page;
let bob: Page;
let carol: Page;
const aliceUser = makeUser('Alice Host');
const bobUser = makeUser('Bob Guest');
const carolUser = makeUser('Carol Crasher');
const firstTitle = `Design review ${Date.now()}`;
const title = `${firstTitle}, moved`;
let meetingId = '';
let joinUrl = '';
/** Every script either page fetched, to prove Stream's SDK stayed out of a local-video session. */
const scriptsLoaded: string[] = [];

/** Counts frames the page decodes and paints for the first video matching `selector` during `ms`. */
async function framesDecoded(page: Page, selector: string, ms = 1_500): Promise<{ frames: number; width: number; height: number }> {
  await page.locator(selector).first().waitFor({ state: 'attached' });
  return page.evaluate(
    async ({ selector, ms }) => {
      const video = document.querySelector<HTMLVideoElement>(selector);
      if (!video) return { frames: -1, width: 0, height: 0 };
      let frames = 0;
      const count = () => {
        frames += 1;
        video.requestVideoFrameCallback(count);
      };
      video.requestVideoFrameCallback(count);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { frames, width: video.videoWidth, height: video.videoHeight };
    },
    { selector, ms },
  );
}

async function waitForFrames(page: Page, selector: string, minimum: number): Promise<{ frames: number; width: number; height: number }> {
  const deadline = Date.now() + 15_000;
  let last = { frames: 0, width: 0, height: 0 };
  while (Date.now() < deadline) {
    last = await framesDecoded(page, selector, 1_000);
    if (last.frames >= minimum) return last;
  }
  return last;
}

declare global {
  interface Window {
    /** When (performance.now()) each RTCPeerConnection was made, and when each POST /join answered. */
    joinTimeline: { peerConnections: number[]; joinAnswers: number[] };
  }
}

/** Runs in the page before Collaro's scripts: notes when peer connections are made and joins answered. */
function recordJoinTimeline() {
  const timeline: Window['joinTimeline'] = { peerConnections: [], joinAnswers: [] };
  window.joinTimeline = timeline;
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
    if (init?.method === 'POST' && /\/api\/meetings\/[^/]+\/join$/.test(String(input))) timeline.joinAnswers.push(performance.now());
    return response;
  };
}

/** The `meeting.media` frames each page's realtime connection sent. */
const mediaFramesSent = new Map<Page, unknown[]>();
function recordMediaFrames(page: Page) {
  const frames: unknown[] = [];
  mediaFramesSent.set(page, frames);
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { type?: string };
      if (frame.type === 'meeting.media') frames.push(frame);
    }),
  );
}

beforeAll(async () => {
  // A short grace period, so an emptied meeting stops being live within the test.
  harness = await startHarness({ env: { MEETING_EMPTY_GRACE_SECONDS: '2' } });
  alice = (await harness.newUser()).page;
  const bobContext = await harness.newUser();
  // Bob uses the desktop app: the same web UI with a `window.collaro` bridge that records what the
  // UI tells the shell and lets the test play the tray, the global shortcut and deep links.
  await bobContext.context.addInitScript(installFakeDesktopBridge, harness.baseUrl);
  await bobContext.context.addInitScript(recordJoinTimeline);
  bob = bobContext.page;
  recordMediaFrames(alice);
  recordMediaFrames(bob);
  carol = (await harness.newUser()).page;
  for (const page of [alice, bob, carol]) {
    // Confirmations ("End the meeting for everyone?") are answered yes, as the user would.
    page.on('dialog', (dialog) => void dialog.accept());
    // CI machines run several suites at once; give slow first paints room without hiding real hangs.
    page.setDefaultTimeout(20_000);
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scriptsLoaded.push(request.url());
    });
  }

  await signUpThroughUi(alice, aliceUser);
  await signUpThroughUi(bob, bobUser);
  await signUpThroughUi(carol, carolUser);
  await alice.getByPlaceholder('Organization name').fill('Meeting Makers');
  await alice.getByRole('button', { name: 'Create organization' }).click();
  await alice.getByRole('link', { name: 'New meeting' }).waitFor();
  await alice.getByRole('link', { name: 'Organization' }).click();
  await alice.getByPlaceholder('Email of a Collaro user').fill(bobUser.email);
  await alice.getByRole('button', { name: 'Add member' }).click();
  await alice.getByTestId('org-member').filter({ hasText: bobUser.name }).waitFor();
  await alice.getByPlaceholder('Email of a Collaro user').fill(carolUser.email);
  await alice.getByRole('button', { name: 'Add member' }).click();
  await alice.getByTestId('org-member').filter({ hasText: carolUser.name }).waitFor();
}, 120_000);

afterAll(async () => {
  await harness?.stop();
});

describe('meetings in the browser', () => {
  it('Alice schedules a meeting inviting Bob and downloads an invite that calendars can read', async () => {
    await alice.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Meetings' }).click();
    await alice.getByRole('heading', { name: 'Meetings', exact: true }).waitFor();
    await alice.getByRole('link', { name: 'Schedule', exact: true }).click();
    await alice.getByLabel('Title').fill(firstTitle);
    await alice.getByRole('checkbox', { name: new RegExp(bobUser.name) }).check();
    await alice.getByRole('checkbox', { name: new RegExp(carolUser.name) }).check();
    await alice.getByRole('button', { name: 'Schedule', exact: true }).click();
    await alice.getByTestId('meeting-scheduled').waitFor();
    joinUrl = await alice.getByTestId('invite-link').inputValue();
    expect(joinUrl).toMatch(new RegExp(`^${harness.baseUrl}/m/[0-9a-f-]{36}$`));
    meetingId = joinUrl.split('/').pop()!;

    const [download] = await Promise.all([alice.waitForEvent('download'), alice.getByRole('button', { name: 'Download .ics' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.ics$/);
    const ics = await readFile(await download.path(), 'utf8');
    const calendar = new ICAL.Component(ICAL.parse(ics));
    const event = calendar.getFirstSubcomponent('vevent');
    expect(event).not.toBeNull();
    expect(event!.getFirstPropertyValue('summary')).toBe(firstTitle);
    expect(String(event!.getFirstPropertyValue('url'))).toBe(joinUrl);
    const description = String(event!.getFirstPropertyValue('description'));
    expect(description).toContain(joinUrl);
    expect(description).toContain(`collaro://meeting/${meetingId}`);
    const attendees = event!.getAllProperties('attendee').map((attendee) => String(attendee.getFirstValue()).toLowerCase());
    expect(attendees).toContain(`mailto:${bobUser.email.toLowerCase()}`);
    expect(attendees).toContain(`mailto:${carolUser.email.toLowerCase()}`);
  }, 60_000);

  it('the host renames it from the list, and both see it as upcoming', async () => {
    await alice.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Meetings' }).click();
    await alice.getByTestId('meeting-row').filter({ hasText: firstTitle }).getByRole('button', { name: 'Edit' }).click();
    await alice.getByRole('dialog').getByLabel('Title').fill(title);
    await alice.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await alice.getByTestId('meeting-row').filter({ hasText: title }).waitFor();
    await harness.screenshot(alice, 'meetings-list');

    await bob.goto('/meetings');
    await bob.getByTestId('meeting-row').filter({ hasText: title }).waitFor();
    // Bob is invited, not the host: he may not change or cancel it.
    expect(await bob.getByTestId('meeting-row').filter({ hasText: title }).getByRole('button', { name: 'Edit' }).count()).toBe(0);
    // His tray lists it too, renamed.
    await expect
      .poll(() => bob.evaluate(() => window.bridgeCalls.filter((call) => call.action === 'tray.setMeetings').at(-1)?.argument), { timeout: 40_000 })
      .toEqual([expect.objectContaining({ id: meetingId, title })]);
  }, 60_000);

  it('Bob gets a calendar feed URL that serves his meetings, and replacing it turns the old one off', async () => {
    await bob.getByRole('button', { name: 'Get calendar feed link' }).click();
    const feedUrl = await bob.getByTestId('calendar-feed-url').inputValue();
    expect(feedUrl).toMatch(new RegExp(`^${harness.baseUrl}/api/calendar/feed/[A-Za-z0-9_-]{43}\\.ics$`));
    const feed = await fetch(feedUrl);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toContain('text/calendar');
    const events = new ICAL.Component(ICAL.parse(await feed.text())).getAllSubcomponents('vevent');
    const listed = events.find((entry) => String(entry.getFirstPropertyValue('url')) === joinUrl);
    expect(listed?.getFirstPropertyValue('summary')).toBe(title);

    await bob.getByRole('button', { name: 'Replace link' }).click();
    await expect.poll(() => bob.getByTestId('calendar-feed-url').inputValue(), POLL).not.toBe(feedUrl);
    expect((await fetch(feedUrl)).status).toBe(404);
  }, 60_000);

  it('the pre-join shows the camera preview and a moving microphone level', async () => {
    await alice
      .getByTestId('meeting-row')
      .filter({ hasText: title })
      .getByRole('link', { name: /Open|Join/ })
      .click();
    await alice.getByTestId('join-now').waitFor();
    const preview = await waitForFrames(alice, '[data-testid="prejoin-preview"]', 5);
    expect(preview.frames).toBeGreaterThanOrEqual(5);
    await expect.poll(() => alice.getByTestId('mic-level').evaluate((meter: HTMLMeterElement) => meter.value), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await alice.getByRole('combobox', { name: 'Camera' }).locator('option').count()).toBeGreaterThan(0);
    await harness.screenshot(alice, 'pre-join');
  }, 60_000);

  it("both join and each decodes the other one's video", async () => {
    await alice.getByTestId('join-now').click();
    await alice.getByTestId('meeting-room').waitFor();
    // A collaro://meeting/<id> link clicked in Bob's calendar reaches the app as a deep link.
    await bob.evaluate((id) => window.emitFromShell('deepLinks.open', { ok: true, link: { kind: 'meeting', meetingId: id } }), meetingId);
    // Bob joins with his camera off, then turns it on with the shortcut once he is in.
    await bob.getByRole('button', { name: 'Stop video' }).click();
    await bob.getByText('Camera is off').waitFor();
    await bob.getByTestId('join-now').click();
    await bob.getByTestId('meeting-room').waitFor();
    await expect.poll(() => bob.getByTestId('toggle-camera').getAttribute('aria-pressed'), POLL).toBe('true');
    await alice.getByTestId('remote-camera').waitFor({ state: 'attached' });
    await expect.poll(() => alice.getByTestId('remote-camera').getAttribute('hidden'), POLL).not.toBeNull();
    await bob.keyboard.press('Control+e');
    await expect.poll(() => alice.getByTestId('remote-camera').getAttribute('hidden'), POLL).toBeNull();

    // Bob's peer connection, with its offer, was made while his join request was on its way.
    const timeline = await bob.evaluate(() => window.joinTimeline);
    expect(timeline.joinAnswers.length).toBe(1);
    expect(timeline.peerConnections.length).toBeGreaterThan(0);
    expect(timeline.peerConnections[0]).toBeLessThan(timeline.joinAnswers[0]!);
    // The room starts everyone unmuted with the camera on: Alice told it nothing, Bob only that his
    // camera was off, then that it came on.
    expect(mediaFramesSent.get(alice)).toEqual([]);
    await expect.poll(() => mediaFramesSent.get(bob)!.map((frame) => (frame as { videoMuted: boolean }).videoMuted), POLL).toEqual([true, false]);
    expect(mediaFramesSent.get(bob)![0]).toMatchObject({ audioMuted: false, videoMuted: true, screenSharing: false });

    const atAlice = await waitForFrames(alice, '[data-testid="remote-camera"]', 5);
    const atBob = await waitForFrames(bob, '[data-testid="remote-camera"]', 5);
    expect(atAlice.frames).toBeGreaterThanOrEqual(5);
    expect(atBob.frames).toBeGreaterThanOrEqual(5);
    expect(atAlice.width).toBeGreaterThan(0);
    await expect.poll(() => alice.getByTestId('connection-state').textContent(), { timeout: 10_000 }).toBe('Connected');
    await expect.poll(() => lastCallState(bob), POLL).toEqual({ inCall: true, muted: false, sharing: false, meetingId, cameraOff: false, talking: false });
    // Chromium's fake microphone beeps: Alice's room marks Bob as the one speaking.
    await alice.locator('[data-kind="camera"][data-speaking="true"]').first().waitFor();
  }, 60_000);

  it('Ctrl+D mutes Alice and Bob sees it; the host asks Bob to mute and his microphone goes off', async () => {
    await alice.keyboard.press('Control+d');
    await expect.poll(() => alice.getByTestId('toggle-mute').getAttribute('aria-pressed'), POLL).toBe('true');
    await bob.getByRole('button', { name: 'Participants' }).click();
    const aliceAtBob = bob.getByTestId('participant').filter({ hasText: aliceUser.name });
    await aliceAtBob.getByLabel('Microphone off').waitFor();
    await alice.keyboard.press('Control+d');
    await aliceAtBob.getByLabel('Microphone on').waitFor();

    await alice.getByRole('button', { name: 'Participants' }).click();
    await alice.getByTestId('participant').filter({ hasText: bobUser.name }).getByRole('button', { name: 'Mute' }).click();
    await expect.poll(() => bob.getByTestId('toggle-mute').getAttribute('aria-pressed'), POLL).toBe('true');
    await bob.getByText('muted your microphone').waitFor();
    await expect.poll(() => lastCallState(bob), POLL).toEqual({ inCall: true, muted: true, sharing: false, meetingId, cameraOff: false, talking: false });
    // The tray's Mute item (and the global shortcut) toggle the call from outside the window.
    await bob.evaluate(() => window.emitFromShell('call.toggleMute', { source: 'tray' }));
    await expect.poll(() => bob.getByTestId('toggle-mute').getAttribute('aria-pressed'), POLL).toBe('false');
    await expect.poll(() => lastCallState(bob), POLL).toEqual({ inCall: true, muted: false, sharing: false, meetingId, cameraOff: false, talking: false });
    await alice.getByRole('button', { name: 'Participants' }).click();
    await bob.getByRole('button', { name: 'Participants' }).click();
  }, 60_000);

  it('the host removes Carol, who is told so and cannot come back until the host lets her in again', async () => {
    await carol.goto(`/meetings/${meetingId}`);
    await carol.getByTestId('join-now').click();
    await carol.getByTestId('meeting-room').waitFor();
    await alice.getByRole('button', { name: 'Participants' }).click();
    await alice.getByTestId('participant').filter({ hasText: carolUser.name }).getByRole('button', { name: 'Remove' }).click();
    await carol.getByTestId('after-call').waitFor();
    expect(await carol.getByTestId('after-call').getAttribute('data-reason')).toBe('removed');
    await expect.poll(() => alice.getByTestId('participant').count(), POLL).toBe(2);

    await carol.goto(`/meetings/${meetingId}`);
    await carol.getByTestId('join-now').click();
    await carol.getByRole('alert').filter({ hasText: 'removed you' }).waitFor();

    // The host sees who was removed from this session and lets Carol back in.
    const removed = alice.getByTestId('removed-person').filter({ hasText: carolUser.name });
    await removed.getByRole('button', { name: 'Let back in' }).click();
    await removed.waitFor({ state: 'detached' });
    await carol.getByTestId('join-now').click();
    await carol.getByTestId('meeting-room').waitFor();
    await expect.poll(() => alice.getByTestId('participant').count(), POLL).toBe(3);
    await carol.getByTestId('leave').click();
    await expect.poll(() => alice.getByTestId('participant').count(), POLL).toBe(2);
    await alice.getByRole('button', { name: 'Participants' }).click();
    await carol.context().close();
  }, 90_000);

  it('in-call chat: Alice writes to everyone, Bob reads it live and answers', async () => {
    await alice.getByTestId('toggle-chat').click();
    await alice.getByPlaceholder('Message everyone').fill('Agenda: the new mesh');
    await alice.getByRole('button', { name: 'Send', exact: true }).click();
    await bob.getByTestId('toggle-chat').click();
    await bob.getByTestId('meeting-chat-messages').getByText('Agenda: the new mesh').waitFor();
    await bob.getByPlaceholder('Message everyone').fill('Looks good to me');
    await bob.getByRole('button', { name: 'Send', exact: true }).click();
    await alice.getByTestId('meeting-chat-messages').getByText('Looks good to me').waitFor();
    expect(await alice.getByTestId('meeting-chat-messages').getByText('Sending…').count()).toBe(0);
  }, 60_000);

  it('Bob shares his screen; Alice receives it and Bob sees that he is sharing', async () => {
    await bob.getByTestId('toggle-share').click();
    await bob.getByTestId('sharing-indicator').waitFor();
    await expect.poll(() => lastCallState(bob), POLL).toEqual({ inCall: true, muted: false, sharing: true, meetingId, cameraOff: false, talking: false });
    const screen = await waitForFrames(alice, '[data-testid="remote-screen"]', 3);
    expect(screen.frames).toBeGreaterThanOrEqual(3);
    expect(screen.width).toBeGreaterThan(0);
    await harness.screenshot(alice, 'meeting-room');
    await harness.screenshot(bob, 'meeting-room-sharing');

    // The desktop shell's "You are sharing — Stop" bar ends the share from outside the window.
    await bob.evaluate(() => window.emitFromShell('screenShare.stopped', { source: 'sharing-bar' }));
    await bob.getByTestId('sharing-indicator').waitFor({ state: 'detached' });
    await expect.poll(() => lastCallState(bob), POLL).toEqual({ inCall: true, muted: false, sharing: false, meetingId, cameraOff: false, talking: false });
    await alice.getByTestId('remote-screen').waitFor({ state: 'detached' });
    expect(await bob.evaluate(() => window.bridgeCalls.some((call) => call.action === 'screenShare.stop'))).toBe(true);
  }, 60_000);

  it('Alice ends the meeting for everyone and both leave the room', async () => {
    await alice.getByTestId('end-for-everyone').click();
    await alice.getByTestId('after-call').waitFor();
    await bob.getByTestId('after-call').waitFor({ timeout: 15_000 });
    expect(await alice.getByTestId('after-call').getAttribute('data-reason')).toBe('ended');
    expect(await bob.getByTestId('after-call').getAttribute('data-reason')).toBe('ended');
    expect(await bob.getByTestId('meeting-room').count()).toBe(0);
    await expect
      .poll(() => lastCallState(bob), POLL)
      .toEqual({ inCall: false, muted: false, sharing: false, meetingId: null, cameraOff: false, talking: false });

    await alice.goto('/meetings');
    await alice.getByRole('tab', { name: 'Previous' }).click();
    await alice.getByTestId('meeting-row').filter({ hasText: title }).getByText('Ended').waitFor();
  }, 60_000);

  it('New meeting starts an instant meeting at its pre-join, and the personal room keeps one link', async () => {
    await alice.getByRole('link', { name: 'New meeting' }).click();
    await alice.getByTestId('join-now').waitFor();
    expect(await alice.getByRole('heading', { name: `${aliceUser.name}'s meeting` }).count()).toBe(1);
    await alice.getByRole('button', { name: 'Back' }).click();

    await alice.getByRole('link', { name: 'Personal room' }).click();
    const roomLink = await alice.getByLabel('Room link').inputValue();
    expect(roomLink).toMatch(new RegExp(`^${harness.baseUrl}/m/[0-9a-f-]{36}$`));
    await alice.reload();
    expect(await alice.getByLabel('Room link').inputValue()).toBe(roomLink);
    await alice.getByRole('link', { name: 'Enter room' }).click();
    await alice.getByTestId('join-now').waitFor();
    expect(alice.url()).toBe(`${harness.baseUrl}/meetings/${roomLink.split('/').pop()}`);
  }, 60_000);

  it("Bob, not invited, joins Alice's new meeting from its link; once both leave it stops showing as live", async () => {
    await alice.goto('/meetings/new');
    await alice.getByTestId('join-now').click();
    await alice.getByTestId('meeting-room').waitFor();
    const instantId = new URL(alice.url()).pathname.split('/').pop()!;

    await bob.goto(`/meetings/${instantId}`);
    await bob.getByTestId('join-now').click();
    await bob.getByTestId('meeting-room').waitFor();
    await alice.getByText('2 in the call').waitFor();

    await alice.goto('/meetings');
    await alice.getByRole('tab', { name: 'Live' }).click();
    await alice.locator(`[data-meeting-id="${instantId}"]`).getByText('Live').waitFor();
    await bob.getByTestId('leave').click();
    await bob.getByTestId('after-call').waitFor();
    // Alice's tab left the room when she went to the list: nobody is in the meeting now.
    await expect
      .poll(
        async () => {
          await alice.reload();
          await alice.getByRole('tab', { name: 'Previous' }).click();
          return alice.locator(`[data-meeting-id="${instantId}"]`).getByText('Ended').count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(1);
    await alice.getByRole('tab', { name: 'Live' }).click();
    expect(await alice.locator(`[data-meeting-id="${instantId}"]`).count()).toBe(0);
  }, 90_000);

  it('a meeting restricted to its invitees tells a member with the link that it is not for them', async () => {
    await alice.getByRole('link', { name: 'Schedule', exact: true }).click();
    await alice.getByLabel('Title').fill('Board only');
    await alice.getByRole('checkbox', { name: /Only the people invited can join/ }).check();
    await alice.getByRole('button', { name: 'Schedule', exact: true }).click();
    await alice.getByTestId('meeting-scheduled').waitFor();
    const restrictedId = (await alice.getByTestId('invite-link').inputValue()).split('/').pop()!;
    await bob.goto(`/meetings/${restrictedId}`);
    await bob.getByText('This meeting is only for the people invited to it').waitFor();
    expect(await bob.getByTestId('join-now').count()).toBe(0);
  }, 60_000);

  it("with the built-in video, Stream's SDK was never downloaded", () => {
    expect(scriptsLoaded.some((url) => url.includes('/assets/meeting-screen-'))).toBe(true);
    expect(scriptsLoaded.filter((url) => url.includes('stream-meeting-room'))).toEqual([]);
  });
});
