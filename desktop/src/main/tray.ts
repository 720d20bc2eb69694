import type { MenuItemConstructorOptions } from 'electron';
import type { DesktopStateStore } from './desktop-state.js';
import { buildTrayMenu, trayIconVariant, trayTooltip, type TrayAction, type TrayIconVariant, type TrayMenuEntry } from './tray-menu.js';

export interface TrayLike<Image, Menu> {
  setImage(image: Image): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: Menu | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface TrayDeps<Image, Menu> {
  state: DesktopStateStore;
  createTray: (image: Image) => TrayLike<Image, Menu>;
  buildMenu: (template: MenuItemConstructorOptions[]) => Menu;
  images: Record<TrayIconVariant, Image>;
  isWindowVisible: () => boolean;
  /** The "Start Collaro at login" setting, shown as a checkbox. */
  startAtLogin: { get(): boolean; onChange(listener: () => void): () => void };
  onAction: (action: TrayAction) => void;
  /** How often the menu is rebuilt so "Join … · 09:30" entries drop off once a meeting ends. */
  refreshIntervalMs?: number;
  now?: () => Date;
}

export function toMenuTemplate(entries: readonly TrayMenuEntry[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return entries.map((entry): MenuItemConstructorOptions => {
    switch (entry.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'heading':
        return { label: entry.label, enabled: false };
      case 'item':
        return { label: entry.label, click: () => onAction(entry.action) };
      case 'radio':
        return { label: entry.label, type: 'radio', checked: entry.checked, click: () => onAction(entry.action) };
      case 'checkbox':
        return { label: entry.label, type: 'checkbox', checked: entry.checked, click: () => onAction(entry.action) };
    }
  });
}

/** The tray icon and its menu, rebuilt whenever meetings, the call, unread counts or status change. */
export class TrayService<Image, Menu> {
  readonly #deps: TrayDeps<Image, Menu>;
  #tray: TrayLike<Image, Menu> | null = null;
  #unsubscribe: (() => void)[] = [];
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(deps: TrayDeps<Image, Menu>) {
    this.#deps = deps;
  }

  start(): void {
    const tray = this.#deps.createTray(this.#deps.images.idle);
    this.#tray = tray;
    // Linux trays open the menu on click anyway; elsewhere a click is the quickest way back to the window.
    tray.on('click', () => this.#deps.onAction({ type: 'toggle-window' }));
    this.#unsubscribe = [this.#deps.state.subscribe(() => this.refresh()), this.#deps.startAtLogin.onChange(() => this.refresh())];
    this.#timer = setInterval(() => this.refresh(), this.#deps.refreshIntervalMs ?? 60_000);
    this.refresh();
  }

  refresh(): void {
    const tray = this.#tray;
    if (!tray) return;
    const state = this.#deps.state.get();
    const now = this.#deps.now?.() ?? new Date();
    const entries = buildTrayMenu({ ...state, startAtLogin: this.#deps.startAtLogin.get(), windowVisible: this.#deps.isWindowVisible() }, now);
    tray.setImage(this.#deps.images[trayIconVariant(state)]);
    tray.setToolTip(trayTooltip(state));
    tray.setContextMenu(this.#deps.buildMenu(toMenuTemplate(entries, this.#deps.onAction)));
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    if (this.#timer) clearInterval(this.#timer);
    this.#tray?.destroy();
    this.#tray = null;
  }
}
