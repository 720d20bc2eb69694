import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness } from './desktop-harness.js';
import {
  appWindowId,
  createMeeting,
  createOrgWithChannel,
  expectNoViolations,
  launchSignedIn,
  POLL,
  postMessage,
  signedInProfile,
} from './harness-fixtures.js';

let harness: DesktopHarness;
const apps: DesktopApp[] = [];

beforeAll(async () => {
  harness = await DesktopHarness.start();
}, 300_000);

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.quit()));
});

afterAll(async () => {
  await harness?.stop();
});

/** A signed-in user in an organization with a meeting later today (or now). */
async function userWithMeeting(name: string, title: string, startsInMinutes = 30) {
  const signedIn = await signedInProfile(harness, name);
  const { orgId } = await createOrgWithChannel(harness, signedIn.member, [], { org: `${name} Org`, team: 'Team', channel: 'planning' });
  const meeting = await createMeeting(harness, signedIn.member, orgId, title, startsInMinutes);
  return { ...signedIn, orgId, meeting };
}

async function expectPreJoin(app: DesktopApp, title: string, meetingId: string): Promise<void> {
  const page = await app.appWindow();
  await page.getByRole('heading', { name: title }).waitFor();
  await page.getByTestId('join-now').waitFor();
  expect(new URL(page.url()).pathname).toBe(`/meetings/${meetingId}`);
}

describe('deep links', { timeout: 90_000 }, () => {
  it('opens the meeting’s pre-join when a collaro:// link starts the app', async () => {
    const { profile, meeting } = await userWithMeeting('Cole Cold', 'Cold start review');
    const app = await harness.launch({ profile, args: ['--no-sandbox', `collaro://meeting/${meeting.id}`] });
    apps.push(app);
    await expectPreJoin(app, 'Cold start review', meeting.id);
    expectNoViolations(app);
  });

  it('opens the meeting in the running app when a second instance is started with a link, and the second instance quits', async () => {
    const { profile, meeting } = await userWithMeeting('Sid Second', 'Second instance sync');
    const { app } = await launchSignedIn(harness, profile);
    apps.push(app);
    const id = await appWindowId(app);
    await app.closeWindow(id);
    await expect.poll(async () => (await app.recorded()).windows[0]!.visible, POLL).toBe(false);

    const second = await harness.launch({ profile, args: [`${harness.backendUrl}/m/${meeting.id}`] });
    expect(await second.exited()).toBe(0);
    await expectPreJoin(app, 'Second instance sync', meeting.id);
    expect((await app.recorded()).windows[0]).toMatchObject({ visible: true, focused: true });
    expectNoViolations(app, second);
  });

  it('opens the meeting when the system hands the running app a link (open-url), and says so when a link is refused', async () => {
    const { profile, meeting } = await userWithMeeting('Otto Open', 'Open URL planning');
    const { app, page } = await launchSignedIn(harness, profile);
    apps.push(app);
    await app.openUrl(`collaro://meeting/${meeting.id}`);
    await expectPreJoin(app, 'Open URL planning', meeting.id);

    await app.openUrl('collaro://meeting/not-a-meeting');
    await page.getByRole('alert').filter({ hasText: 'Collaro could not open that link' }).waitFor();
    expectNoViolations(app);
  });
});

describe('tray and notifications', { timeout: 90_000 }, () => {
  it('lists the next meetings in the tray, and its Join opens that meeting', async () => {
    const { profile, meeting } = await userWithMeeting('Tia Tray', 'Tray standup', 0);
    const { app } = await launchSignedIn(harness, profile);
    apps.push(app);
    const label = await app.waitFor('the meeting in the tray', async () =>
      (await app.trayMenu()).map((item) => item.label).find((candidate) => candidate.includes('Tray standup')),
    );
    expect(label).toBe('Join “Tray standup” · now');
    await app.closeWindow(await appWindowId(app));

    await app.clickTrayItem(label);
    await expectPreJoin(app, 'Tray standup', meeting.id);
    expect((await app.recorded()).windows[0]!.visible).toBe(true);
    expectNoViolations(app);
  });

  it('shows a mention as a notification while the app is in the tray, and its click opens that channel', async () => {
    const reader = await signedInProfile(harness, 'Mia Mention');
    const writer = await signedInProfile(harness, 'Walt Writer');
    const { channelId } = await createOrgWithChannel(harness, writer.member, [reader.member], {
      org: 'Mentions Org',
      team: 'Mentions',
      channel: 'release-train',
    });
    const { app } = await launchSignedIn(harness, reader.profile);
    apps.push(app);
    // The channel list must be loaded for the notification to name the channel.
    await (await app.appWindow()).getByRole('link', { name: 'Chat' }).click();
    await (await app.appWindow()).getByRole('link', { name: /release-train/ }).waitFor();
    await (await app.appWindow()).getByRole('link', { name: 'Home' }).click();
    await app.closeWindow(await appWindowId(app));

    await postMessage(harness, writer.member, channelId, `<@${reader.userId}> can you check the release notes?`);
    const notification = await app.waitFor('the mention notification', async () =>
      (await app.recorded()).notifications.find((shown) => shown.shown && shown.title.includes('mentioned you')),
    );
    expect(notification.title).toBe('Walt Writer mentioned you in #release-train');
    expect(notification.body).toContain('can you check the release notes?');

    await app.clickNotification(notification.id);
    const page = await app.appWindow();
    await expect.poll(() => new URL(page.url()).pathname, POLL).toBe(`/chat/${channelId}`);
    await page.getByText('can you check the release notes?').waitFor();
    expect((await app.recorded()).windows[0]!.visible).toBe(true);
    expectNoViolations(app);
  });
});
