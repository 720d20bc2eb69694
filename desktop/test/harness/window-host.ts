import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { EditCommand, WebContentsEvent, WindowCreateParams } from './harness-types.js';
import type { UrlBridge } from './url-bridge.js';

const PAGE_RUNTIME = readFileSync(new URL('./page-runtime.js', import.meta.url), 'utf8').replace(/;\s*$/, '');
export const BINDING_NAME = '__collaroHarness';
const DELIVER_NAME = '__collaroHarnessDeliver';
const CONTEXT_MENU_NAME = '__collaroHarnessContextMenu';
const PROBE_NAME = '__collaroHarnessProbeBridges';

/** The channels a window's preload reaches when each action it exposes is called. */
export interface BridgeProbe {
  exposed: string[];
  invoked: string[];
  sent: string[];
  subscribed: string[];
}

/** What a window's page needs of the app it belongs to. */
export interface WindowHostDeps {
  context: BrowserContext;
  bridge: UrlBridge;
  /** A WebContents event for main; answers whether main prevented it. */
  toMain(webContentsId: number, event: WebContentsEvent): Promise<{ prevented: boolean }>;
  violation(message: string): void;
  log(line: string): void;
}

const EDIT_KEYS: Record<Exclude<EditCommand, 'delete'>, string> = {
  undo: 'Control+Z',
  redo: 'Control+Shift+Z',
  cut: 'Control+X',
  copy: 'Control+C',
  paste: 'Control+V',
  pasteAndMatchStyle: 'Control+Shift+V',
  selectAll: 'Control+A',
};

/**
 * The Chromium page behind one BrowserWindow. Its preload runs before the page's scripts; its
 * lifecycle becomes Electron's WebContents events in main; a crash replaces the page on the next
 * load, as Electron starts a new renderer process.
 */
export class WindowHost {
  #page: Page | null = null;
  #cdp: CDPSession | null = null;
  #mainFrameId: string | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #lastUrl: string | null = null;
  #expected = new Set<string>();
  #zoomFactor = 1;
  #size: { width: number; height: number };
  #initScript: string;
  #pageListeners: ((page: Page) => void)[] = [];
  crashed = false;
  destroyed = false;

  constructor(
    readonly params: WindowCreateParams,
    private readonly deps: WindowHostDeps,
  ) {
    this.#size = { width: params.width, height: params.height };
    this.#initScript = this.#composeInitScript();
  }

  get page(): Page | null {
    return this.#page;
  }

  /** Resolves with the live page; after a crash and reload that is a new one. */
  onPage(listener: (page: Page) => void): void {
    this.#pageListeners.push(listener);
  }

  #composeInitScript(): string {
    const preload = this.params.preload;
    let preloadFunction = 'null';
    if (preload) {
      const source = readFileSync(preload, 'utf8');
      preloadFunction = `function (require, module, exports, process, global, __filename, __dirname) {\n${source}\n}`;
      try {
        new Script(`(${preloadFunction})`, { filename: preload });
      } catch (error) {
        this.deps.violation(`the preload ${path.basename(preload)} is not a single CommonJS script, which a sandboxed preload must be: ${String(error)}`);
        preloadFunction = 'null';
      }
    }
    const config = {
      bindingName: BINDING_NAME,
      deliverName: DELIVER_NAME,
      contextMenuName: CONTEXT_MENU_NAME,
      probeName: PROBE_NAME,
      preloadName: preload ? path.basename(preload) : null,
      preloadPath: preload,
      preloadDirectory: preload ? path.dirname(preload) : null,
      platform: process.platform,
      arch: process.arch,
      versions: { electron: '45.4.1', chrome: '142.0.7444.52', node: process.versions.node, v8: process.versions.v8 },
      routedHostSuffixes: this.deps.bridge.routedHostSuffixes(),
    };
    return `(${PAGE_RUNTIME})(${JSON.stringify(config)}, ${preloadFunction});`;
  }

  /** Runs page operations one after another, so sends arrive in order and never race a reload. */
  #enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(operation, operation);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async start(): Promise<void> {
    await this.#openPage();
  }

  async #openPage(): Promise<Page> {
    const page = await this.deps.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.setViewportSize(this.#size);
    await page.addInitScript(this.#initScript);
    const cdp = await this.deps.context.newCDPSession(page);
    this.#page = page;
    this.#cdp = cdp;
    this.crashed = false;
    this.#mainFrameId = ((await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } }).frameTree.frame.id;
    const id = this.params.webContentsId;
    const real = (url: string) => this.deps.bridge.toReal(url);
    cdp.on('Page.frameNavigated', ({ frame }: { frame: { id: string; parentId?: string; url: string; urlFragment?: string } }) => {
      if (frame.parentId) return;
      this.#mainFrameId = frame.id;
      this.#lastUrl = frame.url + (frame.urlFragment ?? '');
      void this.deps.toMain(id, { type: 'did-navigate', url: real(this.#lastUrl) });
    });
    cdp.on('Page.navigatedWithinDocument', ({ frameId, url }: { frameId: string; url: string }) => {
      if (frameId !== this.#mainFrameId) return;
      this.#lastUrl = url;
      void this.deps.toMain(id, { type: 'did-start-navigation', url: real(url), isSameDocument: true, isMainFrame: true });
      void this.deps.toMain(id, { type: 'did-navigate-in-page', url: real(url) });
    });
    cdp.on('Page.domContentEventFired', () => void this.deps.toMain(id, { type: 'dom-ready' }));
    cdp.on('Page.loadEventFired', () => void this.deps.toMain(id, { type: 'did-finish-load' }));
    await cdp.send('Page.enable');
    page.on('crash', () => {
      if (this.#page !== page) return;
      this.crashed = true;
      void this.deps.toMain(id, { type: 'render-process-gone', reason: 'crashed' });
    });
    page.on('console', (message) => {
      const level = { debug: 0, log: 1, info: 1, warning: 2, error: 3 }[message.type() as 'log'] ?? 1;
      this.deps.log(`[window ${this.params.windowId} console.${message.type()}] ${message.text()}`);
      void this.deps.toMain(id, { type: 'console-message', level, message: message.text() });
    });
    page.on('pageerror', (error) => this.deps.log(`[window ${this.params.windowId} page error] ${error.stack ?? error.message}`));
    for (const listener of this.#pageListeners) listener(page);
    return page;
  }

  /** A navigation request of this page's top frame, seen by the harness's router. */
  async onNavigationRequest(url: string, willNavigate: () => Promise<boolean>): Promise<'continue' | 'abort'> {
    const expected = this.#expected.delete(url) || this.#expected.delete(url.replace(/#.*$/, ''));
    if (!expected && (await willNavigate())) return 'abort';
    await this.deps.toMain(this.params.webContentsId, {
      type: 'did-start-navigation',
      url: this.deps.bridge.toReal(url),
      isSameDocument: false,
      isMainFrame: true,
    });
    return 'continue';
  }

  load(realUrl: string): Promise<void> {
    return this.#enqueue(async () => {
      const target = this.deps.bridge.toBridged(realUrl) ?? realUrl;
      if (/^[a-z][a-z0-9+.-]*:/i.test(realUrl) && !/^(https?|about|data):/i.test(realUrl) && target === realUrl) {
        this.deps.violation(`loadURL('${realUrl}'): its scheme is not registered as a privileged standard scheme, so Chromium cannot load it`);
      }
      await this.#navigate(target);
    });
  }

  reload(): Promise<void> {
    return this.#enqueue(async () => {
      if (!this.#lastUrl) return;
      await this.#navigate(this.#lastUrl);
    });
  }

  async #navigate(target: string): Promise<void> {
    if (this.crashed || !this.#page) {
      await this.#page?.close().catch(() => undefined);
      await this.#openPage();
    }
    this.#expected.add(target);
    this.#lastUrl = target;
    try {
      await this.#page!.goto(target, { waitUntil: 'commit' });
    } catch (error) {
      this.#expected.delete(target);
      const description = String(error instanceof Error ? error.message : error).split('\n')[0] ?? 'failed';
      if (/interrupted by another navigation|frame was detached|Target.*closed|Page crashed/i.test(description)) return;
      await this.deps.toMain(this.params.webContentsId, {
        type: 'did-fail-load',
        errorCode: -2,
        errorDescription: description,
        url: this.deps.bridge.toReal(target),
      });
    }
  }

  send(channel: string, args: unknown[]): Promise<void> {
    return this.#enqueue(async () => {
      const page = this.#page;
      if (!page || this.crashed) return;
      await page
        .evaluate(([deliver, name, payload]) => (window as unknown as Record<string, (c: string, a: unknown[]) => number>)[deliver]?.(name, payload), [
          DELIVER_NAME,
          channel,
          args,
        ] as const)
        .catch((error: unknown) => this.deps.log(`webContents.send('${channel}') not delivered: ${String(error).split('\n')[0]}`));
    });
  }

  /** What the renderer reports for a right-click at (x, y): the target's link, selection and editability. */
  async contextMenuAt(x: number, y: number): Promise<Record<string, unknown>> {
    const page = this.#page!;
    return page.evaluate(([name, px, py]) => (window as unknown as Record<string, (x: number, y: number) => Record<string, unknown>>)[name]!(px, py), [
      CONTEXT_MENU_NAME,
      x,
      y,
    ] as const);
  }

  /** Kills the renderer; resolves once Chromium reports the page crashed (the command itself never answers). */
  probeBridges(): Promise<BridgeProbe> {
    return this.#enqueue(async () => this.#page!.evaluate((name) => (window as unknown as Record<string, () => BridgeProbe>)[name]!(), PROBE_NAME));
  }

  crash(): Promise<void> {
    return this.#enqueue(async () => {
      const page = this.#page;
      if (!page || this.crashed) return;
      const crashed = new Promise<void>((resolve) => page.once('crash', () => resolve()));
      void this.#cdp?.send('Page.crash').catch(() => undefined);
      await crashed;
    });
  }

  zoom(factor: number): Promise<void> {
    this.#zoomFactor = factor;
    return this.#enqueue(() => this.#applyMetrics());
  }

  resize(width: number, height: number): Promise<void> {
    this.#size = { width, height };
    return this.#enqueue(async () => {
      await this.#page?.setViewportSize(this.#size);
      await this.#applyMetrics();
    });
  }

  /** Browser zoom as the page sees it: a narrower layout viewport and a larger device pixel ratio. */
  async #applyMetrics(): Promise<void> {
    if (!this.#cdp || this.crashed) return;
    const factor = this.#zoomFactor;
    await this.#cdp.send('Emulation.setDeviceMetricsOverride', {
      width: Math.round(this.#size.width / factor),
      height: Math.round(this.#size.height / factor),
      deviceScaleFactor: factor,
      mobile: false,
    });
  }

  edit(command: EditCommand | 'replaceMisspelling' | 'insertText', text: string | null): Promise<void> {
    return this.#enqueue(async () => {
      const page = this.#page;
      if (!page || this.crashed) return;
      if (command === 'insertText') await page.keyboard.insertText(text ?? '');
      else if (command === 'replaceMisspelling') {
        await page.evaluate(() => {
          const selection = window.getSelection();
          if (!selection || !selection.isCollapsed) return;
          selection.modify('move', 'backward', 'word');
          selection.modify('extend', 'forward', 'word');
        });
        await page.keyboard.insertText(text ?? '');
      } else if (command === 'delete') await page.keyboard.press('Delete');
      else await page.keyboard.press(EDIT_KEYS[command]);
    });
  }

  executeJavaScript(code: string): Promise<unknown> {
    return this.#enqueue(async () => this.#page!.evaluate(code));
  }

  focus(): Promise<void> {
    return this.#enqueue(async () => {
      await this.#page?.bringToFront();
    });
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.#enqueue(async () => {
      await this.#page?.close().catch(() => undefined);
    });
  }
}
