import { EventEmitter } from 'node:events';

/**
 * A stand-in for the parts of Electron that Collaro's main process touches, recording what it is
 * asked to do. It lets the real `src/main/index.ts` run under vitest on a machine with no Electron binary.
 */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}
export const fakeEvent = (): FakeEvent => {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
};

export function createFakeElectron(options: { userData: string; singleInstanceLock: boolean }) {
  let nextContentsId = 1;
  const windows: FakeBrowserWindow[] = [];
  const trays: FakeTray[] = [];
  const notifications: { options: Record<string, unknown>; shown: boolean }[] = [];
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const protocolHandlers = new Map<string, (request: { url: string }) => Promise<Response>>();
  const privilegedSchemes: unknown[] = [];
  const openedExternally: string[] = [];
  const messageBoxes: Record<string, unknown>[] = [];
  const calls = { quit: 0, protocolClients: [] as unknown[][] };
  const sessionHandlers: {
    permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: Record<string, unknown>) => void) | null;
    permissionCheck: ((contents: unknown, permission: string, origin: string, details: unknown) => boolean) | null;
    displayMedia: ((request: Record<string, unknown>, callback: (streams: unknown) => void) => void) | null;
  } = { permissionRequest: null, permissionCheck: null, displayMedia: null };

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    getName: () => 'Collaro',
    requestSingleInstanceLock: () => options.singleInstanceLock,
    hasSingleInstanceLock: () => options.singleInstanceLock,
    quit: () => {
      calls.quit += 1;
    },
    getPath: () => options.userData,
    setPath: () => undefined,
    whenReady: () => Promise.resolve(),
    setAsDefaultProtocolClient: (...args: unknown[]) => {
      calls.protocolClients.push(args);
      return true;
    },
    setAppUserModelId: () => undefined,
    getVersion: () => '0.1.0',
    setBadgeCount: () => true,
    setLoginItemSettings: () => undefined,
    getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
  });

  class FakeWebContents extends EventEmitter {
    readonly id = nextContentsId++;
    readonly sent: [string, unknown][] = [];
    url = '';
    reloads = 0;
    windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
    backgroundThrottling = true;
    setBackgroundThrottling(allowed: boolean): void {
      this.backgroundThrottling = allowed;
    }
    send(channel: string, payload: unknown): void {
      this.sent.push([channel, payload]);
    }
    isDestroyed(): boolean {
      return false;
    }
    getURL(): string {
      return this.url;
    }
    reload(): void {
      this.reloads += 1;
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
      this.windowOpenHandler = handler;
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    destroyed = false;
    visible = false;
    alwaysOnTop = false;
    url = '';
    constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string): Promise<void> {
      this.url = url;
      this.webContents.url = url;
      return Promise.resolve();
    }
    isDestroyed = () => this.destroyed;
    isMinimized = () => false;
    restore = () => undefined;
    show = () => {
      this.visible = true;
      this.emit('show');
    };
    showInactive = () => {
      this.visible = true;
    };
    hide = () => {
      this.visible = false;
      this.emit('hide');
    };
    focus = () => undefined;
    isVisible = () => this.visible;
    isFocused = () => this.visible;
    isMaximized = () => false;
    maximize = () => undefined;
    getNormalBounds = () => ({ x: 0, y: 0, width: 1200, height: 800 });
    getMediaSourceId = () => `window:${this.webContents.id}:0`;
    setAlwaysOnTop = (value: boolean) => {
      this.alwaysOnTop = value;
    };
    setVisibleOnAllWorkspaces = () => undefined;
    setContentProtection = () => undefined;
    setOverlayIcon = () => undefined;
    close = () => {
      const event = fakeEvent();
      this.emit('close', event);
      if (event.defaultPrevented) return;
      this.destroyed = true;
      this.emit('closed');
    };
  }

  class FakeTray {
    menu: { label?: string; click?: () => void }[] = [];
    tooltip = '';
    constructor() {
      trays.push(this);
    }
    setImage = () => undefined;
    setToolTip = (tooltip: string) => {
      this.tooltip = tooltip;
    };
    setContextMenu = (menu: { label?: string; click?: () => void }[]) => {
      this.menu = menu;
    };
    on = () => undefined;
    destroy = () => undefined;
  }

  class FakeNotification {
    static isSupported = () => true;
    readonly record: { options: Record<string, unknown>; shown: boolean };
    constructor(options: Record<string, unknown>) {
      this.record = { options, shown: false };
      notifications.push(this.record);
    }
    on = () => undefined;
    show = () => {
      this.record.shown = true;
    };
  }

  const image = { isEmpty: () => false, toDataURL: () => 'data:image/png;base64,AAAA' };
  const applicationMenu: { current: unknown } = { current: null };
  const module = {
    app,
    // Typed as a plain constructor: EventEmitter's static helpers are not part of what the app uses.
    BrowserWindow: FakeBrowserWindow as new (options: Record<string, unknown>) => FakeBrowserWindow,
    Tray: FakeTray,
    Notification: FakeNotification,
    Menu: { buildFromTemplate: (template: unknown[]) => template, setApplicationMenu: (menu: unknown) => void (applicationMenu.current = menu) },
    clipboard: { writeText: () => undefined },
    nativeImage: { createFromBuffer: () => ({ addRepresentation: () => undefined }) },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: { url: string }) => Promise<Response>) => protocolHandlers.set(scheme, handler),
      unhandle: (scheme: string) => protocolHandlers.delete(scheme),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof sessionHandlers.permissionRequest) => {
          sessionHandlers.permissionRequest = handler;
        },
        setPermissionCheckHandler: (handler: typeof sessionHandlers.permissionCheck) => {
          sessionHandlers.permissionCheck = handler;
        },
        setDisplayMediaRequestHandler: (handler: typeof sessionHandlers.displayMedia) => {
          sessionHandlers.displayMedia = handler;
        },
        webRequest: { onHeadersReceived: () => undefined },
      },
    },
    desktopCapturer: {
      getSources: async () => [
        { id: 'screen:1:0', name: 'Entire screen', display_id: '1', thumbnail: image, appIcon: null },
        { id: 'window:77:0', name: 'Editor', display_id: '', thumbnail: image, appIcon: image },
      ],
    },
    globalShortcut: { register: () => true, unregister: () => undefined, unregisterAll: () => undefined },
    // Electron has getMediaAccessStatus on macOS and Windows only; main asks it only there.
    systemPreferences: {},
    powerSaveBlocker: { start: () => 1, stop: () => true, isStarted: () => true },
    screen: {
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
      getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
    },
    safeStorage: {
      isEncryptionAvailable: () => false,
      encryptString: (text: string) => Buffer.from(text),
      decryptString: (bytes: Buffer) => bytes.toString(),
    },
    dialog: {
      showMessageBox: async (options: Record<string, unknown>) => {
        messageBoxes.push(options);
        return { response: 1 };
      },
    },
    shell: {
      openExternal: async (url: string) => {
        openedExternally.push(url);
      },
    },
  };

  const setSingleInstanceLock = (granted: boolean): void => {
    options.singleInstanceLock = granted;
  };

  return {
    module,
    setSingleInstanceLock,
    windows,
    trays,
    notifications,
    ipcHandlers,
    protocolHandlers,
    privilegedSchemes,
    openedExternally,
    messageBoxes,
    calls,
    sessionHandlers,
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
