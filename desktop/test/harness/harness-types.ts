/** What the test process and the emulated main process tell each other, declared once for both. */

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface HarnessDisplay {
  id: number;
  bounds: Rectangle;
  workArea: Rectangle;
  scaleFactor: number;
}

/** A window of another application that `desktopCapturer` offers next to the screens. */
export interface CapturableWindow {
  name: string;
  /** A minimized window has no picture. */
  hasThumbnail: boolean;
}

export interface ChildLaunchOptions {
  /** The built main bundle, `desktop/out/main/index.js`. */
  mainPath: string;
  /** The executable path and arguments main sees as `process.argv`, as a packaged app receives them. */
  argv: string[];
  userData: string;
  isPackaged: boolean;
  /** True when another process of this profile holds the single-instance lock. */
  singleInstanceHeldElsewhere: boolean;
  displays: HarnessDisplay[];
  capturableWindows: CapturableWindow[];
  safeStorageAvailable: boolean;
  /** Links the system hands over with `open-url` before `ready` (a macOS cold start). */
  openUrlsBeforeReady: string[];
  /** Whether the desktop has a tray (AppIndicator on Linux). */
  trayAvailable: boolean;
  /** The Linux desktop session main sees: X11 or Wayland, and whether xdg-desktop-portal offers ScreenCast. */
  desktopSession: { type: 'x11' | 'wayland'; screenCastPortal: boolean };
  /** What `app.getLoginItemSettings()` reports about how this process was started. */
  openedAtLogin: boolean;
  /** What the update feed answers from the first check on. */
  updateFeed: { kind: 'none' } | { kind: 'available'; version: string } | { kind: 'unreachable'; message: string };
}

/** A menu as the test sees it: the template Electron built, with the roles' default labels. */
export interface MenuItemSnapshot {
  id: string;
  label: string;
  role: string | null;
  type: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio' | 'header' | 'palette';
  enabled: boolean;
  visible: boolean;
  checked: boolean;
  accelerator: string | null;
  submenu: MenuItemSnapshot[] | null;
}

export interface WindowSnapshot {
  id: number;
  webContentsId: number;
  title: string;
  url: string;
  visible: boolean;
  focused: boolean;
  destroyed: boolean;
  bounds: Rectangle;
  options: Record<string, unknown>;
  zoomLevel: number;
  alwaysOnTop: boolean;
  contentProtection: boolean;
  devToolsOpened: boolean;
}

export interface NotificationSnapshot {
  id: number;
  title: string;
  body: string;
  silent: boolean;
  actions: { type: string; text: string }[];
  /** `never`: stays on screen until acted on (Linux and Windows). */
  timeoutType: string;
  shown: boolean;
  closed: boolean;
}

export interface TraySnapshot {
  id: number;
  toolTip: string;
  image: string | null;
  destroyed: boolean;
  menu: MenuItemSnapshot[] | null;
}

/** Everything the recorders hold, read by tests with `app.recorded()`. */
export interface RecordedState {
  ready: boolean;
  quitting: boolean;
  appName: string;
  windows: WindowSnapshot[];
  trays: TraySnapshot[];
  notifications: NotificationSnapshot[];
  applicationMenu: MenuItemSnapshot[] | null;
  contextMenus: { id: number; menu: MenuItemSnapshot[]; windowId: number | null; open: boolean }[];
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[];
  handledProtocols: string[];
  defaultProtocolClients: { protocol: string; path: string | null; args: string[] }[];
  globalShortcuts: string[];
  /** What main appended to Chromium's command line (before ready). */
  commandLineSwitches: Record<string, string>;
  powerSaveBlockers: { id: number; type: string; active: boolean }[];
  openedExternally: string[];
  loginItemSettings: Record<string, unknown>[];
  badgeCount: number;
  ipcHandlers: string[];
  ipcListeners: string[];
  clipboardText: string;
  displayMediaGrants: { sourceId: string; name: string; audio: string | null }[];
  dialogs: { type: string; title: string; message: string; buttons: string[] }[];
  updater: { checks: number; downloads: number; quitAndInstall: number; feed: unknown };
  spellCheckerLanguages: string[];
  logs: string[];
}

/** The parts of a BrowserWindow's options the page host needs. */
export interface WindowCreateParams {
  windowId: number;
  webContentsId: number;
  width: number;
  height: number;
  title: string;
  show: boolean;
  preload: string | null;
  sandbox: boolean;
  contextIsolation: boolean;
  nodeIntegration: boolean;
  parentId: number | null;
}

export interface ProtocolRequestParams {
  url: string;
  method: string;
  headers: [string, string][];
  body: Uint8Array | null;
}

export type ProtocolResponse = { handled: true; status: number; headers: [string, string][]; body: Uint8Array } | { handled: false; reason: string };

export interface IpcCallParams {
  webContentsId: number;
  frameUrl: string;
  channel: string;
  args: unknown[];
}

export type IpcInvokeResult = { ok: true; value: unknown } | { ok: false; message: string };

/** A permission the page asked for, in the shape Electron hands to `setPermissionRequestHandler`. */
export interface PermissionRequestParams {
  webContentsId: number;
  permission: string;
  requestingUrl: string;
  mediaTypes?: ('video' | 'audio')[];
}

export interface DisplayMediaParams {
  webContentsId: number;
  frameUrl: string;
  audioRequested: boolean;
  videoRequested: boolean;
  userGesture: boolean;
}

export type DisplayMediaAnswer = { granted: false; reason: string } | { granted: true; sourceId: string; name: string; audio: 'loopback' | null };

/** Events a page produces that the emulated WebContents re-emits in main. */
export type WebContentsEvent =
  | { type: 'did-start-navigation'; url: string; isSameDocument: boolean; isMainFrame: boolean }
  | { type: 'did-navigate'; url: string }
  | { type: 'did-navigate-in-page'; url: string }
  | { type: 'dom-ready' }
  | { type: 'did-finish-load' }
  | { type: 'did-fail-load'; errorCode: number; errorDescription: string; url: string }
  | { type: 'page-title-updated'; title: string }
  | { type: 'render-process-gone'; reason: 'crashed' | 'killed' | 'oom' }
  | { type: 'console-message'; level: number; message: string };

export interface ContextMenuParams {
  x: number;
  y: number;
  linkURL: string;
  linkText: string;
  selectionText: string;
  isEditable: boolean;
  misspelledWord: string;
  dictionarySuggestions: string[];
  editFlags: { canUndo: boolean; canRedo: boolean; canCut: boolean; canCopy: boolean; canPaste: boolean; canDelete: boolean; canSelectAll: boolean };
  mediaType: 'none' | 'image' | 'audio' | 'video' | 'canvas' | 'file' | 'plugin';
  srcURL: string;
  pageURL: string;
  frameURL: string;
}

/** What a role in a menu asks the window to do. */
export type EditCommand = 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'pasteAndMatchStyle' | 'delete' | 'selectAll';

/** Where the emulated desktop keeps GNOME's show-banners switch (false: do not disturb), read by the `gsettings` shim. */
export function gnomeShowBannersFile(userData: string): string {
  return `${userData}/harness-gnome-show-banners`;
}
