import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness } from './desktop-harness.js';
import { appWindowId, createOrgWithChannel, expectNoViolations, launchSignedIn, menuLabels, POLL, postMessage, signedInProfile } from './harness-fixtures.js';

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

/** A profile with the server saved and no session: the app opens on its sign-in form. */
function signedOutProfile() {
  const profile = harness.newProfile();
  profile.seedSettings({ backendUrl: harness.backendUrl, backendUrlConfirmed: true });
  return profile;
}

describe('the application menu', { timeout: 90_000 }, () => {
  it('has Collaro’s Edit menu, whose roles cut, paste and select in the page', async () => {
    app = await harness.launch({ profile: signedOutProfile() });
    const page = await app.appWindow();
    const menu = (await app.recorded()).applicationMenu!;
    expect(menu.map((item) => item.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(
      menu
        .find((item) => item.label === 'Edit')!
        .submenu!.filter((item) => item.role)
        .map((item) => item.role),
    ).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'delete', 'selectAll']);
    expect(menuLabels(menu, 'Window')).toEqual(['Minimize', 'Close']);
    expect(menuLabels(menu, 'Help')).toEqual(['About', 'Collaro on the web']);

    const email = page.getByLabel('Email');
    await email.fill('ada@example.com');
    await email.click();
    await app.clickMenuItem('application', 'Edit', 'Select All');
    await app.clickMenuItem('application', 'Edit', 'Cut');
    await expect.poll(() => email.inputValue(), POLL).toBe('');
    await app.clickMenuItem('application', 'Edit', 'Paste');
    await expect.poll(() => email.inputValue(), POLL).toBe('ada@example.com');
    await app.clickMenuItem('application', 'Edit', 'Undo');
    await expect.poll(() => email.inputValue(), POLL).toBe('');

    await app.clickMenuItem('application', 'Help', 'Collaro on the web');
    expect((await app.recorded()).openedExternally).toEqual(['https://collaro.dev']);
    expectNoViolations(app);
  });

  it('zooms from the View menu and opens at the same zoom after a restart; a packaged build has no Reload or developer tools', async () => {
    const profile = signedOutProfile();
    app = await harness.launch({ profile });
    let page = await app.appWindow();
    expect(menuLabels((await app.recorded()).applicationMenu!, 'View')).toEqual(['Actual Size', 'Zoom In', 'Zoom Out', 'Toggle Full Screen']);
    await page.getByLabel('Email').waitFor();
    const width = await page.evaluate(() => window.innerWidth);

    await app.clickMenuItem('application', 'View', 'Zoom In');
    await app.clickMenuItem('application', 'View', 'Zoom In');
    await expect.poll(() => page.evaluate(() => window.devicePixelRatio), POLL).toBeCloseTo(1.2, 2);
    expect(await page.evaluate(() => window.innerWidth)).toBeLessThan(width);
    await app.quit();

    app = await harness.launch({ profile });
    page = await app.appWindow();
    await page.getByLabel('Email').waitFor();
    await expect.poll(() => page.evaluate(() => window.devicePixelRatio), POLL).toBeCloseTo(1.2, 2);
    await app.clickMenuItem('application', 'View', 'Actual Size');
    await expect.poll(() => page.evaluate(() => window.devicePixelRatio), POLL).toBe(1);
    expect((await app.recorded()).windows.find((window) => window.url.startsWith('collaro-app://app/'))!.zoomLevel).toBe(0);
    expectNoViolations(app);
  });

  it('offers Reload and the developer tools in a development build', async () => {
    app = await harness.launch({ profile: signedOutProfile(), packaged: false });
    await app.appWindow();
    expect(menuLabels((await app.recorded()).applicationMenu!, 'View')).toEqual([
      'Reload',
      'Force Reload',
      'Toggle Developer Tools',
      'Actual Size',
      'Zoom In',
      'Zoom Out',
      'Toggle Full Screen',
    ]);
    expectNoViolations(app);
  });
});

describe('the context menu', { timeout: 90_000 }, () => {
  it('offers spelling suggestions on a misspelled word and replaces it with the one chosen', async () => {
    app = await harness.launch({ profile: signedOutProfile() });
    const page = await app.appWindow();
    const email = page.getByLabel('Email');
    await email.fill('helo wrld');
    await email.press('End');
    const box = (await email.boundingBox())!;
    const id = await appWindowId(app);

    const menu = await app.openContextMenu(id, box.x + box.width - 20, box.y + box.height / 2, {
      misspelledWord: 'wrld',
      dictionarySuggestions: ['world', 'word'],
    });
    expect(menu.filter((item) => item.type !== 'separator').map((item) => item.role ?? item.label)).toEqual([
      'world',
      'word',
      'Add to Dictionary',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
    await app.clickMenuItem('context', 'world');
    await expect.poll(() => email.inputValue(), POLL).toBe('helo world');
    expectNoViolations(app);
  });

  it('copies or opens a link from a chat message, and shows nothing where nothing applies', async () => {
    const { profile, member } = await signedInProfile(harness, 'Linus Link');
    const { channelId } = await createOrgWithChannel(harness, member, [], { org: 'Links Org', team: 'Links Team', channel: 'links' });
    await postMessage(harness, member, channelId, 'The plan is at https://docs.collaro.dev/plan');
    const launched = await launchSignedIn(harness, profile);
    app = launched.app;
    await launched.page.getByRole('link', { name: 'Chat' }).click();
    await launched.page.getByRole('link', { name: /links/ }).click();
    const link = launched.page.getByRole('link', { name: 'https://docs.collaro.dev/plan' });
    await link.waitFor();
    const box = (await link.boundingBox())!;
    const id = await appWindowId(app);

    const menu = await app.openContextMenu(id, box.x + 5, box.y + box.height / 2);
    expect(menu.map((item) => item.label)).toEqual(['Open Link in Browser', 'Copy Link Address']);
    await app.clickMenuItem('context', 'Copy Link Address');
    expect((await app.recorded()).clipboardText).toBe('https://docs.collaro.dev/plan');
    await app.openContextMenu(id, box.x + 5, box.y + box.height / 2);
    await app.clickMenuItem('context', 'Open Link in Browser');
    // A plain click on the link opens it in the system browser too, never in an Electron window.
    await link.click();
    await expect.poll(async () => (await app!.recorded()).openedExternally, POLL).toEqual(['https://docs.collaro.dev/plan', 'https://docs.collaro.dev/plan']);
    expect((await app.recorded()).windows.filter((window) => !window.destroyed)).toHaveLength(1);

    const before = (await app.recorded()).contextMenus.length;
    await app.openContextMenu(id, 2, 2);
    expect((await app.recorded()).contextMenus).toHaveLength(before);
    expectNoViolations(app);
  });
});
