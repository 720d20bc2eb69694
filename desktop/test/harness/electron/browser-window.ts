import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Rectangle, WindowCreateParams, WindowSnapshot } from '../harness-types.js';
import type { AppEmulation } from './app.js';
import { electronEvent, strict, type EmulationContext } from './context.js';
import type { SessionEmulation } from './session.js';
import { WebContentsEmulation } from './web-contents.js';

type Options = Record<string, unknown> & { webPreferences?: Record<string, unknown> };

/** Every window and WebContents main has made, by id, as Electron's static lookups need them. */
export class WindowRegistry {
  readonly windows = new Map<number, BrowserWindow>();
  readonly contents = new Map<number, WebContentsEmulation>();
  focusedId: number | null = null;
  nextWindowId = 1;
  nextContentsId = 1;

  focused(): BrowserWindowEmulation | null {
    return this.focusedId === null ? null : (this.windows.get(this.focusedId) ?? null);
  }
}

// One emulation per process: the window class reads what it needs from here (see installWindowDeps).
let context: EmulationContext;
let app: AppEmulation;
let registry: WindowRegistry;
let defaultSession: () => SessionEmulation;

export function installWindowDeps(deps: {
  context: EmulationContext;
  app: AppEmulation;
  registry: WindowRegistry;
  defaultSession: () => SessionEmulation;
}): typeof BrowserWindow {
  ({ context, app, registry, defaultSession } = deps);
  return BrowserWindow;
}

export class BrowserWindow extends EventEmitter {
  readonly id: number;
  readonly webContents: WebContentsEmulation;
  _options: Options;
  _bounds: Rectangle;
  _visible: boolean;
  _minimized = false;
  _maximized = false;
  _fullScreen = false;
  _destroyed = false;
  _alwaysOnTop: boolean;
  _contentProtection = false;
  _title: string;
  _readyToShowSent = false;
  _parent: BrowserWindow | null;

  static getAllWindows(): BrowserWindow[] {
    return [...registry.windows.values()] as BrowserWindow[];
  }

  static fromId(id: number): BrowserWindow | null {
    return registry.windows.get(id) ?? null;
  }

  static fromWebContents(contents: { id: number }): BrowserWindow | null {
    const owner = registry.contents.get(contents.id)?._ownerWindowId;
    return owner === undefined ? null : (registry.windows.get(owner) ?? null);
  }

  static getFocusedWindow(): BrowserWindow | null {
    return registry.focused();
  }

  constructor(options: Options = {}) {
    super();
    context.requireReady('new BrowserWindow()');
    const preferences = options.webPreferences ?? {};
    const preload = typeof preferences['preload'] === 'string' ? preferences['preload'] : null;
    const sandbox = preferences['sandbox'] !== false;
    const contextIsolation = preferences['contextIsolation'] !== false;
    const nodeIntegration = preferences['nodeIntegration'] === true;
    if (preload !== null) {
      if (!path.isAbsolute(preload)) throw context.violation(`webPreferences.preload must be an absolute path, got ${preload}`);
      if (!existsSync(preload)) context.violation(`webPreferences.preload ${preload} does not exist: Electron loads the page without it`);
      if (sandbox && /\.mjs$/i.test(preload))
        context.violation(`a sandboxed preload cannot be an ES module (${path.basename(preload)}): it must be one CommonJS file`);
    }
    if (nodeIntegration || !contextIsolation || !sandbox) {
      context.violation('the harness runs pages sandboxed and context-isolated only; this window asks for Node.js or no isolation');
    }
    if (preferences['partition'] !== undefined || preferences['session'] !== undefined) {
      context.violation('windows with their own partition or session are not emulated');
    }
    this.id = registry.nextWindowId++;
    this._options = options;
    const primary = context.options.displays[0]!.workArea;
    const width = typeof options['width'] === 'number' ? options['width'] : 800;
    const height = typeof options['height'] === 'number' ? options['height'] : 600;
    this._bounds = {
      x: typeof options['x'] === 'number' ? options['x'] : Math.round(primary.x + (primary.width - width) / 2),
      y: typeof options['y'] === 'number' ? options['y'] : Math.round(primary.y + (primary.height - height) / 2),
      width,
      height,
    };
    this._visible = options['show'] !== false;
    this._alwaysOnTop = options['alwaysOnTop'] === true;
    this._title = typeof options['title'] === 'string' ? options['title'] : app.getName();
    this._parent = (options['parent'] as BrowserWindow | undefined) ?? null;
    const contents = new WebContentsEmulation(registry.nextContentsId++, context, defaultSession(), this.id);
    contents._isFocusedWindow = () => registry.focusedId === this.id;
    this.webContents = strict(contents, 'webContents', context);
    contents.on('page-title-updated', (event: { defaultPrevented: boolean }, title: string) => {
      if (!event.defaultPrevented) this._title = title;
    });
    contents.on('did-finish-load', () => {
      if (this._readyToShowSent) return;
      this._readyToShowSent = true;
      setImmediate(() => !this._destroyed && this.emit('ready-to-show'));
    });
    const self = strict(this, 'BrowserWindow', context);
    registry.windows.set(this.id, self);
    registry.contents.set(contents.id, this.webContents);
    const params: WindowCreateParams = {
      windowId: this.id,
      webContentsId: contents.id,
      width,
      height,
      title: this._title,
      show: this._visible,
      preload,
      sandbox,
      contextIsolation,
      nodeIntegration,
      parentId: this._parent?.id ?? null,
    };
    context.control.notify('window.create', params);
    app.emit('web-contents-created', electronEvent(), this.webContents);
    app.emit('browser-window-created', electronEvent(), self);
    if (this._visible && options['focusable'] !== false) registry.focusedId = this.id;
    return self;
  }

  _alive(method: string): void {
    if (this._destroyed) throw context.violation(`BrowserWindow.${method}() on a destroyed window: Electron throws "Object has been destroyed"`);
  }

  loadURL(url: string): Promise<void> {
    this._alive('loadURL');
    return this.webContents.loadURL(url);
  }

  loadFile(): Promise<void> {
    return this.webContents.loadFile();
  }

  reload(): void {
    this.webContents.reload();
  }

  _setFocus(focused: boolean): void {
    const wasFocused = registry.focusedId === this.id;
    if (focused && !wasFocused) {
      registry.focused()?._setFocus(false);
      registry.focusedId = this.id;
      this.emit('focus');
      context.control.notify('window.focus', { windowId: this.id });
    } else if (!focused && wasFocused) {
      registry.focusedId = null;
      this.emit('blur');
    }
  }

  show(): void {
    this._alive('show');
    const wasVisible = this._visible;
    this._visible = true;
    this._minimized = false;
    if (!wasVisible) this.emit('show');
    this._setFocus(true);
  }

  showInactive(): void {
    this._alive('showInactive');
    if (this._visible) return;
    this._visible = true;
    this.emit('show');
  }

  hide(): void {
    this._alive('hide');
    if (!this._visible) return;
    this._visible = false;
    this._setFocus(false);
    this.emit('hide');
  }

  focus(): void {
    this._alive('focus');
    if (!this._visible) this.show();
    else this._setFocus(true);
  }

  blur(): void {
    this._setFocus(false);
  }

  isVisible(): boolean {
    return this._visible && !this._minimized;
  }

  isFocused(): boolean {
    return registry.focusedId === this.id;
  }

  isDestroyed(): boolean {
    return this._destroyed;
  }

  minimize(): void {
    this._minimized = true;
    this._setFocus(false);
    this.emit('minimize');
  }

  restore(): void {
    if (!this._minimized) return;
    this._minimized = false;
    this.emit('restore');
  }

  isMinimized(): boolean {
    return this._minimized;
  }

  maximize(): void {
    this._maximized = true;
    if (!this._visible) this.show();
    this.emit('maximize');
  }

  unmaximize(): void {
    this._maximized = false;
    this.emit('unmaximize');
  }

  isMaximized(): boolean {
    return this._maximized;
  }

  setFullScreen(flag: boolean): void {
    this._fullScreen = flag;
    this.emit(flag ? 'enter-full-screen' : 'leave-full-screen');
  }

  isFullScreen(): boolean {
    return this._fullScreen;
  }

  /** The user (or main) asks to close: `close` may be cancelled; otherwise the window is destroyed. */
  close(): void {
    if (this._destroyed) return;
    const event = electronEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }

  destroy(): void {
    if (this._destroyed) return;
    this._destroyed = true;
    if (registry.focusedId === this.id) registry.focusedId = null;
    registry.windows.delete(this.id);
    this.webContents._destroy();
    registry.contents.delete(this.webContents.id);
    context.control.notify('window.destroy', { windowId: this.id });
    this.emit('closed');
    if (registry.windows.size === 0 && !context.quitting) {
      if (app.listenerCount('window-all-closed') > 0) app.emit('window-all-closed');
      else app.quit();
    }
  }

  getBounds(): Rectangle {
    return { ...this._bounds };
  }

  getContentBounds(): Rectangle {
    return { ...this._bounds };
  }

  getNormalBounds(): Rectangle {
    return { ...this._bounds };
  }

  setBounds(bounds: Partial<Rectangle>): void {
    const before = this._bounds;
    this._bounds = { ...before, ...bounds };
    if (before.width !== this._bounds.width || before.height !== this._bounds.height) {
      context.control.notify('window.resize', { windowId: this.id, width: this._bounds.width, height: this._bounds.height });
      this.emit('resize');
    }
    if (before.x !== this._bounds.x || before.y !== this._bounds.y) this.emit('move');
  }

  getSize(): [number, number] {
    return [this._bounds.width, this._bounds.height];
  }

  setSize(width: number, height: number): void {
    this.setBounds({ width, height });
  }

  getContentSize(): [number, number] {
    return this.getSize();
  }

  setContentSize(width: number, height: number): void {
    this.setBounds({ width, height });
  }

  getPosition(): [number, number] {
    return [this._bounds.x, this._bounds.y];
  }

  setPosition(x: number, y: number): void {
    this.setBounds({ x, y });
  }

  center(): void {}

  getTitle(): string {
    return this._title;
  }

  setTitle(title: string): void {
    this._title = title;
  }

  setAlwaysOnTop(flag: boolean): void {
    this._alwaysOnTop = flag;
    this.emit('always-on-top-changed', electronEvent(), flag);
  }

  isAlwaysOnTop(): boolean {
    return this._alwaysOnTop;
  }

  setVisibleOnAllWorkspaces(): void {}

  setContentProtection(enable: boolean): void {
    this._contentProtection = enable;
  }

  isContentProtected(): boolean {
    return this._contentProtection;
  }

  setSkipTaskbar(): void {}

  setOverlayIcon(): void {}

  setProgressBar(): void {}

  flashFrame(): void {}

  setIcon(): void {}

  setMenu(): void {}

  removeMenu(): void {}

  setMenuBarVisibility(): void {}

  setAutoHideMenuBar(): void {}

  setBackgroundColor(): void {}

  moveTop(): void {}

  getParentWindow(): BrowserWindow | null {
    return this._parent;
  }

  getChildWindows(): BrowserWindow[] {
    return BrowserWindow.getAllWindows().filter((window) => window._parent?.id === this.id);
  }

  getMediaSourceId(): string {
    return `window:${this.id}:0`;
  }

  getNativeWindowHandle(): Buffer {
    return Buffer.alloc(8);
  }

  _snapshot(): WindowSnapshot {
    return {
      id: this.id,
      webContentsId: this.webContents.id,
      title: this._title,
      url: this.webContents._url,
      visible: this.isVisible(),
      focused: this.isFocused(),
      destroyed: this._destroyed,
      bounds: this.getBounds(),
      options: JSON.parse(JSON.stringify({ ...this._options, parent: undefined })) as Record<string, unknown>,
      zoomLevel: this.webContents._zoomLevel,
      alwaysOnTop: this._alwaysOnTop,
      contentProtection: this._contentProtection,
      devToolsOpened: this.webContents._devToolsOpened,
    };
  }
}

export type BrowserWindowEmulation = BrowserWindow;
