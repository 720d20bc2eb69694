import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { POLL, makeUser, signUpThroughUi, startHarness, type Harness } from './harness.js';

/**
 * The web build as a browser meets it: a message the server refuses for good (here: text with
 * control characters) is shown as failed with a way to discard it and does not hold up the
 * messages written after it; the page may open WebSockets to its own server only; the signed-in
 * screens load with nothing blocked, missing or logged as a problem; its source maps are not served.
 */

let harness: Harness;
let page: Page;
let channelId: string;
let userId: string;
/** A refresh token of the user's, for a page that opens already signed in. */
let refreshToken: string;
const user = makeUser('Rita Refused');

async function api(path: string, token: string, body?: unknown) {
  const response = await fetch(`${harness.baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

beforeAll(async () => {
  harness = await startHarness();
  page = (await harness.newUser()).page;
  await signUpThroughUi(page, user);
  const login = await fetch(`${harness.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  }).then((response) => response.json());
  userId = login.user.id;
  refreshToken = login.refreshToken;
  const org = await api('/api/orgs', login.accessToken, { name: 'Refusals Inc' });
  await api(`/api/orgs/${org.id}/teams`, login.accessToken, { name: 'Support' });
  channelId = (await api(`/api/orgs/${org.id}/channels`, login.accessToken)).channels[0].id;
}, 180_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await harness.screenshot(page, `failed-${context.task.name.slice(0, 40)}`).catch(() => undefined);
});

afterAll(async () => {
  await harness?.stop();
});

async function openChannel() {
  await page.goto('/chat');
  await page.getByTestId('channel-link').first().click();
  await page.getByRole('textbox', { name: /^Message #/ }).waitFor();
}

describe('messages the server refuses', { timeout: 90_000 }, () => {
  it('a refused message left in the outbox from before is shown as failed, and the message after it is delivered', async () => {
    // An outbox saved by an earlier session: its oldest entry holds a NUL the server will refuse.
    await page.goto('/healthz');
    await page.evaluate(([key, entries]) => localStorage.setItem(key, entries), [
      `collaro.outbox.${userId}`,
      JSON.stringify([
        { clientId: randomUUID(), channelId, body: 'left over \u0000 from before' },
        { clientId: randomUUID(), channelId, body: 'written after it' },
      ]),
    ] as const);
    await openChannel();

    await page.getByTestId('message').filter({ hasText: 'written after it' }).waitFor();
    const failed = page.getByTestId('outgoing-message').filter({ hasText: 'left over' });
    await expect.poll(() => failed.getAttribute('data-state'), POLL).toBe('failed');
    expect(await failed.getByRole('status').textContent()).toMatch(/^Failed: body: .*U\+0000/);
    // Sending it again cannot help: it can only be discarded.
    expect(await failed.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await harness.screenshot(page, 'chat-refused-message');
    await failed.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => page.getByTestId('outgoing-message').count(), POLL).toBe(0);
    await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), `collaro.outbox.${userId}`), POLL).toBe('[]');
  });

  it('a message typed with a control character fails visibly and the next one goes through', async () => {
    const box = page.getByRole('textbox', { name: /^Message #/ });
    await box.fill('ring the bell \u0007 now');
    await page.keyboard.press('Enter');
    await box.fill('and this one arrives');
    await page.keyboard.press('Enter');

    await page.getByTestId('message').filter({ hasText: 'and this one arrives' }).waitFor();
    const failed = page.getByTestId('outgoing-message').filter({ hasText: 'ring the bell' });
    await expect.poll(() => failed.getAttribute('data-state'), POLL).toBe('failed');
    expect(await failed.getByRole('status').textContent()).toContain('U+0007');

    // The refused message leaves the saved outbox (the delivered one too, once acknowledged)...
    await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), `collaro.outbox.${userId}`), POLL).toBe('[]');
    // ...so after a reload it is not sent again, and what was delivered is still there.
    await openChannel();
    await page.getByTestId('message').filter({ hasText: 'and this one arrives' }).waitFor();
    expect(await page.getByTestId('outgoing-message').count()).toBe(0);
    expect(await page.getByTestId('message').filter({ hasText: 'ring the bell' }).count()).toBe(0);
  });
});

describe('the served web build', { timeout: 60_000 }, () => {
  it('lets the page open a WebSocket to its own server and to no other host', async () => {
    await page.goto('/');
    await page.getByTestId('clock').waitFor();
    const attempt = (url: string) =>
      page.evaluate(
        (target) =>
          new Promise<string>((resolve) => {
            const onViolation = (event: SecurityPolicyViolationEvent) => {
              if (event.blockedURI.startsWith(target.replace(/\/ws$/, ''))) resolve(`blocked by ${event.violatedDirective}`);
            };
            document.addEventListener('securitypolicyviolation', onViolation);
            try {
              const socket = new WebSocket(target);
              socket.onopen = () => {
                socket.close();
                resolve('open');
              };
              socket.onerror = () => setTimeout(() => resolve('error'), 500);
            } catch (error) {
              resolve(`threw ${(error as Error).name}`);
            }
          }),
        url,
      );
    expect(await attempt(`${harness.baseUrl.replace(/^http/, 'ws')}/ws`)).toBe('open');
    // Another port on the same machine is another origin; so is any other host.
    expect(await attempt('ws://127.0.0.1:9/ws')).toMatch(/^blocked by connect-src|^threw SecurityError/);
    expect(await attempt('wss://collector.example.net/ws')).toMatch(/^blocked by connect-src|^threw SecurityError/);
  });

  it('opens every signed-in screen with nothing blocked by its policy, nothing missing and nothing logged as a problem', async () => {
    const { context, page: visitor } = await harness.newUser();
    const problems: string[] = [];
    await context.exposeFunction('reportPolicyViolation', (violation: string) => problems.push(violation));
    await context.addInitScript((token) => {
      if (!localStorage.getItem('collaro.refreshToken')) localStorage.setItem('collaro.refreshToken', token);
      document.addEventListener('securitypolicyviolation', (event) => {
        const report = (window as unknown as { reportPolicyViolation: (violation: string) => void }).reportPolicyViolation;
        void report(`${event.violatedDirective} blocked ${event.blockedURI} in ${event.sourceFile}:${event.lineNumber}`);
      });
    }, refreshToken);
    visitor.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    visitor.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
    });
    visitor.on('requestfailed', (request) => problems.push(`${request.url()} failed: ${request.failure()?.errorText}`));
    try {
      // Each opened afresh, as from a bookmark: the screens that load their code lazily start from nothing too.
      const screens: [string, () => Promise<void>][] = [
        ['/', () => visitor.getByText('Nothing scheduled.').waitFor()],
        ['/chat', () => visitor.getByTestId('channel-link').first().waitFor()],
        [`/chat/${channelId}`, () => visitor.getByRole('textbox', { name: /^Message #/ }).waitFor()],
        ['/meetings', () => visitor.getByRole('heading', { name: 'Meetings', level: 1 }).waitFor()],
        ['/settings', () => visitor.getByRole('heading', { name: 'Settings', level: 1 }).waitFor()],
      ];
      for (const [path, shown] of screens) {
        await visitor.goto(path);
        await shown();
        // The socket connects and the screen's queries settle after the landmark shows.
        await visitor.waitForLoadState('networkidle');
      }
      expect(problems).toEqual([]);
      // The page's icon: the browser asks for it on its own, outside the page's requests.
      const html = await (await fetch(`${harness.baseUrl}/`, { headers: { accept: 'text/html' } })).text();
      const icons = [...html.matchAll(/<link rel="icon"[^>]*href="([^"]+)"/g)].map((match) => match[1]!);
      expect(icons.length).toBeGreaterThan(0);
      for (const icon of icons) {
        const response = await fetch(`${harness.baseUrl}${icon}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('image/png');
      }
    } finally {
      await context.close();
    }
  });

  it('serves bundles that name no source map, and no source map', async () => {
    const html = await (await fetch(`${harness.baseUrl}/`, { headers: { accept: 'text/html' } })).text();
    const scripts = [...html.matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      const bundle = await fetch(`${harness.baseUrl}${script}`);
      expect(bundle.status).toBe(200);
      expect(await bundle.text()).not.toContain('sourceMappingURL');
      expect((await fetch(`${harness.baseUrl}${script}.map`)).status).toBe(404);
    }
  });
});
