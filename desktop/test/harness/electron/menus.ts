import { EventEmitter } from 'node:events';
import type { MenuItemSnapshot } from '../harness-types.js';
import { strict, type EmulationContext } from './context.js';
import type { BrowserWindowEmulation, WindowRegistry } from './browser-window.js';

type Template = Record<string, unknown>;
type Platform = NodeJS.Platform;

/** Electron 45's roles, each with the label and accelerator Electron gives it when the template names none. */
const ROLES: Record<string, { label: (app: string, platform: Platform) => string; accelerator?: (platform: Platform) => string }> = {
  undo: { label: () => 'Undo', accelerator: () => 'CommandOrControl+Z' },
  redo: { label: () => 'Redo', accelerator: (platform) => (platform === 'win32' ? 'Control+Y' : 'Shift+CommandOrControl+Z') },
  cut: { label: () => 'Cut', accelerator: () => 'CommandOrControl+X' },
  copy: { label: () => 'Copy', accelerator: () => 'CommandOrControl+C' },
  paste: { label: () => 'Paste', accelerator: () => 'CommandOrControl+V' },
  pasteAndMatchStyle: {
    label: () => 'Paste and Match Style',
    accelerator: (platform) => (platform === 'darwin' ? 'Cmd+Option+Shift+V' : 'Shift+CommandOrControl+V'),
  },
  delete: { label: () => 'Delete' },
  selectAll: { label: () => 'Select All', accelerator: () => 'CommandOrControl+A' },
  reload: { label: () => 'Reload', accelerator: () => 'CmdOrCtrl+R' },
  forceReload: { label: () => 'Force Reload', accelerator: () => 'Shift+CmdOrCtrl+R' },
  toggleDevTools: { label: () => 'Toggle Developer Tools', accelerator: (platform) => (platform === 'darwin' ? 'Alt+Command+I' : 'Ctrl+Shift+I') },
  resetZoom: { label: () => 'Actual Size', accelerator: () => 'CommandOrControl+0' },
  zoomIn: { label: () => 'Zoom In', accelerator: () => 'CommandOrControl+Plus' },
  zoomOut: { label: () => 'Zoom Out', accelerator: () => 'CommandOrControl+-' },
  toggleSpellChecker: { label: () => 'Check Spelling While Typing' },
  togglefullscreen: { label: () => 'Toggle Full Screen', accelerator: (platform) => (platform === 'darwin' ? 'Control+Command+F' : 'F11') },
  window: { label: () => 'Window' },
  minimize: { label: () => 'Minimize', accelerator: () => 'CommandOrControl+M' },
  close: { label: (_app, platform) => (platform === 'darwin' ? 'Close Window' : 'Close'), accelerator: () => 'CommandOrControl+W' },
  help: { label: () => 'Help' },
  about: { label: (app, platform) => (platform === 'darwin' ? `About ${app}` : 'About') },
  services: { label: () => 'Services' },
  hide: { label: (app) => `Hide ${app}`, accelerator: () => 'Command+H' },
  hideOthers: { label: () => 'Hide Others', accelerator: () => 'Command+Alt+H' },
  unhide: { label: () => 'Show All' },
  quit: {
    label: (app, platform) => (platform === 'darwin' ? `Quit ${app}` : platform === 'win32' ? 'Exit' : 'Quit'),
    accelerator: (platform) => (platform === 'win32' ? '' : 'CommandOrControl+Q'),
  },
  showSubstitutions: { label: () => 'Show Substitutions' },
  toggleSmartQuotes: { label: () => 'Smart Quotes' },
  toggleSmartDashes: { label: () => 'Smart Dashes' },
  toggleTextReplacement: { label: () => 'Text Replacement' },
  startSpeaking: { label: () => 'Start Speaking' },
  stopSpeaking: { label: () => 'Stop Speaking' },
  zoom: { label: () => 'Zoom' },
  front: { label: () => 'Bring All to Front' },
  appMenu: { label: (app) => app },
  fileMenu: { label: () => 'File' },
  editMenu: { label: () => 'Edit' },
  viewMenu: { label: () => 'View' },
  shareMenu: { label: () => 'Share' },
  recentDocuments: { label: () => 'Open Recent' },
  toggleTabBar: { label: () => 'Show Tab Bar' },
  selectNextTab: { label: () => 'Select Next Tab' },
  selectPreviousTab: { label: () => 'Select Previous Tab' },
  showAllTabs: { label: () => 'Show All Tabs' },
  mergeAllWindows: { label: () => 'Merge All Windows' },
  clearRecentDocuments: { label: () => 'Clear Menu' },
  moveTabToNewWindow: { label: () => 'Move Tab to New Window' },
  windowMenu: { label: () => 'Window' },
};

/** The submenus Electron fills in for the menu roles when the template gives none (Linux and Windows). */
const DEFAULT_SUBMENUS: Record<string, string[]> = {
  editMenu: ['undo', 'redo', '-', 'cut', 'copy', 'paste', 'delete', '-', 'selectAll'],
  viewMenu: ['reload', 'forceReload', 'toggleDevTools', '-', 'resetZoom', 'zoomIn', 'zoomOut', '-', 'togglefullscreen'],
  windowMenu: ['minimize', 'close'],
  fileMenu: ['quit'],
};

const ZOOM_STEP = 0.5;

export interface MenuContext {
  context: EmulationContext;
  registry: WindowRegistry;
  appName: () => string;
  quit: () => void;
}

// One emulation per process: the menu classes read what they need from here (see installMenuDeps).
let menus: MenuContext;
let context: EmulationContext;
let registry: WindowRegistry;
let nextItemId = 1;

export function installMenuDeps(deps: MenuContext): { Menu: typeof Menu; MenuItem: typeof MenuItem } {
  menus = deps;
  ({ context, registry } = deps);
  return { Menu, MenuItem };
}

export class MenuItem {
  readonly id: string;
  label: string;
  readonly role: string | null;
  readonly type: MenuItemSnapshot['type'];
  enabled: boolean;
  visible: boolean;
  checked: boolean;
  readonly accelerator: string | null;
  readonly submenu: Menu | null;
  readonly click: ((item: MenuItem, window: BrowserWindowEmulation | null, event: Record<string, boolean>) => void) | null;
  readonly sublabel: string;
  readonly toolTip: string;

  constructor(options: Template) {
    const role = typeof options['role'] === 'string' ? options['role'] : null;
    if (role !== null && !(role in ROLES)) throw context.violation(`menu role '${role}' is not one of Electron's roles`);
    let submenu: Menu | null = null;
    if (options['submenu'] instanceof Menu) submenu = options['submenu'];
    else if (Array.isArray(options['submenu'])) submenu = Menu.buildFromTemplate(options['submenu'] as Template[]);
    else if (role && DEFAULT_SUBMENUS[role])
      submenu = Menu.buildFromTemplate(DEFAULT_SUBMENUS[role].map((name) => (name === '-' ? { type: 'separator' } : { role: name })));
    const type = (options['type'] as MenuItemSnapshot['type'] | undefined) ?? (submenu ? 'submenu' : 'normal');
    if (type === 'submenu' && !submenu) throw context.violation('a submenu item needs a submenu');
    const roleInfo = role ? ROLES[role] : undefined;
    this.id = typeof options['id'] === 'string' ? options['id'] : `item-${nextItemId++}`;
    this.role = role;
    this.type = type;
    this.submenu = submenu;
    this.label = typeof options['label'] === 'string' ? options['label'] : (roleInfo?.label(menus.appName(), process.platform) ?? '');
    this.enabled = options['enabled'] !== false;
    this.visible = options['visible'] !== false;
    this.checked = options['checked'] === true;
    const accelerator = typeof options['accelerator'] === 'string' ? options['accelerator'] : roleInfo?.accelerator?.(process.platform);
    this.accelerator = accelerator ? accelerator : null;
    this.click = typeof options['click'] === 'function' ? (options['click'] as MenuItem['click']) : null;
    this.sublabel = typeof options['sublabel'] === 'string' ? options['sublabel'] : '';
    this.toolTip = typeof options['toolTip'] === 'string' ? options['toolTip'] : '';
  }

  /** As Electron's MenuItem: flip checkboxes, run the role if it has an action, else the click handler. */
  _activate(): void {
    if (!this.enabled) throw new Error(`menu item '${this.label}' is disabled`);
    if (this.type === 'checkbox') this.checked = !this.checked;
    if (this.type === 'radio') this.checked = true;
    const window = registry.focused();
    if (this.role && performRole(this.role, window)) return;
    this.click?.(this, window, { shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, triggeredByAccelerator: false });
  }

  _snapshot(): MenuItemSnapshot {
    return {
      id: this.id,
      label: this.label,
      role: this.role,
      type: this.type,
      enabled: this.enabled,
      visible: this.visible,
      checked: this.checked,
      accelerator: this.accelerator,
      submenu: this.submenu ? this.submenu._snapshot() : null,
    };
  }
}

/** Roles that act, on the focused window as Electron does; the others only label an item. */
function performRole(role: string, window: BrowserWindowEmulation | null): boolean {
  const contents = window && !window.isDestroyed() ? window.webContents : null;
  switch (role) {
    case 'undo':
    case 'redo':
    case 'cut':
    case 'copy':
    case 'paste':
    case 'pasteAndMatchStyle':
    case 'delete':
    case 'selectAll':
      contents?.[role]();
      return true;
    case 'reload':
      contents?.reload();
      return true;
    case 'forceReload':
      contents?.reloadIgnoringCache();
      return true;
    case 'toggleDevTools':
      contents?.toggleDevTools();
      return true;
    case 'resetZoom':
      contents?.setZoomLevel(0);
      return true;
    case 'zoomIn':
      contents?.setZoomLevel(contents.getZoomLevel() + ZOOM_STEP);
      return true;
    case 'zoomOut':
      contents?.setZoomLevel(contents.getZoomLevel() - ZOOM_STEP);
      return true;
    case 'togglefullscreen':
      window?.setFullScreen(!window.isFullScreen());
      return true;
    case 'minimize':
      window?.minimize();
      return true;
    case 'close':
      window?.close();
      return true;
    case 'quit':
      menus.quit();
      return true;
    default:
      return false;
  }
}

export class Menu extends EventEmitter {
  readonly items: MenuItem[] = [];
  _popupWindowId: number | null = null;
  _open = false;

  static _applicationMenu: Menu | null = null;
  static readonly _popups: Menu[] = [];

  static buildFromTemplate(template: unknown[]): Menu {
    if (!Array.isArray(template)) throw context.violation('Menu.buildFromTemplate needs an array');
    const menu = new Menu();
    for (const entry of template) {
      if (entry instanceof MenuItem) menu.append(entry);
      else if (entry && typeof entry === 'object') menu.append(new MenuItem(entry as Template));
      else throw context.violation('Menu.buildFromTemplate: every entry must be an object (Electron throws "Invalid template for MenuItem")');
    }
    return strict(menu, 'Menu', context);
  }

  static setApplicationMenu(menu: Menu | null): void {
    Menu._applicationMenu = menu;
  }

  static getApplicationMenu(): Menu | null {
    return Menu._applicationMenu;
  }

  static sendActionToFirstResponder(): void {}

  append(item: MenuItem): void {
    this.items.push(item);
  }

  insert(position: number, item: MenuItem): void {
    this.items.splice(position, 0, item);
  }

  getMenuItemById(id: string): MenuItem | null {
    for (const item of this.items) {
      if (item.id === id) return item;
      const inner = item.submenu?.getMenuItemById(id);
      if (inner) return inner;
    }
    return null;
  }

  /** A context menu shown at the pointer: recorded for the test to read and click. */
  popup(options: { window?: BrowserWindowEmulation; callback?: () => void } = {}): void {
    context.requireReady('Menu.popup()');
    this._popupWindowId = options.window?.id ?? registry.focusedId;
    this._open = true;
    Menu._popups.push(this);
    this.once('_closed', () => options.callback?.());
    this.emit('menu-will-show', {});
  }

  closePopup(): void {
    if (!this._open) return;
    this._open = false;
    this.emit('menu-will-close', {});
    this.emit('_closed');
  }

  _snapshot(): MenuItemSnapshot[] {
    return this.items.map((item) => item._snapshot());
  }

  /** Finds an item by the labels on the way to it and activates it; a popup closes first, as on screen. */
  _click(path: string[]): void {
    let items = this.items;
    let found: MenuItem | undefined;
    for (const [depth, label] of path.entries()) {
      found = items.find((item) => item.label === label && item.visible && item.type !== 'separator');
      if (!found)
        throw new Error(
          `no visible menu item '${label}' among: ${items
            .filter((item) => item.type !== 'separator')
            .map((item) => item.label)
            .join(', ')}`,
        );
      if (depth < path.length - 1) {
        if (!found.submenu) throw new Error(`menu item '${label}' has no submenu`);
        items = found.submenu.items;
      }
    }
    if (!found) throw new Error('an empty menu path');
    this.closePopup();
    found._activate();
  }
}

export type MenuEmulation = Menu;

/** `Tray`: its image, tooltip and context menu, which the test reads and clicks as a user would. */
let nextTrayId = 1;
const trays: TrayEmulation[] = [];

export class TrayEmulation extends EventEmitter {
  readonly _id = nextTrayId++;
  _image: unknown;
  _toolTip = '';
  _title = '';
  _menu: MenuEmulation | null = null;
  _destroyed = false;

  static readonly _all = trays;

  constructor(image: unknown) {
    super();
    context.requireReady('new Tray()');
    this._image = image;
    trays.push(this);
  }

  _alive(method: string): void {
    if (this._destroyed) throw context.violation(`Tray.${method}() after destroy(): Electron throws "Object has been destroyed"`);
  }

  setImage(image: unknown): void {
    this._alive('setImage');
    this._image = image;
  }

  setPressedImage(): void {}

  setToolTip(toolTip: string): void {
    this._alive('setToolTip');
    this._toolTip = toolTip;
  }

  setTitle(title: string): void {
    this._title = title;
  }

  getTitle(): string {
    return this._title;
  }

  setContextMenu(menu: MenuEmulation | null): void {
    this._alive('setContextMenu');
    this._menu = menu;
  }

  popUpContextMenu(): void {}

  closeContextMenu(): void {}

  setIgnoreDoubleClickEvents(): void {}

  getBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 0, y: 0, width: 22, height: 22 };
  }

  destroy(): void {
    this._destroyed = true;
  }

  isDestroyed(): boolean {
    return this._destroyed;
  }
}
