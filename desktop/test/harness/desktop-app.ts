import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { ControlChannel } from './control-channel.js';
import type {
  ChildLaunchOptions,
  ContextMenuParams,
  EditCommand,
  MenuItemSnapshot,
  RecordedState,
  WebContentsEvent,
  WindowCreateParams,
} from './harness-types.js';
import { gnomeShowBannersFile } from './harness-types.js';
import { PageBridge, type StandInRoute } from './page-bridge.js';
import { UrlBridge, type PrivilegedScheme } from './url-bridge.js';
import { WindowHost, type BridgeProbe } from './window-host.js';

const BOOTSTRAP = fileURLToPath(new URL('./electron/bootstrap.ts', import.meta.url));
const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const STORAGE_STATE_FILE = 'harness-chromium-storage.json';

/** The test's environment, minus what would change main's behaviour (a dev server URL) or the child's Node. */
function childEnvironment(options: ChildLaunchOptions): NodeJS.ProcessEnv {
  const { ELECTRON_RENDERER_URL: _devServer, NODE_OPTIONS: _nodeOptions, ...environment } = process.env;
  return { ...environment, COLLARO_HARNESS_LAUNCH: JSON.stringify(options) };
}

export interface DesktopAppDeps {
  browser: Browser;
  browserSession: CDPSession;
  standIns: readonly StandInRoute[];
  prepareContext: ((context: BrowserContext) => Promise<void>) | null;
  /** The running primary of the same profile, which receives a second instance's command line. */
  primaryFor(userData: string): DesktopApp | null;
  onExit(app: DesktopApp): void;
}

/**
 * One run of Collaro's built main bundle in its own Node process, against the emulated Electron,
 * with its windows as Chromium pages. Tests drive it as a user and the OS would, and read what main
 * did through the recorders.
 */
export class DesktopApp {
  readonly violations: string[] = [];
  readonly #child: ChildProcess;
  readonly #control: ControlChannel;
  readonly #bridge = new UrlBridge();
  readonly #hosts = new Map<number, { params: WindowCreateParams; host: WindowHost | null; started: Promise<WindowHost> }>();
  readonly #byPage = new Map<Page, WindowHost>();
  readonly #waiters = new Set<() => void>();
  #contextReady: Promise<BrowserContext>;
  #output = '';
  #ready: Promise<void>;
  #exited: Promise<number | null>;
  #exitCode: number | null | undefined;

  constructor(
    readonly options: ChildLaunchOptions,
    private readonly deps: DesktopAppDeps,
  ) {
    this.#child = fork(BOOTSTRAP, [], {
      cwd: REPOSITORY_ROOT,
      execArgv: ['--import', 'tsx'],
      env: childEnvironment(options),
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const collect = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString()).slice(-40_000);
    };
    this.#child.stdout!.on('data', collect);
    this.#child.stderr!.on('data', collect);
    this.#control = new ControlChannel(this.#child);
    this.#contextReady = this.#createContext();
    this.#ready = new Promise((resolve, reject) => {
      this.#control.handle('app.ready', () => resolve());
      this.#child.once('exit', (code) => reject(new Error(`main exited (${code}) before ready:\n${this.#output.slice(-4000)}`)));
    });
    this.#ready.catch(() => undefined);
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', (code) => {
        this.#exitCode = code;
        this.#control.close(`main has exited (${code})`);
        void this.#shutDownPages().finally(() => {
          deps.onExit(this);
          resolve(code);
        });
      });
    });
    this.#listen();
  }

  async #createContext(): Promise<BrowserContext> {
    const storage = path.join(this.options.userData, STORAGE_STATE_FILE);
    const context = await this.deps.browser.newContext({
      serviceWorkers: 'block',
      ...(existsSync(storage) ? { storageState: storage } : {}),
    });
    const bridge = new PageBridge({
      context,
      control: this.#control,
      bridge: this.#bridge,
      browserSession: this.deps.browserSession,
      standIns: this.deps.standIns,
      hostOf: (page) => this.#byPage.get(page),
      onPopup: (page, url) => this.#onPopup(page, url),
      violation: (message) => this.#violation(message),
      log: (line) => this.#log(line),
    });
    await bridge.install();
    await this.deps.prepareContext?.(context);
    return context;
  }

  #listen(): void {
    const control = this.#control;
    const host = async (webContentsId: number) => {
      for (const entry of this.#hosts.values()) {
        if (entry.params.webContentsId === webContentsId) return entry.started;
      }
      throw new Error(`no window has webContents ${webContentsId}`);
    };
    const quietly = (what: string, work: Promise<unknown>) => void work.catch((error: unknown) => this.#log(`${what}: ${String(error)}`));
    control.handle('violation', ({ message }: { message: string }) => this.#violation(message));
    control.handle('protocol.privileged', ({ schemes }: { schemes: PrivilegedScheme[] }) => this.#bridge.setSchemes(schemes));
    control.handle('window.create', (params: WindowCreateParams) => {
      const entry: { params: WindowCreateParams; host: WindowHost | null; started: Promise<WindowHost> } = {
        params,
        host: null,
        started: Promise.resolve(null as never),
      };
      entry.started = this.#contextReady.then(async (context) => {
        const windowHost = new WindowHost(params, {
          context,
          bridge: this.#bridge,
          // A page's events after main has gone have nobody to reach: they are dropped, as Electron drops them.
          toMain: (webContentsId: number, event: WebContentsEvent) =>
            control.call<{ prevented: boolean }>('webContents.event', { webContentsId, event }).catch(() => ({ prevented: false })),
          violation: (message) => this.#violation(message),
          log: (line) => this.#log(line),
        });
        windowHost.onPage((page) => {
          this.#byPage.set(page, windowHost);
          this.#notifyWaiters();
        });
        entry.host = windowHost;
        await windowHost.start();
        return windowHost;
      });
      this.#hosts.set(params.windowId, entry);
      quietly('opening a window', entry.started);
    });
    control.handle('window.destroy', ({ windowId }: { windowId: number }) => {
      const entry = this.#hosts.get(windowId);
      this.#hosts.delete(windowId);
      if (entry)
        quietly(
          'closing a window',
          entry.started.then((h) => h.destroy()),
        );
      this.#notifyWaiters();
    });
    control.handle('webContents.load', ({ webContentsId, url }: { webContentsId: number; url: string }) =>
      quietly(
        `loadURL(${url})`,
        host(webContentsId).then((h) => h.load(url)),
      ),
    );
    control.handle('webContents.reload', ({ webContentsId }: { webContentsId: number }) =>
      quietly(
        'reload',
        host(webContentsId).then((h) => h.reload()),
      ),
    );
    control.handle('webContents.send', ({ webContentsId, channel, args }: { webContentsId: number; channel: string; args: unknown[] }) =>
      quietly(
        `send ${channel}`,
        host(webContentsId).then((h) => h.send(channel, args)),
      ),
    );
    control.handle('webContents.crash', ({ webContentsId }: { webContentsId: number }) =>
      quietly(
        'crash',
        host(webContentsId).then((h) => h.crash()),
      ),
    );
    control.handle('webContents.zoom', ({ webContentsId, factor }: { webContentsId: number; factor: number }) =>
      quietly(
        'zoom',
        host(webContentsId).then((h) => h.zoom(factor)),
      ),
    );
    control.handle('webContents.edit', ({ webContentsId, command, text }: { webContentsId: number; command: EditCommand; text: string | null }) =>
      quietly(
        command,
        host(webContentsId).then((h) => h.edit(command, text)),
      ),
    );
    control.handle('webContents.focus', ({ webContentsId }: { webContentsId: number }) =>
      quietly(
        'focus',
        host(webContentsId).then((h) => h.focus()),
      ),
    );
    control.handle('webContents.executeJavaScript', async ({ webContentsId, code }: { webContentsId: number; code: string }) =>
      (await host(webContentsId)).executeJavaScript(code),
    );
    control.handle('window.focus', ({ windowId }: { windowId: number }) => {
      const entry = this.#hosts.get(windowId);
      if (entry)
        quietly(
          'focus',
          entry.started.then((h) => h.focus()),
        );
    });
    control.handle('window.resize', ({ windowId, width, height }: { windowId: number; width: number; height: number }) => {
      const entry = this.#hosts.get(windowId);
      if (entry)
        quietly(
          'resize',
          entry.started.then((h) => h.resize(width, height)),
        );
    });
    control.handle('app.forwardToPrimary', (forwarded: { argv: string[]; workingDirectory: string; additionalData: unknown }) => {
      const primary = this.deps.primaryFor(this.options.userData);
      if (primary) quietly('second-instance', primary.#control.call('app.secondInstance', forwarded));
    });
    for (const event of ['notification.shown', 'dialog.shown', 'app.exited', 'app.relaunchRequested']) control.handle(event, () => this.#notifyWaiters());
  }

  /** Chromium opened a new page for a window: main's window-open handler decides, as Electron asks it. */
  async #onPopup(page: Page, url: string): Promise<void> {
    const opener = await page.opener().catch(() => null);
    await page.close().catch(() => undefined);
    const state = await this.recorded();
    const openerHost = opener ? this.#byPage.get(opener) : undefined;
    // A link with rel=noopener leaves no opener: it came from the window the user is in.
    const webContentsId = openerHost?.params.webContentsId ?? state.windows.find((window) => window.focused)?.webContentsId ?? state.windows[0]?.webContentsId;
    if (webContentsId === undefined) return;
    await this.#control.call('webContents.windowOpen', { webContentsId, url: this.#bridge.toReal(url), frameName: '', features: '' });
  }

  #violation(message: string): void {
    this.violations.push(message);
    this.#log(`VIOLATION ${message}`);
  }

  #log(line: string): void {
    this.#output = (this.#output + `\n[harness] ${line}`).slice(-40_000);
  }

  #notifyWaiters(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  async #shutDownPages(): Promise<void> {
    const context = await this.#contextReady.catch(() => null);
    if (!context) return;
    // What the pages stored (the session, say) is the profile's, as Chromium's own storage would be.
    await context.storageState({ path: path.join(this.options.userData, STORAGE_STATE_FILE), indexedDB: true }).catch(() => undefined);
    await context.close().catch(() => undefined);
  }

  /** Everything main printed and the harness noticed, for failure messages. */
  output(): string {
    return this.#output;
  }

  get running(): boolean {
    return this.#exitCode === undefined;
  }

  whenReady(): Promise<void> {
    return this.#ready;
  }

  exited(): Promise<number | null> {
    return this.#exited;
  }

  /** Waits until `check` gives a value, re-checking whenever main reports something. */
  async waitFor<T>(what: string, check: () => Promise<T | null | undefined> | T | null | undefined, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== null && value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${this.#output.slice(-3000)}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 100);
        this.#waiters.add(wake);
      });
    }
  }

  recorded(): Promise<RecordedState> {
    return this.#control.call<RecordedState>('state.snapshot');
  }

  /** The page of the window whose URL starts with `urlPrefix` (`collaro-app://app/`), once it shows one. */
  async window(urlPrefix: string): Promise<Page> {
    return this.waitFor(`a window at ${urlPrefix}`, async () => {
      const state = await this.recorded();
      const window = state.windows.find((candidate) => candidate.url.startsWith(urlPrefix) && !candidate.destroyed);
      if (!window) return null;
      const entry = this.#hosts.get(window.id);
      if (!entry) return null;
      const windowHost = await entry.started;
      return windowHost.page && !windowHost.crashed ? windowHost.page : null;
    });
  }

  appWindow(): Promise<Page> {
    return this.window('collaro-app://app/');
  }

  windowHost(windowId: number): WindowHost | undefined {
    return this.#hosts.get(windowId)?.host ?? undefined;
  }

  async trayMenu(): Promise<MenuItemSnapshot[]> {
    const state = await this.recorded();
    const tray = [...state.trays].reverse().find((candidate) => !candidate.destroyed);
    return tray?.menu ?? [];
  }

  clickTrayItem(...labels: string[]): Promise<void> {
    return this.#control.call('tray.click', { path: labels });
  }

  clickTrayIcon(): Promise<void> {
    return this.#control.call('tray.event', { type: 'click' });
  }

  clickMenuItem(which: 'application' | 'context', ...labels: string[]): Promise<void> {
    return this.#control.call('menu.click', { which, path: labels });
  }

  clickNotification(id: number, actionIndex: number | null = null): Promise<void> {
    return this.#control.call('notification.click', { id, actionIndex });
  }

  /** The person closes a notification (its close button, or swiping it away). */
  dismissNotification(id: number): Promise<void> {
    return this.#control.call('notification.userClose', { id });
  }

  /** Turns the desktop's own do-not-disturb (GNOME's show-banners switch) on or off, as the person would. */
  setSystemDoNotDisturb(on: boolean): void {
    writeFileSync(gnomeShowBannersFile(this.options.userData), on ? 'false\n' : 'true\n');
  }

  pressGlobalShortcut(accelerator: string): Promise<void> {
    return this.#control.call('shortcut.press', { accelerator });
  }

  /** macOS hands a clicked link to the running app as `open-url`. */
  openUrl(url: string): Promise<void> {
    return this.#control.call('app.openUrl', { url });
  }

  activate(): Promise<void> {
    return this.#control.call('app.activate');
  }

  /** `webContents.reload()` in main, as main itself reloads a window (after a server change, say). */
  async reloadWindow(windowId: number): Promise<void> {
    const entry = this.#hosts.get(windowId);
    if (!entry) throw new Error(`no window ${windowId}`);
    await this.#control.call('webContents.reloadAsMain', { webContentsId: entry.params.webContentsId });
  }

  /** The renderer process of a window dies, as Chromium's would (an out-of-memory kill, a GPU fault). */
  async crashRenderer(windowId: number): Promise<void> {
    const entry = this.#hosts.get(windowId);
    if (!entry) throw new Error(`no window ${windowId}`);
    await (await entry.started).crash();
  }

  /** Calls every action the window's preload exposed (without sending anything) and reports the channels reached. */
  async probeBridges(windowId: number): Promise<BridgeProbe> {
    const entry = this.#hosts.get(windowId);
    if (!entry) throw new Error(`no window ${windowId}`);
    return (await entry.started).probeBridges();
  }

  /** The user closes the window with its title-bar button. */
  closeWindow(windowId: number): Promise<void> {
    return this.#control.call('window.userClose', { windowId });
  }

  /** A right-click at (x, y) in the window's page: main's `context-menu` handler decides what opens. */
  async openContextMenu(
    windowId: number,
    x: number,
    y: number,
    spelling: Pick<ContextMenuParams, 'misspelledWord' | 'dictionarySuggestions'> = { misspelledWord: '', dictionarySuggestions: [] },
  ): Promise<MenuItemSnapshot[]> {
    const host = this.#hosts.get(windowId)?.host;
    if (!host?.page) throw new Error(`window ${windowId} has no page`);
    const fromPage = await host.contextMenuAt(x, y);
    const url = this.#bridge.toReal(host.page.url());
    const params = { ...fromPage, ...spelling, pageURL: url, frameURL: url } as ContextMenuParams;
    await this.#control.call('webContents.contextMenu', { webContentsId: host.params.webContentsId, params });
    const state = await this.recorded();
    return [...state.contextMenus].reverse().find((menu) => menu.open)?.menu ?? [];
  }

  setUpdateFeed(feed: { kind: 'none' } | { kind: 'available'; version: string } | { kind: 'unreachable'; message: string }): Promise<void> {
    return this.#control.call('updater.setFeed', { feed });
  }

  answerDialog(messageIncludes: string, response: number): Promise<void> {
    return this.#control.call('dialog.answer', { messageIncludes, response });
  }

  emitPowerMonitor(event: string): Promise<void> {
    return this.#control.call('powerMonitor.emit', { event });
  }

  /** Quits as the tray's Quit would, and resolves with the exit code. */
  async quit(): Promise<number | null> {
    if (this.running) await this.#control.call('app.quit').catch(() => undefined);
    return this.#exited;
  }

  async kill(): Promise<void> {
    if (this.running) this.#child.kill('SIGKILL');
    await this.#exited;
  }
}
