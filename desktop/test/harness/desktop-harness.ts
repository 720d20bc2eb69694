import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type CDPSession } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../../backend/test/helpers/chromium.js';
import { createServerDatabase, freePort, ServerProcess } from '../../../backend/test/helpers/server-process.js';
import { ensureDesktopBuild, MAIN_BUNDLE } from './desktop-build.js';
import { DesktopApp, STORAGE_STATE_FILE } from './desktop-app.js';
import type { CapturableWindow, ChildLaunchOptions, HarnessDisplay } from './harness-types.js';
import type { StandInRoute } from './page-bridge.js';

/** Where the packaged app's executable would be: main sees it as `process.argv[0]`. */
export const EXECUTABLE = '/opt/Collaro/collaro';
/** The stand-in origin of `collaro-app://app`, which the backend must accept as a browser origin. */
export const BRIDGED_APP_ORIGIN = 'https://app.collaro-app.localhost';

// Chromium exactly as the other browser tests run it, except that Local Network Access is enforced:
// here main's permission handler decides it, as it does in Electron.
const HARNESS_CHROMIUM_FLAGS = CHROMIUM_FLAGS.filter((flag) => !flag.includes('LocalNetworkAccessChecks'));

const DEFAULT_DISPLAYS: HarnessDisplay[] = [
  { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, scaleFactor: 1 },
];
const DEFAULT_CAPTURABLE_WINDOWS: CapturableWindow[] = [
  { name: 'Quarterly plan — Editor', hasThumbnail: true },
  { name: 'Minimized notes', hasThumbnail: false },
];

/** A user-data directory: settings, Clerk's token file and the pages' storage survive between launches. */
export interface Profile {
  userData: string;
  /** Writes settings.json as a previous run would have left it. */
  seedSettings(settings: Record<string, unknown>): void;
  /** Puts values in the app page's localStorage, as a previous run would have left them. */
  seedLocalStorage(values: Record<string, string>): void;
}

export interface LaunchOptions {
  profile?: Profile;
  /** Another main bundle than Collaro's built one: for the harness's own tests. */
  mainBundle?: string;
  /** Command-line arguments after the executable (a clicked link on Windows and Linux). */
  args?: string[];
  /** A packaged build unless told otherwise: the harness tests what ships. */
  packaged?: boolean;
  displays?: HarnessDisplay[];
  capturableWindows?: CapturableWindow[];
  safeStorageAvailable?: boolean;
  openUrlsBeforeReady?: string[];
  openedAtLogin?: boolean;
  trayAvailable?: boolean;
  desktopSession?: ChildLaunchOptions['desktopSession'];
  updateFeed?: ChildLaunchOptions['updateFeed'];
}

export interface DesktopHarnessOptions {
  /** Extra backend environment (Clerk or Stream settings, say). */
  backendEnv?: Record<string, string>;
  /** False for the harness's own tests, whose main bundles reach no server: no backend is started. */
  withBackend?: boolean;
  /** Hosts the test serves itself instead of the network. */
  standIns?: StandInRoute[];
  /** Runs on each launch's browser context once the harness's own routes are in (a test's WebSocket stand-ins, say). */
  prepareContext?: (context: BrowserContext) => Promise<void>;
  /** Extra Chromium flags. */
  chromiumFlags?: string[];
}

/**
 * One per test file: a real Collaro backend process, one Chromium, and the launches of the desktop
 * app's built main bundle against them. `stop()` ends every app, the browser and the backend.
 */
export class DesktopHarness {
  readonly #apps = new Set<DesktopApp>();
  readonly #profiles: string[] = [];

  private constructor(
    readonly backend: ServerProcess,
    readonly browser: Browser,
    private readonly browserSession: CDPSession,
    readonly standIns: StandInRoute[],
    private readonly cleanup: () => Promise<void>,
    private readonly prepareContext: ((context: BrowserContext) => Promise<void>) | null = null,
  ) {}

  static async start(options: DesktopHarnessOptions = {}): Promise<DesktopHarness> {
    await ensureDesktopBuild();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'collaro-desktop-harness-'));
    const withBackend = options.withBackend ?? true;
    const database = withBackend && process.env['DATABASE_URL'] ? await createServerDatabase(process.env['DATABASE_URL'], 'collaro_desktop') : null;
    const port = await freePort();
    const backend = new ServerProcess(
      {
        ...process.env,
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        COLLARO_DATA_DIR: dataDir,
        DATABASE_URL: database?.url ?? '',
        REDIS_URL: '',
        LOG_LEVEL: 'warn',
        // The page's origin here is the bridge's stand-in for collaro-app://app (see url-bridge.ts).
        CORS_ORIGINS: BRIDGED_APP_ORIGIN,
        MAX_EVENT_LOOP_DELAY_MS: '0',
        ...options.backendEnv,
      },
      port,
    );
    let browser: Browser | null = null;
    const cleanup = async () => {
      await browser?.close().catch(() => undefined);
      if (withBackend) await backend.kill('SIGTERM');
      await database?.drop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    };
    try {
      const launching = chromium.launch({ executablePath: CHROMIUM_PATH, args: [...HARNESS_CHROMIUM_FLAGS, ...(options.chromiumFlags ?? [])], headless: true });
      launching.then(
        (launched) => (browser = launched),
        () => undefined,
      );
      await Promise.all([withBackend ? backend.start() : Promise.resolve(), launching]);
      browser = await launching;
      const session = await browser.newBrowserCDPSession();
      return new DesktopHarness(backend, browser, session, options.standIns ?? [], cleanup, options.prepareContext ?? null);
    } catch (error) {
      await cleanup();
      throw error;
    }
  }

  get backendUrl(): string {
    return this.backend.url;
  }

  newProfile(): Profile {
    const userData = mkdtempSync(path.join(tmpdir(), 'collaro-desktop-profile-'));
    this.#profiles.push(userData);
    return {
      userData,
      seedSettings: (settings) => writeFileSync(path.join(userData, 'settings.json'), JSON.stringify(settings)),
      seedLocalStorage: (values) => {
        mkdirSync(userData, { recursive: true });
        const origin = { origin: BRIDGED_APP_ORIGIN, localStorage: Object.entries(values).map(([name, value]) => ({ name, value })) };
        writeFileSync(path.join(userData, STORAGE_STATE_FILE), JSON.stringify({ cookies: [], origins: [origin] }));
      },
    };
  }

  /** Starts the app and waits for `ready`. A second launch of a running profile is a second instance. */
  async launch(options: LaunchOptions = {}): Promise<DesktopApp> {
    const profile = options.profile ?? this.newProfile();
    const launch: ChildLaunchOptions = {
      mainPath: options.mainBundle ?? MAIN_BUNDLE,
      argv: [EXECUTABLE, ...(options.args ?? [])],
      userData: profile.userData,
      isPackaged: options.packaged ?? true,
      singleInstanceHeldElsewhere: this.primaryFor(profile.userData) !== null,
      displays: options.displays ?? DEFAULT_DISPLAYS,
      capturableWindows: options.capturableWindows ?? DEFAULT_CAPTURABLE_WINDOWS,
      safeStorageAvailable: options.safeStorageAvailable ?? true,
      openUrlsBeforeReady: options.openUrlsBeforeReady ?? [],
      openedAtLogin: options.openedAtLogin ?? false,
      trayAvailable: options.trayAvailable ?? true,
      desktopSession: options.desktopSession ?? { type: 'x11', screenCastPortal: false },
      updateFeed: options.updateFeed ?? { kind: 'none' },
    };
    const app = new DesktopApp(launch, {
      browser: this.browser,
      browserSession: this.browserSession,
      standIns: this.standIns,
      prepareContext: this.prepareContext,
      primaryFor: (userData) => this.primaryFor(userData),
      onExit: (exited) => this.#apps.delete(exited),
    });
    this.#apps.add(app);
    await app.whenReady();
    return app;
  }

  /** The running app that holds the single-instance lock of a profile. */
  primaryFor(userData: string): DesktopApp | null {
    return [...this.#apps].find((app) => app.running && app.options.userData === userData && !app.options.singleInstanceHeldElsewhere) ?? null;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#apps].map((app) => app.kill()));
    await this.cleanup();
    for (const profile of this.#profiles) rmSync(profile, { recursive: true, force: true });
  }
}
