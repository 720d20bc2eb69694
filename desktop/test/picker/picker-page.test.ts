import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ScreenSharePickerState } from '@collaro/shared';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The picker and sharing-bar pages, built with their real vite config and opened in Chromium with a
 * stand-in for their preload bridge: what the user sees and what reaches main when they click.
 */
const desktop = path.resolve(import.meta.dirname, '../..');
const outDir = mkdtempSync(path.join(tmpdir(), 'collaro-picker-'));
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=true">Evil window';
const THUMBNAIL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

let server: Server;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  await build({ configFile: path.join(desktop, 'src/picker/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = createServer((request, response) => {
    const file = path.join(outDir, path.normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)));
    if (!file.startsWith(outDir)) return void response.writeHead(403).end();
    try {
      const body = readFileSync(file);
      const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.css') ? 'text/css' : 'text/javascript';
      response.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(outDir, { recursive: true, force: true });
});

async function openPicker(state: ScreenSharePickerState): Promise<Page> {
  const page = await browser.newPage();
  await page.addInitScript((pickerState) => {
    const scope = globalThis as unknown as Record<string, unknown>;
    scope['__choices'] = [];
    scope['collaroPicker'] = {
      listSources: async () => pickerState,
      choose: async (choice: unknown) => {
        (scope['__choices'] as unknown[]).push(choice);
      },
    };
  }, state);
  await page.goto(`${origin}/picker.html`);
  return page;
}

const state: ScreenSharePickerState = {
  sources: [
    { id: 'screen:1:0', name: 'Entire screen', kind: 'screen', thumbnailDataUrl: THUMBNAIL, appIconDataUrl: null },
    { id: 'window:7:0', name: 'Editor', kind: 'window', thumbnailDataUrl: THUMBNAIL, appIconDataUrl: THUMBNAIL },
    { id: 'window:8:0', name: HOSTILE_NAME, kind: 'window', thumbnailDataUrl: THUMBNAIL, appIconDataUrl: null },
  ],
  systemAudioAvailable: false,
};

describe('screen-share picker page', () => {
  it('lists screens and windows with thumbnails and names, the first screen preselected', async () => {
    const page = await openPicker(state);
    await page.getByText('Pick a screen or a window.').waitFor();
    expect(await page.locator('#screens .source').allTextContents()).toEqual(['Entire screen']);
    expect(await page.locator('#windows .source').allTextContents()).toEqual(['Editor', HOSTILE_NAME]);
    expect(await page.locator('img.thumbnail').count()).toBe(3);
    expect(await page.locator('#screens .source').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#system-audio-label').isHidden()).toBe(true);
    await page.close();
  });

  it('shows a window title as text, never as markup', async () => {
    const page = await openPicker(state);
    await page.getByText('Pick a screen or a window.').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as Record<string, unknown>)['__pwned'] ?? false)).toBe(false);
    expect(await page.locator('#windows img[src="x"]').count()).toBe(0);
    await page.close();
  });

  it('sends the chosen window, with system audio when offered and ticked', async () => {
    const page = await openPicker({ ...state, systemAudioAvailable: true });
    await page.getByText('Editor').click();
    await page.getByLabel('Share system audio').check();
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as Record<string, unknown>)['__choices']))
      .toEqual([{ action: 'share', sourceId: 'window:7:0', systemAudio: true }]);
    await page.close();
  });

  it('cancels with the Cancel button and with Escape', async () => {
    const page = await openPicker(state);
    await page.getByText('Pick a screen or a window.').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as Record<string, unknown>)['__choices']))
      .toEqual([{ action: 'cancel' }, { action: 'cancel' }]);
    await page.close();
  });

  it('says so when there is nothing to share', async () => {
    const page = await openPicker({ sources: [], systemAudioAvailable: false });
    await page.getByText('Nothing can be shared right now.').waitFor();
    expect(await page.getByRole('button', { name: 'Share', exact: true }).isDisabled()).toBe(true);
    await page.close();
  });
});

describe('sharing bar page', () => {
  it('reads "You are sharing" and Stop calls main once', async () => {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      const scope = globalThis as unknown as Record<string, unknown>;
      scope['__stops'] = 0;
      scope['collaroSharingBar'] = { stop: async () => void (scope['__stops'] = (scope['__stops'] as number) + 1) };
    });
    await page.goto(`${origin}/sharing-bar.html`);
    expect(await page.locator('.label').textContent()).toBe('You are sharing your screen');
    await page.getByRole('button', { name: 'Stop' }).click();
    expect(await page.getByRole('button', { name: 'Stopping…' }).isDisabled()).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as Record<string, unknown>)['__stops'])).toBe(1);
    await page.close();
  });
});
