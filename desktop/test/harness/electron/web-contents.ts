import { EventEmitter } from 'node:events';
import type { EditCommand, WebContentsEvent } from '../harness-types.js';
import { electronEvent, strict, type EmulationContext } from './context.js';
import type { SessionEmulation } from './session.js';

export type WindowOpenHandler = (details: {
  url: string;
  frameName: string;
  features: string;
  disposition: string;
  referrer: { url: string; policy: string };
}) => { action: 'deny' } | { action: 'allow'; overrideBrowserWindowOptions?: Record<string, unknown> };

/** The top frame of a page: IPC events carry it as `senderFrame`, and it is the same object as `webContents.mainFrame`. */
export class WebFrameMainEmulation {
  readonly parent = null;
  readonly frames: WebFrameMainEmulation[] = [];
  readonly framesInSubtree: WebFrameMainEmulation[] = [this];
  readonly name = '';
  readonly frameTreeNodeId = 1;
  readonly routingId = 1;
  readonly processId = 1;
  readonly visibilityState = 'visible';
  constructor(readonly _contents: WebContentsEmulation) {}

  get url(): string {
    return this._contents._url;
  }

  get origin(): string {
    try {
      const url = new URL(this._contents._url);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : `${url.protocol}//${url.host}`;
    } catch {
      return 'null';
    }
  }

  get top(): WebFrameMainEmulation {
    return this;
  }

  get detached(): boolean {
    return this._contents._destroyed;
  }

  isDestroyed(): boolean {
    return this._contents._destroyed;
  }

  send(channel: string, ...args: unknown[]): void {
    this._contents.send(channel, ...args);
  }

  executeJavaScript(code: string): Promise<unknown> {
    return this._contents.executeJavaScript(code);
  }
}

/** A page's WebContents: what main sees of a window's renderer, backed by a Chromium page in the test process. */
export class WebContentsEmulation extends EventEmitter {
  _url = '';
  _title = '';
  _destroyed = false;
  _crashed = false;
  _loading = false;
  _zoomLevel = 0;
  _devToolsOpened = false;
  _audioMuted = false;
  _windowOpenHandler: WindowOpenHandler | null = null;
  _pendingLoads: { resolve: () => void; reject: (error: Error) => void }[] = [];
  readonly mainFrame: WebFrameMainEmulation;
  /** Per-contents IPC (Electron 17+): handled before ipcMain. */
  readonly ipc: EventEmitter & {
    _handlers: Map<string, (...args: unknown[]) => unknown>;
    handle: (channel: string, handler: (...args: unknown[]) => unknown) => void;
    removeHandler: (channel: string) => void;
  };

  constructor(
    readonly id: number,
    readonly _context: EmulationContext,
    readonly session: SessionEmulation,
    readonly _ownerWindowId: number,
  ) {
    super();
    this.mainFrame = strict(new WebFrameMainEmulation(this), 'WebFrameMain', _context);
    const ipc = Object.assign(new EventEmitter(), {
      _handlers: new Map<string, (...args: unknown[]) => unknown>(),
      handle(channel: string, handler: (...args: unknown[]) => unknown) {
        if (ipc._handlers.has(channel)) throw _context.violation(`webContents.ipc.handle: a second handler for '${channel}'`);
        ipc._handlers.set(channel, handler);
      },
      removeHandler(channel: string) {
        ipc._handlers.delete(channel);
      },
    });
    this.ipc = ipc;
  }

  _alive(method: string): void {
    if (this._destroyed) throw this._context.violation(`webContents.${method}() on destroyed contents: Electron throws "Object has been destroyed"`);
  }

  getURL(): string {
    return this._url;
  }

  getTitle(): string {
    return this._title;
  }

  getType(): string {
    return 'window';
  }

  isDestroyed(): boolean {
    return this._destroyed;
  }

  isCrashed(): boolean {
    return this._crashed;
  }

  isLoading(): boolean {
    return this._loading;
  }

  isLoadingMainFrame(): boolean {
    return this._loading;
  }

  getOSProcessId(): number {
    return 0;
  }

  getProcessId(): number {
    return 1;
  }

  loadURL(url: string): Promise<void> {
    this._alive('loadURL');
    this._loading = true;
    const loaded = new Promise<void>((resolve, reject) => this._pendingLoads.push({ resolve, reject }));
    this._context.control.notify('webContents.load', { webContentsId: this.id, url });
    return loaded;
  }

  loadFile(): Promise<void> {
    throw this._context.violation('webContents.loadFile is not emulated: Collaro serves its pages from its own protocol');
  }

  reload(): void {
    this._alive('reload');
    this._context.control.notify('webContents.reload', { webContentsId: this.id, ignoreCache: false });
  }

  reloadIgnoringCache(): void {
    this._alive('reloadIgnoringCache');
    this._context.control.notify('webContents.reload', { webContentsId: this.id, ignoreCache: true });
  }

  stop(): void {}

  /** Electron clones the arguments with the structured clone algorithm: what cannot be cloned throws here too. */
  send(channel: string, ...args: unknown[]): void {
    this._alive('send');
    const cloned = structuredClone(args);
    this._context.control.notify('webContents.send', { webContentsId: this.id, channel, args: cloned });
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this._windowOpenHandler = handler;
  }

  executeJavaScript(code: string): Promise<unknown> {
    this._alive('executeJavaScript');
    return this._context.control.call('webContents.executeJavaScript', { webContentsId: this.id, code });
  }

  focus(): void {
    this._context.control.notify('webContents.focus', { webContentsId: this.id });
  }

  isFocused(): boolean {
    return this._context.control !== null && this._isFocusedWindow();
  }

  _isFocusedWindow = (): boolean => false;

  openDevTools(): void {
    this._devToolsOpened = true;
    this.emit('devtools-opened');
  }

  closeDevTools(): void {
    this._devToolsOpened = false;
    this.emit('devtools-closed');
  }

  toggleDevTools(): void {
    if (this._devToolsOpened) this.closeDevTools();
    else this.openDevTools();
  }

  inspectElement(): void {
    this.openDevTools();
  }

  isDevToolsOpened(): boolean {
    return this._devToolsOpened;
  }

  getZoomLevel(): number {
    return this._zoomLevel;
  }

  setZoomLevel(level: number): void {
    this._alive('setZoomLevel');
    this._zoomLevel = level;
    this._context.control.notify('webContents.zoom', { webContentsId: this.id, factor: 1.2 ** level });
    this.emit('zoom-changed', electronEvent(), level > 0 ? 'in' : 'out');
  }

  getZoomFactor(): number {
    return 1.2 ** this._zoomLevel;
  }

  setZoomFactor(factor: number): void {
    if (!(factor > 0)) throw this._context.violation('webContents.setZoomFactor needs a factor greater than 0');
    this.setZoomLevel(Math.log(factor) / Math.log(1.2));
  }

  setVisualZoomLevelLimits(): Promise<void> {
    return Promise.resolve();
  }

  _edit(command: EditCommand | 'replaceMisspelling' | 'insertText', text?: string): void {
    this._alive(command);
    this._context.control.notify('webContents.edit', { webContentsId: this.id, command, text: text ?? null });
  }

  undo(): void {
    this._edit('undo');
  }

  redo(): void {
    this._edit('redo');
  }

  cut(): void {
    this._edit('cut');
  }

  copy(): void {
    this._edit('copy');
  }

  paste(): void {
    this._edit('paste');
  }

  pasteAndMatchStyle(): void {
    this._edit('pasteAndMatchStyle');
  }

  delete(): void {
    this._edit('delete');
  }

  selectAll(): void {
    this._edit('selectAll');
  }

  replaceMisspelling(text: string): void {
    this._edit('replaceMisspelling', text);
  }

  insertText(text: string): Promise<void> {
    this._edit('insertText', text);
    return Promise.resolve();
  }

  forcefullyCrashRenderer(): void {
    this._alive('forcefullyCrashRenderer');
    this._context.control.notify('webContents.crash', { webContentsId: this.id });
  }

  setAudioMuted(muted: boolean): void {
    this._audioMuted = muted;
  }

  isAudioMuted(): boolean {
    return this._audioMuted;
  }

  setBackgroundThrottling(): void {}

  setUserAgent(): void {}

  getUserAgent(): string {
    return 'Collaro harness';
  }

  /** Applies what the page did, as Electron's events. */
  _deliver(event: WebContentsEvent): { prevented: boolean } {
    switch (event.type) {
      case 'did-start-navigation': {
        this._loading = !event.isSameDocument;
        const details = electronEvent({
          url: event.url,
          isSameDocument: event.isSameDocument,
          isMainFrame: event.isMainFrame,
          frame: this.mainFrame,
          initiator: undefined,
        });
        this.emit('did-start-navigation', details, event.url, event.isSameDocument, event.isMainFrame, 1, 1);
        return { prevented: false };
      }
      case 'did-navigate':
        this._url = event.url;
        this.emit('did-navigate', electronEvent(), event.url, 200, 'OK');
        return { prevented: false };
      case 'did-navigate-in-page':
        this._url = event.url;
        this.emit('did-navigate-in-page', electronEvent(), event.url, true, 1, 1);
        return { prevented: false };
      case 'dom-ready':
        this.emit('dom-ready', electronEvent());
        return { prevented: false };
      case 'did-finish-load':
        this._loading = false;
        this._crashed = false;
        this.emit('did-finish-load', electronEvent());
        for (const pending of this._pendingLoads.splice(0)) pending.resolve();
        return { prevented: false };
      case 'did-fail-load': {
        this._loading = false;
        this.emit('did-fail-load', electronEvent(), event.errorCode, event.errorDescription, event.url, true, 1, 1);
        const error = Object.assign(new Error(`${event.errorDescription} (${event.errorCode}) loading '${event.url}'`), {
          code: event.errorDescription,
          errno: event.errorCode,
          url: event.url,
        });
        for (const pending of this._pendingLoads.splice(0)) pending.reject(error);
        return { prevented: false };
      }
      case 'page-title-updated': {
        this._title = event.title;
        const titleEvent = electronEvent();
        this.emit('page-title-updated', titleEvent, event.title, true);
        return { prevented: titleEvent.defaultPrevented };
      }
      case 'render-process-gone':
        this._crashed = true;
        this._loading = false;
        this.emit('render-process-gone', electronEvent(), { reason: event.reason, exitCode: event.reason === 'crashed' ? 139 : 9 });
        return { prevented: false };
      case 'console-message':
        this.emit(
          'console-message',
          electronEvent({
            level: ['debug', 'info', 'warning', 'error'][event.level] ?? 'info',
            message: event.message,
            lineNumber: 0,
            sourceId: '',
            frame: this.mainFrame,
          }),
          event.level,
          event.message,
          0,
          '',
        );
        return { prevented: false };
    }
  }

  _destroy(): void {
    if (this._destroyed) return;
    this._destroyed = true;
    const gone = Object.assign(new Error('The window was closed before its page finished loading'), { code: 'ERR_ABORTED', errno: -3 });
    for (const pending of this._pendingLoads.splice(0)) pending.reject(gone);
    this.emit('destroyed');
  }
}
