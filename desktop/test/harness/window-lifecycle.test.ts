import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness } from './desktop-harness.js';
import { appWindowId, createOrgWithChannel, expectNoViolations, launchSignedIn, POLL, signedInProfile } from './harness-fixtures.js';

let harness: DesktopHarness;
let app: DesktopApp | undefined;

beforeAll(async () => {
  harness = await DesktopHarness.start();
}, 300_000);

afterEach(async () => {
  await app?.quit();
  app = undefined;
});

afterAll(async () => {
  await harness?.stop();
});

describe('the app window over its life', { timeout: 90_000 }, () => {
  it('renders the app again when reloaded on a nested route', async () => {
    const { profile, member } = await signedInProfile(harness, 'Nora Nested');
    const { channelId } = await createOrgWithChannel(harness, member, [], { org: 'Nested Org', team: 'Nested Team', channel: 'deep-thoughts' });
    const launched = await launchSignedIn(harness, profile);
    app = launched.app;
    await launched.page.getByRole('link', { name: 'Chat' }).click();
    await launched.page.getByRole('link', { name: /deep-thoughts/ }).click();
    await expect.poll(() => new URL(launched.page.url()).pathname, POLL).toBe(`/chat/${channelId}`);
    const id = await appWindowId(app);

    await app.reloadWindow(id);
    const page = await app.appWindow();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('heading', { name: /deep-thoughts/ }).waitFor();
    expect((await app.recorded()).windows.find((window) => window.id === id)!.url).toBe(`collaro-app://app/chat/${channelId}`);
    expectNoViolations(app);
  });

  it('comes back after its renderer crashes', async () => {
    const { profile } = await signedInProfile(harness, 'Carl Crash');
    app = (await launchSignedIn(harness, profile)).app;
    const id = await appWindowId(app);

    await app.crashRenderer(id);
    const page = await app.appWindow();
    await page.getByTestId('clock').waitFor();
    expectNoViolations(app);
  });

  it('stops reloading a renderer that keeps crashing and asks the user instead of leaving a blank window', async () => {
    const { profile } = await signedInProfile(harness, 'Rhea Repeat');
    app = (await launchSignedIn(harness, profile)).app;
    const id = await appWindowId(app);
    const desktop = app;

    for (let crash = 1; crash <= 3; crash += 1) {
      await desktop.crashRenderer(id);
      if (crash < 3) await (await desktop.appWindow()).getByTestId('clock').waitFor();
    }
    const dialog = await desktop.waitFor('the crash dialog', async () =>
      (await desktop.recorded()).dialogs.find((shown) => /stopped working/i.test(shown.message)),
    );
    expect(dialog.buttons).toEqual(['Reload', 'Quit Collaro']);
    await desktop.answerDialog('stopped working', 0);
    await (await desktop.appWindow()).getByTestId('clock').waitFor();
    expectNoViolations(app);
  });
});
