import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SettingsStore } from './settings-store.js';

/** Added to the command line of a start at login, so Collaro opens quietly in the tray. */
export const HIDDEN_ARGUMENT = '--hidden';

/**
 * Electron's login-item API (macOS and Windows). Electron 45 has no `openAsHidden`: Windows starts
 * the app with `args`, and macOS reports a login start through `wasOpenedAtLogin`.
 */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin?: boolean };
}

/** Where Linux desktops look for programs to start at login (XDG Autostart), and how to touch it. */
export interface AutostartFiles {
  /** `$XDG_CONFIG_HOME/autostart` (by default `~/.config/autostart`). */
  directory: string;
  write(filePath: string, content: string): void;
  remove(filePath: string): void;
}

export interface LoginItemDeps {
  app: LoginItemApp;
  settings: SettingsStore;
  platform: NodeJS.Platform;
  /** The command line this process started with. */
  argv: readonly string[];
  /** The program a login start runs: the AppImage itself when Collaro runs from one. */
  executable: string;
  autostart: AutostartFiles;
}

export const AUTOSTART_FILE_NAME = 'collaro.desktop';

/** The XDG Autostart directory of this user, on disk. */
export function xdgAutostartFiles(env: NodeJS.ProcessEnv = process.env): AutostartFiles {
  const configHome = env['XDG_CONFIG_HOME'] && path.isAbsolute(env['XDG_CONFIG_HOME']) ? env['XDG_CONFIG_HOME'] : path.join(os.homedir(), '.config');
  return {
    directory: path.join(configHome, 'autostart'),
    write: (filePath, content) => {
      mkdirSync(path.dirname(filePath), { recursive: true });
      writeFileSync(filePath, content, { mode: 0o644 });
    },
    remove: (filePath) => rmSync(filePath, { force: true }),
  };
}

/** Quotes an Exec argument as the Desktop Entry specification asks, when it needs quoting. */
export function quoteExecArgument(argument: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(argument)) return argument;
  return `"${argument.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Collaro',
    'Comment=Chat and video meetings for software teams',
    `Exec=${quoteExecArgument(executable)} ${HIDDEN_ARGUMENT}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * "Start Collaro at login" from the settings, on every platform: Electron's login items on macOS and
 * Windows, an XDG Autostart entry on Linux. A start at login opens in the tray, not in front of the
 * person who just logged in.
 */
export class LoginItemService {
  readonly #deps: LoginItemDeps;
  #unsubscribe: (() => void) | null = null;
  #applied: boolean | null = null;

  constructor(deps: LoginItemDeps) {
    this.#deps = deps;
  }

  /** True when this process was started by the login item rather than by the person. */
  get openedAtLogin(): boolean {
    if (this.#deps.platform === 'darwin') return this.#deps.app.getLoginItemSettings().wasOpenedAtLogin === true;
    return this.#deps.argv.includes(HIDDEN_ARGUMENT);
  }

  get autostartFile(): string {
    return path.join(this.#deps.autostart.directory, AUTOSTART_FILE_NAME);
  }

  start(): void {
    this.#apply(this.#deps.settings.get().startAtLogin);
    this.#unsubscribe = this.#deps.settings.onChange((settings) => this.#apply(settings.startAtLogin));
  }

  dispose(): void {
    this.#unsubscribe?.();
  }

  #apply(openAtLogin: boolean): void {
    if (this.#applied === openAtLogin) return;
    this.#applied = openAtLogin;
    switch (this.#deps.platform) {
      case 'darwin':
        this.#deps.app.setLoginItemSettings({ openAtLogin });
        return;
      case 'win32':
        this.#deps.app.setLoginItemSettings({ openAtLogin, args: [HIDDEN_ARGUMENT] });
        return;
      default:
        if (openAtLogin) this.#deps.autostart.write(this.autostartFile, autostartEntry(this.#deps.executable));
        else this.#deps.autostart.remove(this.autostartFile);
    }
  }
}
