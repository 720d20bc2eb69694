import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEEP_LINK_SCHEME, DESKTOP_APP_HOST, type NavigationTarget } from '@collaro/shared';
import {
  app,
  BrowserWindow,
  clipboard,
  desktopCapturer,
  dialog,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  powerSaveBlocker,
  safeStorage,
  protocol,
  screen,
  session,
  shell,
  systemPreferences,
  Tray,
  type NativeImage,
} from 'electron';
import { createAppOrigins } from './app-origins.js';
import { createAppProtocolService } from './app-protocol.js';
import { AutoUpdateService, loadElectronUpdater, messageBoxPrompt } from './auto-update.js';
import { CallRingingService } from './call-ringing.js';
import { startClerkBridge } from './clerk-bridge.js';
import { createClerkTokenStorage } from './clerk-token-storage.js';
import { CloseToTrayService } from './close-to-tray.js';
import { buildContentSecurityPolicy, PICKER_CONTENT_SECURITY_POLICY } from './content-security-policy.js';
import { DeepLinkService } from './deep-links.js';
import { DesktopStateStore } from './desktop-state.js';
import { createFocusFeatures } from './focus-features.js';
import { enableWaylandScreenCapture } from './permissions.js';
import { renderIconPng, type IconBadge } from './icon-renderer.js';
import { createEventSender, createIpcRouter, type IpcHandlers } from './ipc-router.js';
import { KeepAwakeDuringCallService } from './keep-awake.js';
import { LoginItemService, xdgAutostartFiles } from './login-item.js';
import { MiniCallWindowService } from './mini-call-window.js';
import { MuteShortcutService } from './mute-shortcut.js';
import { NotificationService } from './notifications.js';
import { ScreenShareService } from './screen-share.js';
import { secondaryWindows } from './secondary-windows.js';
import { createSecurityService } from './security.js';
import { checkServer } from './server-address.js';
import { ServerAuthService } from './server-auth.js';
import { homepage } from '../../package.json';
import { installMenus } from './menus.js';
import { crashDialogPrompt, RendererRecoveryService } from './renderer-recovery.js';
import { SettingsStore } from './settings-store.js';
import { hasTrayHost } from './tray-host.js';
import { TrayService } from './tray.js';
import { trayActionHandler } from './tray-actions.js';
import { WindowRegistry } from './window-registry.js';
import { restoreWindowBounds, trackWindowState } from './window-state.js';
import { appWindowOptions, createSecureWindow } from './windows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const preloadDirectory = path.join(here, '../preload');
const log = (message: string): void => console.warn(`[collaro] ${message}`);

// electron-vite sets ELECTRON_RENDERER_URL for `dev`; a packaged app always serves its own files.
const devServerUrl = !app.isPackaged ? (process.env['ELECTRON_RENDERER_URL'] ?? null) : null;
const origins = createAppOrigins(devServerUrl);

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
  const trayHost = hasTrayHost(process.platform);

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

  enableWaylandScreenCapture(app.commandLine, process.platform, process.env);
  // Before `ready`: this also registers collaro-app as a privileged scheme (see clerk-bridge.ts).
  const clerkBridge = startClerkBridge(createClerkTokenStorage(app.getPath('userData'), safeStorage));
  if (process.defaultApp && process.argv[1]) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [path.resolve(process.argv[1])]);
  } else {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  }

  void app.whenReady().then(() => {
    const appSession = session.defaultSession;
    // The CSP of a loaded page names the server it may reach and how it signs in: a change needs a fresh page.
    const serverAuth = new ServerAuthService({
      settings,
      fetch: (url, init) => net.fetch(url, init),
      onServerChanged: () => appWindow()?.webContents.reload(),
      log,
    });
    const contentSecurityPolicy = (): string =>
      buildContentSecurityPolicy({ backendUrl: settings.get().backendUrl, devServerUrl, clerkFrontendApi: serverAuth.current()?.clerkFrontendApi ?? null });

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
      getBackendUrl: () => settings.get().backendUrl,
      openExternal: (url) => shell.openExternal(url),
      log,
    });
    security.start();

    const recovery = new RendererRecoveryService({ askToReload: crashDialogPrompt(dialog), quit: () => app.quit(), log });
    const contextMenu = installMenus({
      Menu,
      app,
      shell,
      clipboard,
      appWindow,
      onZoomChanged: (zoomLevel) => settings.update({ zoomLevel }),
      helpUrl: homepage,
      platform: process.platform,
    });

    const focus = createFocusFeatures({
      electron: { globalShortcut, systemPreferences, Notification, shell },
      state,
      settings,
      emit,
      showApp,
      notifications: () => notifications,
      log,
    });
    const notifications = new NotificationService({
      state,
      ...focus.notificationDeps,
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

    const ringing = new CallRingingService({
      notifications,
      state,
      onAnswer: (answer) => {
        if (answer.action !== 'decline') showApp();
        emit('calls.answer', answer);
      },
    });

    const popups = secondaryWindows({ BrowserWindow, windows, recovery, screen, origins, preloadDirectory, appWindow });
    const screenShare = new ScreenShareService({
      setDisplayMediaRequestHandler: (handler) => appSession.setDisplayMediaRequestHandler(handler, { useSystemPicker: false }),
      clearDisplayMediaRequestHandler: () => appSession.setDisplayMediaRequestHandler(null),
      getSources: () => desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: { width: 320, height: 200 }, fetchWindowIcons: true }),
      ownMediaSourceIds: () => new Set(windows.all().map((window) => window.getMediaSourceId())),
      appOrigin: origins.app,
      platform: process.platform,
      openPicker: () => popups.openPicker(),
      openSharingBar: () => popups.openSharingBar(),
      onStoppedOutsideApp: (source) => emit('screenShare.stopped', { source }),
      log,
    });

    const onTrayAction = trayActionHandler({
      emit,
      showApp,
      toggleWindow: () => {
        const window = appWindow();
        if (window?.isVisible() && window.isFocused()) window.hide();
        else showApp();
        tray.refresh();
      },
      joinNextMeeting: () => focus.joinNext.trigger('tray'),
      chooseAvailability: (availability) => focus.presenting.choose(availability),
      restartToUpdate: () => updates.restart(),
      setStartAtLogin: (enabled) => settings.update({ startAtLogin: enabled }),
      quit: () => app.quit(),
    });

    const tray = new TrayService({
      state,
      createTray: (image: NativeImage) => new Tray(image),
      buildMenu: (template) => Menu.buildFromTemplate(template),
      images: { idle: trayImage('none'), unread: trayImage('unread'), 'in-call': trayImage('in-call'), 'mic-live': trayImage('mic-live') },
      isWindowVisible: () => appWindow()?.isVisible() ?? false,
      startAtLogin: { get: () => settings.get().startAtLogin, onChange: (listener) => settings.onChange(() => listener()) },
      onAction: onTrayAction,
    });

    const miniCall = new MiniCallWindowService({
      state,
      enabled: { get: () => settings.get().miniCallWindow, onChange: (listener) => settings.onChange(() => listener()) },
      isAppWindowVisible: () => appWindow()?.isVisible() ?? false,
      openWindow: () => popups.openMiniCall(() => emit('miniCall.view', miniCall.view())),
      sendView: (view) => emit('miniCall.view', view),
      setSpeakerWanted: (wanted) => emit('call.speakerWanted', { wanted }),
    });

    const handlers: IpcHandlers = {
      'app.info': () => ({
        version: app.getVersion(),
        platform: process.platform === 'darwin' || process.platform === 'win32' || process.platform === 'linux' ? process.platform : 'other',
        packaged: app.isPackaged,
      }),
      'settings.get': () => settings.forRenderer(focus.joinNext.status()),
      'settings.set': (patch) => {
        focus.checkShortcut(patch.joinNextShortcut);
        settings.applyPatch(patch);
        return settings.forRenderer(focus.joinNext.status());
      },
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- checkServer fetches URL strings, never a Request
      'settings.checkServer': (backendUrl) => checkServer(backendUrl, (input, init) => net.fetch(String(input), init)),
      'notifications.show': (notification) => notifications.show(notification),
      'tray.setMeetings': (meetings) => state.update({ meetings }),
      'tray.setStatus': (availability) => focus.presenting.choose(availability),
      'tray.setUnread': (unread) => state.update({ unread }),
      'call.setState': (call) => {
        // A call goes on with its window hidden: timers (push to talk, the speaker's frames) keep their pace.
        appWindow()?.webContents.setBackgroundThrottling(!call.inCall);
        state.update({ call });
        screenShare.onSharingChanged(call.sharing);
      },
      'call.setSpeaker': (speaker) => miniCall.setSpeaker(speaker),
      'miniCall.command': (command) => {
        if (command === 'show') showApp();
        else if (command === 'leave') emit('call.leave', { source: 'mini-window' });
        else emit('call.toggleMute', { source: 'mini-window' });
      },
      'calls.ring': (call) => ringing.ring(call),
      'calls.stopRinging': ({ callId }) => ringing.stop(callId),
      'deepLinks.ready': () => deepLinks.markReady(),
      'screenShare.listSources': () => screenShare.pickerState(),
      'screenShare.choose': (choice) => screenShare.choose(choice),
      'screenShare.stop': (_input, caller) => {
        if (caller.kind === 'sharing-bar') screenShare.stopFromBar();
        else screenShare.onSharingChanged(false);
      },
      ...focus.handlers,
    };
    const ipc = createIpcRouter({ ipcMain, windows, origins, handlers, log });
    const closeToTray = new CloseToTrayService({ app, platform: process.platform, trayHost, onHidden: () => tray.refresh(), log });
    const loginItem = new LoginItemService({
      app,
      settings,
      platform: process.platform,
      argv: process.argv,
      executable: process.env['APPIMAGE'] ?? app.getPath('exe'),
      autostart: xdgAutostartFiles(),
    });
    const updates = new AutoUpdateService({
      isPackaged: app.isPackaged,
      loadUpdater: loadElectronUpdater,
      state,
      prompt: messageBoxPrompt(dialog),
      prepareToQuit: () => closeToTray.prepareToQuit(),
      log,
    });

    const services = [
      serverAuth,
      recovery,
      ipc,
      ...focus.services,
      notifications,
      ringing,
      screenShare,
      tray,
      miniCall,
      new KeepAwakeDuringCallService({ powerSaveBlocker, state }),
      new MuteShortcutService({ globalShortcut, state, onToggle: () => emit('call.toggleMute', { source: 'shortcut' }), log }),
      closeToTray,
      loginItem,
      updates,
    ];
    for (const service of services) service.start();

    const createAppWindow = (): BrowserWindow => {
      const workAreas = screen.getAllDisplays().map((display) => display.workArea);
      const bounds = restoreWindowBounds(settings.get().windowState, workAreas);
      const window = createSecureWindow(BrowserWindow, appWindowOptions(bounds), path.join(preloadDirectory, 'index.cjs'));
      windows.register(window, 'app');
      trackWindowState(window, (windowState) => settings.update({ windowState }));
      const showFirstTime = (): void => {
        if (bounds.maximized) window.maximize();
        window.show();
      };
      // A start at login stays in the tray, unless there is no tray to come back from.
      window.once('ready-to-show', () => {
        if (!loginItem.openedAtLogin) showFirstTime();
        else void trayHost.then((reachable) => (reachable ? tray.refresh() : showFirstTime()));
      });
      // A reload or a crashed renderer must subscribe again before links are delivered.
      window.webContents.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) deepLinks.markNotReady();
      });
      window.webContents.on('render-process-gone', () => deepLinks.markNotReady());
      recovery.watch(window.webContents);
      contextMenu.attach(window, window.webContents);
      window.webContents.on('did-finish-load', () => window.webContents.setZoomLevel(settings.get().zoomLevel));
      closeToTray.attach(window);
      for (const event of ['show', 'hide', 'minimize', 'restore'] as const) {
        window.on(event as 'show', () => {
          tray.refresh();
          miniCall.refresh();
        });
      }
      void window.loadURL(devServerUrl ?? `${origins.app}/`);
      return window;
    };
    createAppWindow();

    app.on('activate', () => showApp());
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
