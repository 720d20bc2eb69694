import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../helpers/chromium.js';
import { bundleForBrowser, CHROMIUM_FLAGS, CHROMIUM_PATH } from '../helpers/chromium.js';

const PAGE_ENTRY = fileURLToPath(new URL('../../../desktop/test/renderer/video-mesh/mesh-test-page.ts', import.meta.url));

export function chromiumAvailable() {
  return existsSync(CHROMIUM_PATH);
}

/** Bundles the mesh client, the shared realtime client and the test page into one browser script. */
export function bundleMeshPage(): Promise<string> {
  return bundleForBrowser(PAGE_ENTRY);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}

/**
 * What desktop/test/renderer/video-mesh/mesh-test-page.ts puts on `window.collaroMesh` (it lives in
 * the renderer's project, so its own type cannot be imported here).
 */
export interface MeshPageApi {
  prepareMedia(): Promise<void>;
  connect(accessToken: string): Promise<void>;
  join(input: { meetingId: string; accessToken: string }): Promise<{ participants: string[] }>;
  joinToFirstFrameMs(): number | null;
  framesDecoded(): Promise<Record<string, number>>;
  shareScreen(): Promise<{ audioMuted: boolean; videoMuted: boolean; screenSharing: boolean } | undefined>;
  remoteVideoSize(userId: string): { width: number; height: number } | null;
  remoteScreenSize(userId: string): { width: number; height: number } | null;
  events(): string[];
  milestones(): Partial<Record<'join response' | 'offer sent' | 'in the room' | 'answer received' | 'connected' | 'first remote frame', number>>;
  leave(): void;
}

type PageGlobal = { collaroMesh: Record<string, (...args: unknown[]) => unknown> };

export interface MeshPage {
  page: Page;
  context: BrowserContext;
  /** Calls one function of the page's `window.collaroMesh`. */
  run<K extends keyof MeshPageApi>(name: K, ...args: Parameters<MeshPageApi[K]>): Promise<Awaited<ReturnType<MeshPageApi[K]>>>;
}

/**
 * Opens the test page in its own browser context (its own user), on the backend's origin so its
 * requests and WebSocket go to the real server without CORS. Only the page itself is served by
 * Playwright; everything else reaches the backend.
 */
export async function openMeshPage(browser: Browser, origin: string, script: string): Promise<MeshPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route(`${origin}/__mesh-test/page.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><html><body><script src="/__mesh-test/page.js"></script></body></html>' }),
  );
  await page.route(`${origin}/__mesh-test/page.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: script }));
  await page.goto(`${origin}/__mesh-test/page.html`);
  await page.waitForFunction(() => 'collaroMesh' in globalThis);
  return {
    page,
    context,
    run: (name, ...args) =>
      page.evaluate(([fn, fnArgs]) => (globalThis as unknown as PageGlobal).collaroMesh[fn]!(...fnArgs), [name, args] as [string, unknown[]]) as never,
  };
}
