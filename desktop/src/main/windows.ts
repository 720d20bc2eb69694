import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** Every Collaro window runs its page isolated and sandboxed, with no Node.js in reach. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
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
    spellcheck: true,
    safeDialogs: true,
  };
}

export function appWindowOptions(preload: string, bounds: { x: number; y: number; width: number; height: number }): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: 720,
    minHeight: 480,
    title: 'Collaro',
    show: false,
    backgroundColor: '#111827',
    webPreferences: secureWebPreferences(preload),
  };
}

export const PICKER_SIZE = { width: 760, height: 560 } as const;

export function pickerWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    ...PICKER_SIZE,
    title: 'Choose what to share',
    resizable: true,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    show: false,
    backgroundColor: '#111827',
    webPreferences: secureWebPreferences(preload),
  };
}

export const SHARING_BAR_SIZE = { width: 340, height: 52 } as const;

/** The "You are sharing — Stop" bar: small, frameless, above every other window, centred at the top. */
export function sharingBarWindowOptions(preload: string, workArea: { x: number; y: number; width: number }): BrowserWindowConstructorOptions {
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
    webPreferences: secureWebPreferences(preload),
  };
}
