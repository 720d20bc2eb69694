import { EventEmitter } from 'node:events';
import type { ControlChannel } from '../control-channel.js';
import type {
  ChildLaunchOptions,
  ContextMenuParams,
  DisplayMediaParams,
  IpcCallParams,
  PermissionRequestParams,
  ProtocolRequestParams,
  RecordedState,
  WebContentsEvent,
} from '../harness-types.js';
import { AppEmulation } from './app.js';
import { installWindowDeps, WindowRegistry } from './browser-window.js';
import { electronEvent, EmulationContext, strict } from './context.js';
import { installMenuDeps, TrayEmulation as Tray } from './menus.js';
import { nativeImage } from './native-image.js';
import { IpcMainEmulation, ProtocolEmulation } from './protocol-and-ipc.js';
import { SessionEmulation } from './session.js';
import {
  createClipboard,
  createDesktopCapturer,
  createDialog,
  createGlobalShortcut,
  createNativeTheme,
  createPowerMonitor,
  createPowerSaveBlocker,
  createSafeStorage,
  createScreen,
  createShell,
  installNotificationDeps,
} from './system.js';
import { createBuiltInAutoUpdater, createElectronUpdater, type UpdateFeed } from './updater.js';
import type { WebContentsEmulation } from './web-contents.js';

/**
 * The `electron` module main imports, built from the emulated parts, and the handlers through which
 * the test process drives it (pages' requests, clicks, OS events) and reads what it recorded.
 */
export function createElectronEmulation(control: ControlChannel, options: ChildLaunchOptions) {
  const context = new EmulationContext(control, options);
  const registry = new WindowRegistry();
  const app = strict(new AppEmulation(context), 'app', context);
  const defaultSession = strict(new SessionEmulation(context), 'session.defaultSession', context);
  const protocol = strict(new ProtocolEmulation(context), 'protocol', context);
  protocol._onHeadersReceived = (url, headers) => defaultSession._applyHeadersListener(url, headers);
  const ipcMain = strict(new IpcMainEmulation(context, (id) => registry.contents.get(id)), 'ipcMain', context);
  const BrowserWindow = installWindowDeps({ context, app, registry, defaultSession: () => defaultSession });
  const { Menu, MenuItem } = installMenuDeps({ context, registry, appName: () => app.getName(), quit: () => app.quit() });
  const Notification = installNotificationDeps(context);
  const globalShortcut = createGlobalShortcut(context);
  const powerSaveBlocker = createPowerSaveBlocker();
  const safeStorage = createSafeStorage(context);
  const shell = createShell();
  const screen = createScreen(context);
  const desktopCapturer = createDesktopCapturer(context, registry);
  const clipboard = createClipboard();
  const dialog = createDialog(context);
  const electronUpdater = createElectronUpdater(context, {
    quit: () => app.quit(),
    createNotification: (notification) => new Notification(notification),
    version: () => app.getVersion(),
  });
  electronUpdater._setFeed(options.updateFeed);
  app._hooks = {
    closeAllWindows: () => {
      for (const window of [...registry.windows.values()]) {
        window.close();
        if (!window.isDestroyed()) return false;
      }
      return true;
    },
    windowCount: () => registry.windows.size,
  };

  const session = {
    get defaultSession() {
      return defaultSession;
    },
    fromPartition(partition: string) {
      if (partition !== '' && partition !== 'default') throw context.violation(`session.fromPartition('${partition}') is not emulated`);
      return defaultSession;
    },
  };

  const webContents = {
    getAllWebContents: () => [...registry.contents.values()],
    fromId: (id: number) => registry.contents.get(id) ?? null,
    getFocusedWebContents: () => registry.focused()?.webContents ?? null,
  };

  const module = {
    app,
    BrowserWindow,
    clipboard,
    desktopCapturer,
    dialog,
    globalShortcut,
    ipcMain,
    Menu,
    MenuItem,
    nativeImage,
    nativeTheme: createNativeTheme(),
    net: { fetch: (input: string | Request, init?: RequestInit) => fetch(input, init), isOnline: () => true, online: true },
    Notification,
    powerMonitor: createPowerMonitor(),
    powerSaveBlocker,
    protocol,
    safeStorage,
    screen,
    session,
    shell,
    systemPreferences: Object.assign(new EventEmitter(), {
      // Electron has these on macOS and Windows only (askForMediaAccess: macOS); main sees Linux here.
      ...(process.platform === 'darwin' || process.platform === 'win32' ? { getMediaAccessStatus: () => 'granted' } : {}),
      ...(process.platform === 'darwin' ? { askForMediaAccess: () => Promise.resolve(true) } : {}),
      getAnimationSettings: () => ({ shouldRenderRichAnimation: true, scrollAnimationsEnabledBySystem: true, prefersReducedMotion: false }),
    }),
    Tray,
    webContents,
    autoUpdater: createBuiltInAutoUpdater(context),
    crashReporter: { start: () => undefined, getUploadedReports: () => [] },
  };

  const contentsById = (id: number): WebContentsEmulation => {
    const contents = registry.contents.get(id);
    if (!contents) throw new Error(`main has no webContents ${id} (closed?)`);
    return contents;
  };

  control.handle('protocol.request', (params: ProtocolRequestParams) => protocol._serve(params));
  control.handle('ipc.invoke', (params: IpcCallParams) => ipcMain._invoke(params));
  control.handle('ipc.send', (params: IpcCallParams) => ipcMain._send(params));
  control.handle('permission.request', (params: PermissionRequestParams) => defaultSession._requestPermission(contentsById(params.webContentsId), params));
  control.handle('permission.check', (params: PermissionRequestParams & { mediaType?: string }) =>
    defaultSession._checkPermission(registry.contents.get(params.webContentsId) ?? null, params.permission, params.requestingUrl, params.mediaType),
  );
  control.handle('displayMedia.request', (params: DisplayMediaParams) => {
    const contents = contentsById(params.webContentsId);
    contents._url = params.frameUrl;
    return defaultSession._requestDisplayMedia(contents, params, () => desktopCapturer._offered);
  });
  control.handle('webContents.event', (params: { webContentsId: number; event: WebContentsEvent }) => {
    const contents = registry.contents.get(params.webContentsId);
    return contents ? contents._deliver(params.event) : { prevented: false };
  });
  control.handle('webContents.willNavigate', (params: { webContentsId: number; url: string }) => {
    const contents = contentsById(params.webContentsId);
    const event = electronEvent({ url: params.url, isSameDocument: false, isMainFrame: true, frame: contents.mainFrame, initiator: contents.mainFrame });
    contents.emit('will-frame-navigate', event);
    if (!event.defaultPrevented) contents.emit('will-navigate', event, params.url, false, true, 1, 1);
    return { prevented: event.defaultPrevented };
  });
  control.handle('webContents.windowOpen', (params: { webContentsId: number; url: string; frameName: string; features: string }) => {
    const contents = contentsById(params.webContentsId);
    const handler = contents._windowOpenHandler;
    const decision = handler
      ? handler({
          url: params.url,
          frameName: params.frameName,
          features: params.features,
          disposition: 'new-window',
          referrer: { url: contents._url, policy: 'strict-origin-when-cross-origin' },
        })
      : { action: 'allow' as const };
    if (decision.action === 'allow') context.violation(`a page opened ${params.url} in a new Electron window; the harness does not emulate child windows`);
    return { action: decision.action };
  });
  control.handle('webContents.contextMenu', (params: { webContentsId: number; params: ContextMenuParams }) => {
    const contents = contentsById(params.webContentsId);
    contents.emit('context-menu', electronEvent(), { ...params.params, frame: contents.mainFrame });
    return Menu._popups.filter((menu) => menu._open).length;
  });
  control.handle('webContents.reloadAsMain', (params: { webContentsId: number }) => contentsById(params.webContentsId).reload());
  control.handle('window.userClose', (params: { windowId: number }) => registry.windows.get(params.windowId)?.close());
  control.handle('tray.click', (params: { path: string[] }) => {
    const tray = [...Tray._all].reverse().find((candidate) => !candidate._destroyed);
    if (!tray) throw new Error('main has no tray');
    if (!tray._menu) throw new Error('the tray has no context menu');
    tray._menu._click(params.path);
  });
  control.handle('tray.event', (params: { type: 'click' | 'double-click' | 'right-click' }) => {
    const tray = [...Tray._all].reverse().find((candidate) => !candidate._destroyed);
    if (!tray) throw new Error('main has no tray');
    tray.emit(params.type, electronEvent(), tray.getBounds());
  });
  control.handle('menu.click', (params: { which: 'application' | 'context'; path: string[] }) => {
    const menu = params.which === 'application' ? Menu.getApplicationMenu() : ([...Menu._popups].reverse().find((candidate) => candidate._open) ?? null);
    if (!menu) throw new Error(params.which === 'application' ? 'main set no application menu' : 'no context menu is open');
    menu._click(params.path);
  });
  control.handle('notification.click', (params: { id: number; actionIndex: number | null }) => {
    const notification = Notification._all.find((candidate) => candidate._id === params.id);
    if (!notification?._shown) throw new Error(`notification ${params.id} was never shown`);
    if (params.actionIndex === null) notification.emit('click', electronEvent());
    else notification.emit('action', electronEvent(), params.actionIndex);
  });
  control.handle('notification.userClose', (params: { id: number }) => {
    const notification = Notification._all.find((candidate) => candidate._id === params.id);
    if (!notification) throw new Error(`notification ${params.id} was never created`);
    notification._userClose();
  });
  control.handle('shortcut.press', (params: { accelerator: string }) => {
    const callback = globalShortcut._registered.get(params.accelerator);
    if (!callback) throw new Error(`no global shortcut ${params.accelerator} is registered`);
    callback();
  });
  control.handle('app.openUrl', (params: { url: string }) => app.emit('open-url', electronEvent(), params.url));
  control.handle('app.secondInstance', (params: { argv: string[]; workingDirectory: string; additionalData: unknown }) =>
    app.emit('second-instance', electronEvent(), params.argv, params.workingDirectory, params.additionalData),
  );
  control.handle('app.activate', () => app.emit('activate', electronEvent(), registry.windows.size > 0));
  control.handle('app.quit', () => app.quit());
  control.handle('dialog.answer', (params: { messageIncludes: string; response: number }) => {
    const open = dialog._shown.find((shown) => !shown.answered && shown.message.includes(params.messageIncludes));
    if (!open) throw new Error(`no open dialog says "${params.messageIncludes}"`);
    open.answered = true;
    open.answer(params.response);
  });
  control.handle('updater.setFeed', (params: { feed: UpdateFeed }) => electronUpdater._setFeed(params.feed));
  control.handle('powerMonitor.emit', (params: { event: string }) => module.powerMonitor.emit(params.event));
  control.handle('state.snapshot', (): RecordedState => ({
    ready: context.ready,
    quitting: context.quitting,
    appName: app.getName(),
    windows: [...registry.windows.values()].map((window) => window._snapshot()),
    trays: Tray._all.map((tray) => ({
      id: tray._id,
      toolTip: tray._toolTip,
      image: (tray._image as { toDataURL?: () => string } | null)?.toDataURL?.() ?? null,
      destroyed: tray._destroyed,
      menu: tray._menu?._snapshot() ?? null,
    })),
    notifications: Notification._all.map((notification) => ({
      id: notification._id,
      title: notification.title,
      body: notification.body,
      silent: notification.silent,
      actions: notification.actions,
      timeoutType: notification.timeoutType,
      shown: notification._shown,
      closed: notification._closed,
    })),
    applicationMenu: Menu.getApplicationMenu()?._snapshot() ?? null,
    contextMenus: Menu._popups.map((menu, index) => ({ id: index, menu: menu._snapshot(), windowId: menu._popupWindowId, open: menu._open })),
    privilegedSchemes: protocol._privileged.map((scheme) => ({ scheme: scheme.scheme, privileges: scheme.privileges ?? {} })),
    handledProtocols: [...protocol._handlers.keys()],
    defaultProtocolClients: app._protocolClients,
    globalShortcuts: [...globalShortcut._registered.keys()],
    commandLineSwitches: Object.fromEntries(app._switches),
    powerSaveBlockers: [...powerSaveBlocker._blockers].map(([id, blocker]) => ({ id, ...blocker })),
    openedExternally: shell._opened,
    loginItemSettings: app._loginItemSettings,
    badgeCount: app._badgeCount,
    ipcHandlers: [...ipcMain._handlers.keys()].sort(),
    ipcListeners: ipcMain.eventNames().map(String).sort(),
    clipboardText: clipboard.readText(),
    displayMediaGrants: defaultSession._displayMediaGrants,
    dialogs: dialog._shown.map(({ type, title, message, buttons }) => ({ type, title, message, buttons })),
    updater: { ...electronUpdater._counters, feed: electronUpdater._feed() },
    spellCheckerLanguages: defaultSession._spellCheckerLanguages,
    logs: context.logs,
  }));

  return { module, electronUpdater, app, context, openUrlsBeforeReady: options.openUrlsBeforeReady };
}

/** The names main may import from 'electron'; the loader shim exports exactly these. */
export const EMULATED_EXPORTS = [
  'app',
  'autoUpdater',
  'BrowserWindow',
  'clipboard',
  'crashReporter',
  'desktopCapturer',
  'dialog',
  'globalShortcut',
  'ipcMain',
  'Menu',
  'MenuItem',
  'nativeImage',
  'nativeTheme',
  'net',
  'Notification',
  'powerMonitor',
  'powerSaveBlocker',
  'protocol',
  'safeStorage',
  'screen',
  'session',
  'shell',
  'systemPreferences',
  'Tray',
  'webContents',
] as const;
