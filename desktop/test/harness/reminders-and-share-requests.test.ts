import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness } from './desktop-harness.js';
import { createOrgWithChannel, expectNoViolations, launchSignedIn, signedInProfile, type Member } from './harness-fixtures.js';

/**
 * Two defects a desktop user would meet in a working day: a meeting announced twice (once by the
 * server, once by a timer of main's own), and a screen share asked for twice at once leaving the
 * first request without an answer.
 */

let harness: DesktopHarness;
let app: DesktopApp | undefined;

beforeAll(async () => {
  harness = await DesktopHarness.start();
}, 300_000);

afterEach(async () => {
  await app?.kill();
  app = undefined;
});

afterAll(async () => {
  await harness?.stop();
});

/** Resolves when the server sends `member` its `notify` frame about `meetingId`, as any of their clients would get it. */
function serverReminder(member: Member, meetingId: string): { received: Promise<void>; close(): void } {
  const socket = new WebSocket(`${harness.backendUrl.replace(/^http/, 'ws')}/ws`);
  const received = new Promise<void>((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token: member.accessToken })));
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { type: string; notification?: { meetingId?: string } };
      if (frame.type === 'notify' && frame.notification?.meetingId === meetingId) resolve();
    });
    socket.on('error', reject);
  });
  return { received, close: () => socket.close() };
}

describe('meeting reminders', { timeout: 120_000 }, () => {
  it('come from the server alone: one notification per meeting, in any of the person’s organizations, with Join', async () => {
    const { profile, member } = await signedInProfile(harness, 'Remy Reminder');
    const first = await createOrgWithChannel(harness, member, [], { org: 'Reminder Org', team: 'Reminder Team', channel: 'reminders' });
    const second = await createOrgWithChannel(harness, member, [], { org: 'Other Org', team: 'Other Team', channel: 'elsewhere' });
    // Inside the reminder's lead time already: the server reminds at its next round, and a timer of
    // main's own (the old second source) would fire as soon as the tray learnt of the meeting. The
    // app shows one organization at a time, so one of the two meetings is not in its lists.
    const startsAt = new Date(Date.now() + 4 * 60_000).toISOString();
    const meetings: { id: string; title: string }[] = [];
    for (const [index, orgId] of [first.orgId, second.orgId].entries()) {
      const title = `Standup ${index + 1} ${Date.now()}`;
      const created = await harness.backend.request('POST', '/api/meetings', {
        token: member.accessToken,
        body: { orgId, title, startsAt, durationMinutes: 15 },
      });
      meetings.push({ id: created.id, title });
    }
    const sent = meetings.map((meeting) => serverReminder(member, meeting.id));
    try {
      app = (await launchSignedIn(harness, profile)).app;
      const desktop = app;
      await desktop.waitFor('a meeting in the tray', async () =>
        (await desktop.trayMenu()).find((item) => meetings.some((meeting) => item.label.includes(meeting.title))),
      );
      await Promise.all(sent.map((reminder) => reminder.received));
      const remindersOf = async (title: string) => (await desktop.recorded()).notifications.filter((notification) => notification.title.startsWith(title));
      for (const meeting of meetings)
        await desktop.waitFor(`the reminder of ${meeting.title}`, async () => ((await remindersOf(meeting.title)).length > 0 ? true : null));
      // Give a second source every chance to show itself.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      for (const meeting of meetings) {
        const reminders = await remindersOf(meeting.title);
        expect(reminders.map((notification) => notification.title)).toEqual([expect.stringMatching(/ starts in [34] minutes$/)]);
      }
      const [reminder] = await remindersOf(meetings[0]!.title);
      await desktop.clickNotification(reminder!.id);
      const page = await desktop.appWindow();
      await page.getByTestId('join-now').waitFor();
      expect(new URL(page.url()).pathname).toBe(`/meetings/${meetings[0]!.id}`);
      expectNoViolations(app);
    } finally {
      for (const reminder of sent) reminder.close();
    }
  });
});

describe('screen share requests', { timeout: 90_000 }, () => {
  it('answers both of two overlapping requests: the first gets the picker’s choice, the second a refusal', async () => {
    const { profile } = await signedInProfile(harness, 'Oleg Overlap');
    const launched = await launchSignedIn(harness, profile);
    app = launched.app;
    const desktop = app;
    await launched.page.evaluate(() => {
      const scope = window as unknown as { shareAnswers: string[] };
      scope.shareAnswers = [];
      for (const which of ['first', 'second']) {
        void navigator.mediaDevices.getDisplayMedia({ video: true }).then(
          (stream) => {
            scope.shareAnswers.push(`${which}: ${stream.getVideoTracks()[0]!.label}`);
            stream.getTracks().forEach((track) => track.stop());
          },
          (error: DOMException) => scope.shareAnswers.push(`${which}: ${error.name}`),
        );
      }
    });
    const picker = await desktop.window('collaro-app://picker/');
    await picker.locator('button.source').first().click();
    await picker.getByRole('button', { name: 'Share' }).click();
    const answers = () => launched.page.evaluate(() => (window as unknown as { shareAnswers: string[] }).shareAnswers);
    await desktop.waitFor('both answers', async () => ((await answers()).length === 2 ? true : null));
    const [first, second] = (await answers()).sort();
    expect(second).toBe('second: NotAllowedError');
    expect(first).toMatch(/^first: (?!NotAllowedError).+/);
    const state = await desktop.recorded();
    expect(state.displayMediaGrants).toHaveLength(1);
    expectNoViolations(app);
  });
});
