import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import path from 'node:path';
import { electronEvent, type EmulationContext } from './context.js';

/** How a packaged Electron app names itself: `productName`, else `name`, of the package.json next to main. */
function readAppIdentity(mainPath: string): { name: string; version: string } {
  let directory = path.dirname(mainPath);
  for (let depth = 0; depth < 4; depth += 1) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { name?: string; productName?: string; version?: string };
      return { name: manifest.productName ?? manifest.name ?? 'Electron', version: manifest.version ?? '0.0.0' };
    } catch {
      directory = path.dirname(directory);
    }
  }
  return { name: 'Electron', version: '0.0.0' };
}

export interface AppHooks {
  /** Closes every window as quitting does; false when one of them refused to close. */
  closeAllWindows(): boolean;
  windowCount(): number;
}

/** `app`: readiness, single-instance lock, quitting, paths and the OS integration calls main records. */
export class AppEmulation extends EventEmitter {
  readonly _context: EmulationContext;
  _hooks: AppHooks | null = null;
  readonly _paths = new Map<string, string>();
  _name: string;
  readonly _version: string;
  _lockHeld = false;
  _readyPromise: Promise<void>;
  _resolveReady!: () => void;
  readonly _protocolClients: { protocol: string; path: string | null; args: string[] }[] = [];
  readonly _loginItemSettings: Record<string, unknown>[] = [];
  _badgeCount = 0;
  readonly _switches = new Map<string, string>();
  userAgentFallback = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Electron/45.4.1 Safari/537.36';
  readonly commandLine: {
    appendSwitch: (name: string, value?: string) => void;
    hasSwitch: (name: string) => boolean;
    getSwitchValue: (name: string) => string;
    appendArgument: (value: string) => void;
    removeSwitch: (name: string) => void;
  };

  constructor(context: EmulationContext) {
    super();
    this._context = context;
    const identity = readAppIdentity(context.options.mainPath);
    this._name = identity.name;
    this._version = identity.version;
    const userData = context.options.userData;
    for (const [name, value] of Object.entries({
      home: homedir(),
      appData: path.dirname(userData),
      userData,
      sessionData: userData,
      temp: tmpdir(),
      exe: context.options.argv[0] ?? process.execPath,
      module: process.execPath,
      desktop: path.join(homedir(), 'Desktop'),
      documents: path.join(homedir(), 'Documents'),
      downloads: path.join(homedir(), 'Downloads'),
      music: path.join(homedir(), 'Music'),
      pictures: path.join(homedir(), 'Pictures'),
      videos: path.join(homedir(), 'Videos'),
      logs: path.join(userData, 'logs'),
      crashDumps: path.join(userData, 'Crashpad'),
    })) {
      this._paths.set(name, value);
    }
    this._readyPromise = new Promise((resolve) => {
      this._resolveReady = resolve;
    });
    const switches = this._switches;
    this.commandLine = {
      appendSwitch: (name, value = '') => {
        if (context.ready) context.violation(`app.commandLine.appendSwitch('${name}') after ready has no effect on Chromium`);
        switches.set(name, value);
      },
      hasSwitch: (name) => switches.has(name),
      getSwitchValue: (name) => switches.get(name) ?? '',
      appendArgument: () => undefined,
      removeSwitch: (name) => {
        switches.delete(name);
      },
    };
  }

  get name(): string {
    return this._name;
  }

  set name(value: string) {
    this._name = value;
  }

  get isPackaged(): boolean {
    return this._context.options.isPackaged;
  }

  /** Fired by the bootstrap once main's top level has run, as Electron does. */
  _fireReady(): void {
    this.emit('will-finish-launching');
    this._context.ready = true;
    this.emit('ready', electronEvent(), {});
    this._resolveReady();
  }

  whenReady(): Promise<void> {
    return this._readyPromise;
  }

  isReady(): boolean {
    return this._context.ready;
  }

  getName(): string {
    return this._name;
  }

  setName(name: string): void {
    this._name = name;
  }

  getVersion(): string {
    return this._version;
  }

  getLocale(): string {
    return 'en-US';
  }

  getSystemLocale(): string {
    return 'en-US';
  }

  getPreferredSystemLanguages(): string[] {
    return ['en-US'];
  }

  getAppPath(): string {
    return path.dirname(path.dirname(path.dirname(this._context.options.mainPath)));
  }

  getPath(name: string): string {
    const value = this._paths.get(name);
    if (value === undefined) throw this._context.violation(`app.getPath('${name}'): Electron throws for an unknown path name`);
    return value;
  }

  setPath(name: string, value: string): void {
    if (!path.isAbsolute(value)) throw this._context.violation(`app.setPath('${name}') needs an absolute path`);
    if (this._context.ready && name === 'userData')
      this._context.violation("app.setPath('userData') after ready: the session already lives in the old directory");
    this._paths.set(name, value);
  }

  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
    if (this._lockHeld) return true;
    if (this._context.options.singleInstanceHeldElsewhere) {
      // The running instance receives our command line as `second-instance`; Electron does this before returning.
      this._context.control.notify('app.forwardToPrimary', { argv: process.argv, workingDirectory: process.cwd(), additionalData: additionalData ?? null });
      return false;
    }
    this._lockHeld = true;
    return true;
  }

  hasSingleInstanceLock(): boolean {
    return this._lockHeld;
  }

  releaseSingleInstanceLock(): void {
    this._lockHeld = false;
  }

  /** `before-quit`, every window's `close`, then `will-quit` and `quit`; any of them may cancel. */
  quit(): void {
    if (this._context.quitting) return;
    this._context.quitting = true;
    setImmediate(() => {
      const beforeQuit = electronEvent();
      this.emit('before-quit', beforeQuit);
      if (beforeQuit.defaultPrevented || !(this._hooks?.closeAllWindows() ?? true)) {
        this._context.quitting = false;
        return;
      }
      const willQuit = electronEvent();
      this.emit('will-quit', willQuit);
      if (willQuit.defaultPrevented) {
        this._context.quitting = false;
        return;
      }
      this.emit('quit', electronEvent(), 0);
      this._exitProcess(0);
    });
  }

  exit(exitCode = 0): void {
    this._context.quitting = true;
    this._exitProcess(exitCode);
  }

  _exitProcess(code: number): void {
    this._context.control.notify('app.exited', { code });
    // Let the last messages reach the test before the process ends.
    setTimeout(() => process.exit(code), 50);
  }

  relaunch(): void {
    this._context.control.notify('app.relaunchRequested', {});
  }

  focus(): void {}

  hide(): void {}

  show(): void {}

  setAppUserModelId(): void {}

  setAsDefaultProtocolClient(protocol: string, executable?: string, args?: string[]): boolean {
    this._protocolClients.push({ protocol, path: executable ?? null, args: args ?? [] });
    return true;
  }

  removeAsDefaultProtocolClient(protocol: string): boolean {
    const index = this._protocolClients.findIndex((client) => client.protocol === protocol);
    if (index >= 0) this._protocolClients.splice(index, 1);
    return index >= 0;
  }

  isDefaultProtocolClient(protocol: string): boolean {
    return this._protocolClients.some((client) => client.protocol === protocol);
  }

  setLoginItemSettings(settings: Record<string, unknown>): void {
    this._loginItemSettings.push({ ...settings });
  }

  getLoginItemSettings(): Record<string, unknown> {
    const last = this._loginItemSettings.at(-1) ?? {};
    return {
      openAtLogin: Boolean(last['openAtLogin']),
      openAsHidden: false,
      wasOpenedAtLogin: this._context.options.openedAtLogin,
      wasOpenedAsHidden: false,
      restoreState: false,
      status: last['openAtLogin'] ? 'enabled' : 'not-registered',
      executableWillLaunchAtLogin: Boolean(last['openAtLogin']),
      launchItems: [],
    };
  }

  setBadgeCount(count?: number): boolean {
    this._badgeCount = count ?? 0;
    return true;
  }

  getBadgeCount(): number {
    return this._badgeCount;
  }

  disableHardwareAcceleration(): void {
    if (this._context.ready) throw this._context.violation('app.disableHardwareAcceleration() after ready: Electron throws');
  }

  enableSandbox(): void {
    if (this._context.ready) throw this._context.violation('app.enableSandbox() after ready: Electron throws');
  }

  setAccessibilitySupportEnabled(): void {}

  getGPUFeatureStatus(): Record<string, string> {
    return {};
  }
}
