import path from 'node:path';
import type { BrowserWindow as ElectronBrowserWindow, Screen } from 'electron';
import type { AppOrigins } from './app-origins.js';
import type { RendererRecoveryService } from './renderer-recovery.js';
import type { WindowRegistry } from './window-registry.js';
import { createSecureWindow, miniCallWindowOptions, pickerWindowOptions, sharingBarWindowOptions, type WindowConstructor } from './windows.js';

export interface SecondaryWindowDeps {
  BrowserWindow: WindowConstructor<ElectronBrowserWindow>;
  windows: WindowRegistry<ElectronBrowserWindow>;
  recovery: Pick<RendererRecoveryService, 'watch'>;
  screen: Pick<Screen, 'getPrimaryDisplay'>;
  origins: AppOrigins;
  /** Where the built preloads are (`out/preload`). */
  preloadDirectory: string;
  appWindow: () => ElectronBrowserWindow | null;
}

/** The small windows around the app window: the screen-share picker, the sharing bar and the call window. */
export function secondaryWindows({ BrowserWindow, windows, recovery, screen, origins, preloadDirectory, appWindow }: SecondaryWindowDeps) {
  const preload = (name: string) => path.join(preloadDirectory, `${name}.cjs`);
  return {
    openPicker(): ElectronBrowserWindow {
      const picker = createSecureWindow(BrowserWindow, { ...pickerWindowOptions(), parent: appWindow() ?? undefined }, preload('picker'));
      windows.register(picker, 'picker');
      recovery.watch(picker.webContents);
      picker.once('ready-to-show', () => picker.show());
      void picker.loadURL(`${origins.picker}/picker.html`);
      return picker;
    },
    openSharingBar(): ElectronBrowserWindow {
      const bar = createSecureWindow(BrowserWindow, sharingBarWindowOptions(screen.getPrimaryDisplay().workArea), preload('sharing-bar'));
      windows.register(bar, 'sharing-bar');
      recovery.watch(bar.webContents);
      bar.setAlwaysOnTop(true, 'screen-saver');
      bar.setVisibleOnAllWorkspaces(true);
      // Keeps the bar itself out of the shared picture where the system supports it.
      bar.setContentProtection(true);
      bar.once('ready-to-show', () => bar.showInactive());
      void bar.loadURL(`${origins.picker}/sharing-bar.html`);
      return bar;
    },
    /** `onLoaded` sends the window its first view: events sent before its page loaded are lost. */
    openMiniCall(onLoaded: () => void): ElectronBrowserWindow {
      const mini = createSecureWindow(BrowserWindow, miniCallWindowOptions(screen.getPrimaryDisplay().workArea), preload('mini-call'));
      windows.register(mini, 'mini-call');
      recovery.watch(mini.webContents);
      mini.setAlwaysOnTop(true, 'floating');
      mini.setVisibleOnAllWorkspaces(true);
      mini.webContents.on('did-finish-load', onLoaded);
      // Shown without taking the focus from whatever the person works in.
      mini.once('ready-to-show', () => mini.showInactive());
      void mini.loadURL(`${origins.picker}/mini-call.html`);
      return mini;
    },
  };
}
