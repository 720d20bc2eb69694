import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEEP_LINK_SCHEME, DESKTOP_APP_HOST, type NavigationTarget } from '@collaro/shared';
import {
  app,
  BrowserWindow,
  desktopCapturer,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  powerSaveBlocker,
  safeStorage,
  protocol,
  screen,
  session,
  shell,
  Tray,
  type NativeImage,
} from 'electron';
import { createClerkBridge } from '@clerk/electron';
import { createAppOrigins } from './app-origins.js';
import { APP_PROTOCOL_SCHEME, createAppProtocolService } from './app-protocol.js';
import { AutoUpdateService } from './auto-update.js';
import { createClerkTokenStorage } from './clerk-token-storage.js';
import { buildContentSecurityPolicy, PICKER_CONTENT_SECURITY_POLICY } from './content-security-policy.js';
import { DeepLinkService } from './deep-links.js';
import { DesktopStateStore } from './desktop-state.js';
import { renderIconPng, type IconBadge } from './icon-renderer.js';
import { createEventSender, createIpcRouter, type IpcHandlers } from './ipc-router.js';
import { KeepAwakeDuringCallService } from './keep-awake.js';
import { LoginItemService } from './login-item.js';
import { MuteShortcutService } from './mute-shortcut.js';
import { NotificationService } from './notifications.js';
import { ScreenShareService } from './screen-share.js';
import { createSecurityService } from './security.js';
import { SettingsStore } from './settings-store.js';
import { TrayService } from './tray.js';
import type { TrayAction } from './tray-menu.js';
import { WindowRegistry } from './window-registry.js';
import { restoreWindowBounds, trackWindowState } from './window-state.js';
import { appWindowOptions, createSecureWindow, pickerWindowOptions, sharingBarWindowOptions } from './windows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const preloads = {
  app: path.join(here, '../preload/index.cjs'),
  picker: path.join(here, '../preload/picker.cjs'),
  sharingBar: path.join(here, '../preload/sharing-bar.cjs'),
};
const log = (message: string): void => console.warn(`[collaro] ${message}`);

// electron-vite sets ELECTRON_RENDERER_URL for `dev`; a packaged app always serves its own files.
const devServerUrl = !app.isPackaged ? (process.env['ELECTRON_RENDERER_URL'] ?? null) : null;
const origins = createAppOrigins(devServerUrl);

// Must happen before `ready`: the scheme needs its privileges (secure context, fetch) from the start.
protocol.registerSchemesAsPrivileged([APP_PROTOCOL_SCHEME]);

// Development and the smoke test run against a throwaway profile; a packaged app always uses the real one.
const userDataOverride = !app.isPackaged ? process.env['COLLARO_USER_DATA_DIR'] : undefined;
if (userDataOverride) app.setPath('userData', userDataOverride);

if (!app.requestSingleInstanceLock()) {
  // Another Collaro is running: it receives our arguments (and any link in them) via `second-instance`.
  app.quit();
} else {
  startCollaro();
}

function trayImage(badge: IconBadge): NativeImage {
  const image = nativeImage.createFromBuffer(renderIconPng(16, badge), { scaleFactor: 1 });
  image.addRepresentation({ scaleFactor: 2, buffer: renderIconPng(32, badge) });
  return image;
}

function startCollaro(): void {
  if (process.platform === 'win32') app.setAppUserModelId('dev.collaro.desktop');
  const settings = new SettingsStore(app.getPath('userData'));
  const state = new DesktopStateStore();
  const windows = new WindowRegistry<BrowserWindow>();
  const emit = createEventSender(windows, log);
  let quitting = false;

  const appWindow = (): BrowserWindow | null => windows.find('app');
  const showApp = (): void => {
    const window = appWindow();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  const deepLinks = new DeepLinkService({
    app,
    argv: process.argv,
    getBackendUrl: () => settings.get().backendUrl,
    deliver: (event) => emit('deepLinks.open', event),
    focusApp: showApp,
  });
  // `open-url` can arrive before `ready` on macOS when a link launches the app.
  deepLinks.start();

  // Clerk sign-in (when the server uses Clerk) keeps its client token in this process, since the
  // app's own origin cannot hold Clerk's cookies. Collaro already holds the single-instance lock.
  const clerkBridge = createClerkBridge({
    storage: createClerkTokenStorage(app.getPath('userData'), safeStorage),
    manageSingleInstanceLock: false,
  });
  if (process.defaultApp && process.argv[1]) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [path.resolve(process.argv[1])]);
  } else {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  }

  void app.whenReady().then(() => {
    const appSession = session.defaultSession;
    const contentSecurityPolicy = (): string => buildContentSecurityPolicy({ backendUrl: settings.get().backendUrl, devServerUrl });

    const appProtocol = createAppProtocolService({
      protocol,
      sites: {
        [DESKTOP_APP_HOST]: { root: path.join(here, '../renderer'), spaFallback: true, contentSecurityPolicy },
        picker: { root: path.join(here, '../picker'), spaFallback: false, contentSecurityPolicy: () => PICKER_CONTENT_SECURITY_POLICY },
      },
    });
    appProtocol.start();

    if (devServerUrl) {
      // The dev server does not know Collaro's CSP; add it so development runs under the same rules.
      appSession.webRequest.onHeadersReceived({ urls: [`${origins.app}/*`] }, (details, callback) => {
        callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
      });
    }

    const security = createSecurityService({
      app,
      session: appSession,
      origins,
      openExternal: (url) => shell.openExternal(url),
      log,
    });
    security.start();

    const notifications = new NotificationService({
      state,
      isSupported: () => Notification.isSupported(),
      createNotification: (options) => new Notification(options),
      isAppFocused: () => {
        const window = appWindow();
        return window !== null && window.isVisible() && window.isFocused();
      },
      onClicked: (target: NavigationTarget) => {
        showApp();
        emit('notifications.clicked', target);
      },
      setBadgeCount: (count) => {
        if (process.platform === 'win32') {
          appWindow()?.setOverlayIcon(count > 0 ? trayImage('unread') : null, count > 0 ? `${count} unread` : '');
        } else {
          app.setBadgeCount(count);
        }
      },
      platform: process.platform,
    });

    const screenShare = new ScreenShareService({
      setDisplayMediaRequestHandler: (handler) => appSession.setDisplayMediaRequestHandler(handler, { useSystemPicker: false }),
      clearDisplayMediaRequestHandler: () => appSession.setDisplayMediaRequestHandler(null),
      getSources: () => desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: { width: 320, height: 200 }, fetchWindowIcons: true }),
      ownMediaSourceIds: () => new Set(windows.all().map((window) => window.getMediaSourceId())),
      appOrigin: origins.app,
      platform: process.platform,
      openPicker: () => {
        const picker = createSecureWindow(BrowserWindow, { ...pickerWindowOptions(), parent: appWindow() ?? undefined }, preloads.picker);
        windows.register(picker, 'picker');
        picker.once('ready-to-show', () => picker.show());
        void picker.loadURL(`${origins.picker}/picker.html`);
        return picker;
      },
      openSharingBar: () => {
        const bar = createSecureWindow(BrowserWindow, sharingBarWindowOptions(screen.getPrimaryDisplay().workArea), preloads.sharingBar);
        windows.register(bar, 'sharing-bar');
        bar.setAlwaysOnTop(true, 'screen-saver');
        bar.setVisibleOnAllWorkspaces(true);
        // Keeps the bar itself out of the shared picture where the system supports it.
        bar.setContentProtection(true);
        bar.once('ready-to-show', () => bar.showInactive());
        void bar.loadURL(`${origins.picker}/sharing-bar.html`);
        return bar;
      },
      onStoppedOutsideApp: (source) => emit('screenShare.stopped', { source }),
      log,
    });

    const onTrayAction = (action: TrayAction): void => {
      switch (action.type) {
        case 'join-meeting':
          showApp();
          emit('tray.joinMeeting', { meetingId: action.meetingId });
          return;
        case 'start-instant-meeting':
          showApp();
          emit('tray.startInstantMeeting', {});
          return;
        case 'set-availability':
          state.update({ availability: action.availability });
          emit('tray.statusChanged', action.availability);
          return;
        case 'toggle-mute':
          emit('call.toggleMute', { source: 'tray' });
          return;
        case 'leave-call':
          emit('call.leave', { source: 'tray' });
          return;
        case 'toggle-window': {
          const window = appWindow();
          if (window?.isVisible() && window.isFocused()) window.hide();
          else showApp();
          tray.refresh();
          return;
        }
        case 'quit':
          app.quit();
          return;
      }
    };

    const tray = new TrayService({
      state,
      createTray: (image: NativeImage) => new Tray(image),
      buildMenu: (template) => Menu.buildFromTemplate(template),
      images: { idle: trayImage('none'), unread: trayImage('unread'), 'in-call': trayImage('in-call') },
      isWindowVisible: () => appWindow()?.isVisible() ?? false,
      onAction: onTrayAction,
    });

    const handlers: IpcHandlers = {
      'app.info': () => ({
        version: app.getVersion(),
        platform: process.platform === 'darwin' || process.platform === 'win32' || process.platform === 'linux' ? process.platform : 'other',
        packaged: app.isPackaged,
      }),
      'settings.get': () => settings.forRenderer(),
      'settings.set': (patch) => {
        // Saving an address, even the default one, answers the first-run question.
        settings.update({
          ...(patch.backendUrl !== undefined ? { backendUrl: patch.backendUrl, backendUrlConfirmed: true } : {}),
          ...(patch.startAtLogin !== undefined ? { startAtLogin: patch.startAtLogin } : {}),
        });
        return settings.forRenderer();
      },
      'notifications.show': (notification) => notifications.show(notification),
      'tray.setMeetings': (meetings) => state.update({ meetings }),
      'tray.setStatus': (availability) => state.update({ availability }),
      'tray.setUnread': (unread) => state.update({ unread }),
      'call.setState': (call) => {
        state.update({ call });
        screenShare.onSharingChanged(call.sharing);
      },
      'deepLinks.ready': () => deepLinks.markReady(),
      'screenShare.listSources': () => screenShare.pickerState(),
      'screenShare.choose': (choice) => screenShare.choose(choice),
      'screenShare.stop': (_input, caller) => {
        if (caller.kind === 'sharing-bar') screenShare.stopFromBar();
        else screenShare.onSharingChanged(false);
      },
    };
    const ipc = createIpcRouter({ ipcMain, windows, origins, handlers, log });

    const services = [
      ipc,
      notifications,
      screenShare,
      tray,
      new KeepAwakeDuringCallService({ powerSaveBlocker, state }),
      new MuteShortcutService({ globalShortcut, state, onToggle: () => emit('call.toggleMute', { source: 'shortcut' }), log }),
      new LoginItemService({ app, settings, platform: process.platform }),
      new AutoUpdateService({
        isPackaged: app.isPackaged,
        updater: async () => (await import('electron-updater')).default.autoUpdater,
        log,
      }),
    ];
    for (const service of services) service.start();

    // The CSP of a loaded page names the server it may reach: a new address needs a fresh page.
    let loadedBackendUrl = settings.get().backendUrl;
    settings.onChange((next) => {
      if (next.backendUrl === loadedBackendUrl) return;
      loadedBackendUrl = next.backendUrl;
      setImmediate(() => appWindow()?.webContents.reload());
    });

    const createAppWindow = (): BrowserWindow => {
      const workAreas = screen.getAllDisplays().map((display) => display.workArea);
      const bounds = restoreWindowBounds(settings.get().windowState, workAreas);
      const window = createSecureWindow(BrowserWindow, appWindowOptions(bounds), preloads.app);
      windows.register(window, 'app');
      trackWindowState(window, (windowState) => settings.update({ windowState }));
      window.once('ready-to-show', () => {
        if (bounds.maximized) window.maximize();
        window.show();
      });
      // A reload or a crashed renderer must subscribe again before links are delivered.
      window.webContents.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) deepLinks.markNotReady();
      });
      window.webContents.on('render-process-gone', (_event, details) => {
        deepLinks.markNotReady();
        log(`Renderer gone: ${details.reason}`);
      });
      // Closing the window keeps Collaro in the tray, reachable for the next meeting.
      window.on('close', (event) => {
        if (!quitting) {
          event.preventDefault();
          window.hide();
          tray.refresh();
        }
      });
      window.on('show', () => tray.refresh());
      window.on('hide', () => tray.refresh());
      void window.loadURL(devServerUrl ?? `${origins.app}/`);
      return window;
    };
    createAppWindow();

    app.on('activate', () => showApp());
    app.on('before-quit', () => {
      quitting = true;
    });
    app.on('will-quit', () => {
      for (const service of [...services].reverse()) service.dispose();
      clerkBridge.cleanup();
      deepLinks.dispose();
      security.dispose();
      appProtocol.dispose();
      globalShortcut.unregisterAll();
    });
  });
}
