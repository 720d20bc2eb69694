import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness } from './desktop-harness.js';
import { expectNoViolations, makeUser, signedInProfile, signUpInApp } from './harness-fixtures.js';

let harness: DesktopHarness;

beforeAll(async () => {
  harness = await DesktopHarness.start();
}, 300_000);

afterAll(async () => {
  await harness?.stop();
});

describe('first run of the desktop app', { timeout: 90_000 }, () => {
  let app: DesktopApp | undefined;

  it('asks for the server, signs a new user up and shows the home screen', async () => {
    const profile = harness.newProfile();
    app = await harness.launch({ profile });
    const page = await app.appWindow();
    await page.getByRole('heading', { name: 'Connect to your Collaro server' }).waitFor();

    await page.getByLabel('Server address').fill(harness.backendUrl);
    await page.getByRole('button', { name: 'Continue' }).click();
    // Saving a new address reloads the window so its CSP names the new server.
    const signIn = await app.appWindow();
    await signIn.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signUpInApp(signIn, makeUser('Fiona First'));

    const settings = JSON.parse(readFileSync(path.join(profile.userData, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(settings).toMatchObject({ backendUrl: harness.backendUrl, backendUrlConfirmed: true });
    const state = await app.recorded();
    expect(state.windows.filter((window) => !window.destroyed).map((window) => window.url)).toEqual(['collaro-app://app/']);
    expectNoViolations(app);
  });

  it('says plainly that a plain-http server on another computer needs https, before trying it', async () => {
    app = await harness.launch();
    const page = await app.appWindow();
    await page.getByLabel('Server address').fill('http://192.168.20.7:4000');
    await page.getByRole('button', { name: 'Continue' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/https:\/\//);
    expect(await alert.textContent()).toMatch(/plain http/i);
    expect(await page.getByRole('heading', { name: 'Connect to your Collaro server' }).isVisible()).toBe(true);
    expectNoViolations(app);
  });

  it('reaches a server on this machine: main grants Local Network Access for it', async () => {
    const { profile } = await signedInProfile(harness, 'Lena Loopback');
    app = await harness.launch({ profile });
    const page = await app.appWindow();
    await page.getByTestId('clock').waitFor();
    const loopback = await page.evaluate(async () => (await navigator.permissions.query({ name: 'loopback-network' as PermissionName })).state);
    expect(loopback).toBe('granted');
    expectNoViolations(app);
  });

  it('remembers the session and the server across a restart', async () => {
    const { profile, user } = await signedInProfile(harness, 'Rita Restart');
    app = await harness.launch({ profile });
    await (await app.appWindow()).getByTestId('clock').waitFor();
    expect(await app.quit()).toBe(0);

    app = await harness.launch({ profile });
    const page = await app.appWindow();
    await page.getByTestId('clock').waitFor();
    await page.getByText(user.name).first().waitFor();
    expectNoViolations(app);
  });

  afterEach(async () => {
    await app?.quit();
    app = undefined;
  });
});
