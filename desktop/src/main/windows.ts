import type { BrowserWindowConstructorOptions } from 'electron';

/** What windows.ts needs of Electron's BrowserWindow constructor; tests pass a recording fake. */
export type WindowConstructor<W> = new (options: BrowserWindowConstructorOptions) => W;

/**
 * The one place Collaro creates windows: every page runs isolated and sandboxed, with no Node.js in
 * reach, and middle-click cannot open links in new windows. The preferences are spelled out here, at
 * the construction site, so static checks (electronegativity) see them too.
 */
export function createSecureWindow<W>(
  BrowserWindow: WindowConstructor<W>,
  options: Omit<BrowserWindowConstructorOptions, 'webPreferences'>,
  preload: string,
): W {
  return new BrowserWindow({
    ...options,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: true,
      safeDialogs: true,
    },
  });
}

type WindowOptions = Omit<BrowserWindowConstructorOptions, 'webPreferences'>;

export function appWindowOptions(bounds: { x: number; y: number; width: number; height: number }): WindowOptions {
  return {
    ...bounds,
    minWidth: 720,
    minHeight: 480,
    title: 'Collaro',
    show: false,
    backgroundColor: '#111827',
  };
}

export const PICKER_SIZE = { width: 760, height: 560 } as const;

export function pickerWindowOptions(): WindowOptions {
  return {
    ...PICKER_SIZE,
    title: 'Choose what to share',
    resizable: true,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    show: false,
    backgroundColor: '#111827',
  };
}

export const SHARING_BAR_SIZE = { width: 340, height: 52 } as const;

/** The "You are sharing — Stop" bar: small, frameless, above every other window, centred at the top. */
export function sharingBarWindowOptions(workArea: { x: number; y: number; width: number }): WindowOptions {
  return {
    ...SHARING_BAR_SIZE,
    x: Math.round(workArea.x + (workArea.width - SHARING_BAR_SIZE.width) / 2),
    y: workArea.y + 12,
    frame: false,
    resizable: false,
    movable: true,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    focusable: true,
    show: false,
    backgroundColor: '#b91c1c',
  };
}

export const MINI_CALL_SIZE = { width: 260, height: 200 } as const;

/** The small call window: frameless, above other windows, in the bottom-right corner, never in the taskbar. */
export function miniCallWindowOptions(workArea: { x: number; y: number; width: number; height: number }): WindowOptions {
  return {
    ...MINI_CALL_SIZE,
    x: workArea.x + workArea.width - MINI_CALL_SIZE.width - 16,
    y: workArea.y + workArea.height - MINI_CALL_SIZE.height - 16,
    title: 'Collaro call',
    frame: false,
    resizable: false,
    movable: true,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    focusable: true,
    show: false,
    backgroundColor: '#111827',
  };
}
