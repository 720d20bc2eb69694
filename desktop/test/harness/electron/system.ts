import { createCipheriv, createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { EmulationContext } from './context.js';
import type { WindowRegistry } from './browser-window.js';
import { NativeImageEmulation, solidPng } from './native-image.js';

/** `Notification`: shown notifications are recorded; the test clicks them or one of their actions. */
let notificationContext: EmulationContext;
let nextNotificationId = 1;
const allNotifications: NotificationEmulation[] = [];

export function installNotificationDeps(context: EmulationContext): typeof NotificationEmulation {
  notificationContext = context;
  return NotificationEmulation;
}

export class NotificationEmulation extends EventEmitter {
  readonly _id = nextNotificationId++;
  _shown = false;
  _closed = false;
  title: string;
  body: string;
  silent: boolean;
  actions: { type: string; text: string }[];

  static readonly _all = allNotifications;

  static isSupported(): boolean {
    return true;
  }

  timeoutType: string;

  constructor(options: { title?: string; body?: string; silent?: boolean; actions?: { type: string; text: string }[]; timeoutType?: string } = {}) {
    super();
    this.timeoutType = options.timeoutType ?? 'default';
    this.title = options.title ?? '';
    this.body = options.body ?? '';
    this.silent = options.silent === true;
    this.actions = options.actions ?? [];
    allNotifications.push(this);
  }

  show(): void {
    notificationContext.requireReady('Notification.show()');
    this._shown = true;
    this._closed = false;
    notificationContext.control.notify('notification.shown', { id: this._id, title: this.title });
    this.emit('show', {});
  }

  close(): void {
    if (this._closed) return;
    this._closed = true;
    this.emit('close', {});
  }

  /** The person closed it. Linux (libnotify) reports no reason; Windows would say `userCanceled`. */
  _userClose(): void {
    if (!this._shown || this._closed) throw new Error(`notification ${this._id} is not on screen`);
    this._closed = true;
    this.emit('close', { reason: process.platform === 'win32' ? 'userCanceled' : undefined });
  }
}

export function createGlobalShortcut(context: EmulationContext) {
  const registered = new Map<string, () => void>();
  return {
    _registered: registered,
    register(accelerator: string, callback: () => void): boolean {
      context.requireReady('globalShortcut.register()');
      if (registered.has(accelerator)) return false;
      registered.set(accelerator, callback);
      return true;
    },
    registerAll(accelerators: string[], callback: () => void): void {
      for (const accelerator of accelerators) this.register(accelerator, callback);
    },
    isRegistered: (accelerator: string) => registered.has(accelerator),
    unregister: (accelerator: string) => {
      registered.delete(accelerator);
    },
    unregisterAll: () => registered.clear(),
  };
}

export function createPowerSaveBlocker() {
  let nextId = 1;
  const blockers = new Map<number, { type: string; active: boolean }>();
  return {
    _blockers: blockers,
    start(type: string): number {
      const id = nextId++;
      blockers.set(id, { type, active: true });
      return id;
    },
    stop(id: number): boolean {
      const blocker = blockers.get(id);
      if (!blocker?.active) return false;
      blocker.active = false;
      return true;
    },
    isStarted: (id: number) => blockers.get(id)?.active === true,
  };
}

// Chromium's Linux fallback ("v10"): the same bytes a real Electron writes without a keyring.
const V10_KEY = pbkdf2Sync('peanuts', 'saltysalt', 1, 16, 'sha1');
const V10_IV = Buffer.alloc(16, ' ');

export function createSafeStorage(context: EmulationContext) {
  const available = () => context.ready && context.options.safeStorageAvailable;
  return {
    isEncryptionAvailable: available,
    isAsyncEncryptionAvailable: () => Promise.resolve(available()),
    getSelectedStorageBackend: () => (context.options.safeStorageAvailable ? 'gnome_libsecret' : 'basic_text'),
    setUsePlainTextEncryption: () => undefined,
    encryptString(plainText: string): Buffer {
      if (!available()) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
      const cipher = createCipheriv('aes-128-cbc', V10_KEY, V10_IV);
      return Buffer.concat([Buffer.from('v10'), cipher.update(plainText, 'utf8'), cipher.final()]);
    },
    decryptString(encrypted: Buffer): string {
      if (!available()) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.');
      if (!Buffer.isBuffer(encrypted) || encrypted.subarray(0, 3).toString() !== 'v10') {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      }
      const decipher = createDecipheriv('aes-128-cbc', V10_KEY, V10_IV);
      return Buffer.concat([decipher.update(encrypted.subarray(3)), decipher.final()]).toString('utf8');
    },
  };
}

export function createShell() {
  const opened: string[] = [];
  return {
    _opened: opened,
    openExternal(url: string): Promise<void> {
      opened.push(url);
      return Promise.resolve();
    },
    openPath(filePath: string): Promise<string> {
      opened.push(filePath);
      return Promise.resolve('');
    },
    showItemInFolder: (filePath: string) => {
      opened.push(filePath);
    },
    trashItem: () => Promise.resolve(),
    beep: () => undefined,
  };
}

export function createScreen(context: EmulationContext) {
  const emitter = new EventEmitter();
  const display = (index: number) => {
    const source = context.options.displays[index]!;
    return {
      id: source.id,
      label: `Display ${index + 1}`,
      bounds: { ...source.bounds },
      workArea: { ...source.workArea },
      size: { width: source.bounds.width, height: source.bounds.height },
      workAreaSize: { width: source.workArea.width, height: source.workArea.height },
      scaleFactor: source.scaleFactor,
      rotation: 0,
      internal: index === 0,
      monochrome: false,
      colorDepth: 24,
      colorSpace: '',
      depthPerComponent: 8,
      displayFrequency: 60,
      detected: true,
      touchSupport: 'unknown',
      accelerometerSupport: 'unknown',
      maximumCursorSize: { width: 0, height: 0 },
      nativeOrigin: { x: source.bounds.x, y: source.bounds.y },
    };
  };
  const ready = (what: string) => context.requireReady(`screen.${what}()`);
  return Object.assign(emitter, {
    getPrimaryDisplay: () => (ready('getPrimaryDisplay'), display(0)),
    getAllDisplays: () => (ready('getAllDisplays'), context.options.displays.map((_, index) => display(index))),
    getDisplayNearestPoint: () => display(0),
    getDisplayMatching: () => display(0),
    getCursorScreenPoint: () => ({ x: 0, y: 0 }),
    screenToDipPoint: (point: { x: number; y: number }) => point,
    dipToScreenPoint: (point: { x: number; y: number }) => point,
  });
}

/** `desktopCapturer`: the machine's screens, other applications' windows and Collaro's own windows. */
export function createDesktopCapturer(context: EmulationContext, registry: WindowRegistry) {
  const offered: { id: string; name: string }[] = [];
  return {
    _offered: offered,
    async getSources(options: { types: string[]; thumbnailSize?: { width: number; height: number }; fetchWindowIcons?: boolean }) {
      context.requireReady('desktopCapturer.getSources()');
      if (!Array.isArray(options?.types) || options.types.length === 0) throw new Error('desktopCapturer.getSources: types must name screen and/or window');
      const size = options.thumbnailSize ?? { width: 150, height: 150 };
      const picture = (rgb: [number, number, number]) =>
        size.width > 0 && size.height > 0
          ? new NativeImageEmulation(solidPng(Math.min(size.width, 32), Math.min(size.height, 20), rgb), size)
          : new NativeImageEmulation(null);
      const sources: { id: string; name: string; display_id: string; thumbnail: NativeImageEmulation; appIcon: NativeImageEmulation | null }[] = [];
      if (options.types.includes('screen')) {
        context.options.displays.forEach((display, index) => {
          sources.push({
            id: `screen:${display.id}:0`,
            name: context.options.displays.length === 1 ? 'Entire Screen' : `Screen ${index + 1}`,
            display_id: String(display.id),
            thumbnail: picture([30, 64, 175]),
            appIcon: null,
          });
        });
      }
      if (options.types.includes('window')) {
        let nextWindow = 1000;
        for (const window of context.options.capturableWindows) {
          sources.push({
            id: `window:${nextWindow++}:0`,
            name: window.name,
            display_id: '',
            thumbnail: window.hasThumbnail ? picture([22, 163, 74]) : new NativeImageEmulation(null),
            appIcon: options.fetchWindowIcons ? new NativeImageEmulation(solidPng(16, 16, [200, 200, 200])) : null,
          });
        }
        for (const window of registry.windows.values()) {
          if (!window.isVisible()) continue;
          sources.push({ id: window.getMediaSourceId(), name: window.getTitle(), display_id: '', thumbnail: picture([17, 24, 39]), appIcon: null });
        }
      }
      offered.splice(0, offered.length, ...sources.map((source) => ({ id: source.id, name: source.name })));
      return sources;
    },
  };
}

export function createClipboard() {
  let text = '';
  let html = '';
  return {
    readText: () => text,
    writeText: (value: string) => {
      text = value;
    },
    readHTML: () => html,
    writeHTML: (value: string) => {
      html = value;
    },
    write: (data: { text?: string; html?: string }) => {
      text = data.text ?? text;
      html = data.html ?? html;
    },
    clear: () => {
      text = '';
      html = '';
    },
    availableFormats: () => (text ? ['text/plain'] : []),
    has: (format: string) => format === 'text/plain' && text !== '',
  };
}

/** `dialog`: message boxes wait for the test to answer, as they wait for a user. */
export function createDialog(context: EmulationContext) {
  const shown: { type: string; title: string; message: string; buttons: string[]; answer: (response: number) => void; answered: boolean }[] = [];
  return {
    _shown: shown,
    showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
      const options = (args.length > 1 ? args[1] : args[0]) as { type?: string; title?: string; message?: string; buttons?: string[] };
      return new Promise((resolve) => {
        shown.push({
          type: options.type ?? 'none',
          title: options.title ?? '',
          message: options.message ?? '',
          buttons: options.buttons ?? ['OK'],
          answered: false,
          answer: (response) => resolve({ response, checkboxChecked: false }),
        });
        context.control.notify('dialog.shown', { message: options.message ?? '' });
      });
    },
    showMessageBoxSync(): number {
      throw context.violation('dialog.showMessageBoxSync blocks main; the harness cannot answer it (use showMessageBox)');
    },
    showErrorBox(title: string, content: string): void {
      shown.push({ type: 'error', title, message: content, buttons: ['OK'], answered: true, answer: () => undefined });
    },
    showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
    showSaveDialog: () => Promise.resolve({ canceled: true, filePath: '' }),
  };
}

export function createPowerMonitor() {
  return Object.assign(new EventEmitter(), {
    getSystemIdleTime: () => 0,
    getSystemIdleState: () => 'active',
    isOnBatteryPower: () => false,
    onBatteryPower: false,
  });
}

export function createNativeTheme() {
  return Object.assign(new EventEmitter(), {
    shouldUseDarkColors: false,
    shouldUseHighContrastColors: false,
    shouldUseInvertedColorScheme: false,
    themeSource: 'system',
  });
}
