import type { SettingsStore } from './settings-store.js';

export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; openAsHidden?: boolean }): void;
}

/**
 * "Start Collaro at login" from the settings. macOS and Windows have a login-item API; on Linux
 * Electron has none, so the setting is stored but only takes effect where the desktop supports it.
 */
export class LoginItemService {
  readonly #app: LoginItemApp;
  readonly #settings: SettingsStore;
  readonly #platform: NodeJS.Platform;
  #unsubscribe: (() => void) | null = null;
  #applied: boolean | null = null;

  constructor(deps: { app: LoginItemApp; settings: SettingsStore; platform: NodeJS.Platform }) {
    this.#app = deps.app;
    this.#settings = deps.settings;
    this.#platform = deps.platform;
  }

  get supported(): boolean {
    return this.#platform === 'darwin' || this.#platform === 'win32';
  }

  start(): void {
    this.#apply(this.#settings.get().startAtLogin);
    this.#unsubscribe = this.#settings.onChange((settings) => this.#apply(settings.startAtLogin));
  }

  dispose(): void {
    this.#unsubscribe?.();
  }

  #apply(openAtLogin: boolean): void {
    if (!this.supported || this.#applied === openAtLogin) return;
    this.#app.setLoginItemSettings({ openAtLogin, openAsHidden: true });
    this.#applied = openAtLogin;
  }
}
