import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clerkEnv, FRONTEND_API, generateRsaKeys, newWebhookSecret } from '../../../backend/test/clerk/clerk-fixtures.js';
import type { DesktopApp } from './desktop-app.js';
import { DesktopHarness } from './desktop-harness.js';
import { expectNoViolations, POLL } from './harness-fixtures.js';
import { BOT_PROTECTION_HOST, CLERK_IMAGE_HOST, ClerkFrontendApiStandIn } from './stand-ins/clerk-frontend-api.js';

const clerk = new ClerkFrontendApiStandIn(FRONTEND_API);
let harness: DesktopHarness;
let app: DesktopApp | undefined;

beforeAll(async () => {
  harness = await DesktopHarness.start({ backendEnv: clerkEnv(generateRsaKeys(), newWebhookSecret()), standIns: [clerk] });
}, 300_000);

afterEach(async () => {
  await app?.quit();
  app = undefined;
});

afterAll(async () => {
  await harness?.stop();
});

const reached = (host: string, path: RegExp) => clerk.requests.some((request) => request.host === host && path.test(request.path));

describe('signing in with Clerk in the desktop app', { timeout: 90_000 }, () => {
  it('shows Clerk’s sign-in: its UI script, API, images and bot check all get through the window’s CSP', async () => {
    const profile = harness.newProfile();
    app = await harness.launch({ profile });
    const page = await app.appWindow();
    await page.getByLabel('Server address').fill(harness.backendUrl);
    await page.getByRole('button', { name: 'Continue' }).click();

    const signIn = await app.appWindow();
    await signIn.getByRole('heading', { name: 'Sign in with Clerk' }).waitFor();
    const frame = signIn.frameLocator('iframe[title="Bot protection"]');
    await frame.getByText('Verifying you are human').waitFor();
    await expect.poll(() => signIn.getByAltText('Clerk instance logo').evaluate((image) => (image as HTMLImageElement).naturalWidth), POLL).toBe(1);

    expect(reached(FRONTEND_API, /^\/npm\/@clerk\/ui@.+\/ui\.browser\.js$/)).toBe(true);
    expect(reached(FRONTEND_API, /^\/v1\/environment$/)).toBe(true);
    expect(reached(FRONTEND_API, /^\/v1\/client$/)).toBe(true);
    expect(reached(BOT_PROTECTION_HOST, /^\/turnstile\/v0\/api\.js$/)).toBe(true);
    expect(reached(BOT_PROTECTION_HOST, /^\/cdn-cgi\//)).toBe(true);
    expect(reached(CLERK_IMAGE_HOST, /\.png$/)).toBe(true);
    expect(app.output()).not.toContain('Content Security Policy');
    expectNoViolations(app);
  });

  it('registers the app’s scheme as privileged once, carrying what both Collaro and Clerk need, and returns sign-ins to it', async () => {
    app = await harness.launch();
    await app.appWindow();
    const state = await app.recorded();
    expect(state.privilegedSchemes).toEqual([
      { scheme: 'collaro-app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true, codeCache: true } },
    ]);
    expect(state.defaultProtocolClients.map((client) => client.protocol).sort()).toEqual(['collaro', 'collaro-app']);
    // A sign-in coming back from the system browser is Clerk's, never shown as a refused Collaro link.
    await app.openUrl('collaro-app://app/?rotating_token_nonce=abc');
    expect((await app.recorded()).logs.join('\n')).not.toContain('deep');
    expectNoViolations(app);
  });
});
