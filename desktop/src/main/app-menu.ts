import type { MenuItemConstructorOptions } from 'electron';

/** Zoom steps of the View menu, Chromium's zoom levels (each 20 %), within what a page stays usable at. */
export const ZOOM_STEP = 0.5;
export const MIN_ZOOM_LEVEL = -3;
export const MAX_ZOOM_LEVEL = 5;

export interface ZoomTarget {
  getZoomLevel(): number;
  setZoomLevel(level: number): void;
}

export interface AppMenuOptions {
  appName: string;
  platform: NodeJS.Platform;
  /** Reload and the developer tools are for development builds only. */
  packaged: boolean;
  /** The window the zoom items act on (the focused app window). */
  zoomTarget: () => ZoomTarget | null;
  /** Called with every new zoom level, so the next start opens at it. */
  onZoomChanged: (level: number) => void;
  openHelp: () => void;
}

function zoomItem(label: string, accelerator: string, next: (level: number) => number, options: AppMenuOptions): MenuItemConstructorOptions {
  return {
    label,
    accelerator,
    click: () => {
      const target = options.zoomTarget();
      if (!target) return;
      const level = Math.min(MAX_ZOOM_LEVEL, Math.max(MIN_ZOOM_LEVEL, next(target.getZoomLevel())));
      target.setZoomLevel(level);
      options.onZoomChanged(level);
    },
  };
}

/**
 * Collaro's application menu. Editing, window and app items are Electron's roles (so text fields,
 * the macOS app menu and the window manager behave natively); the zoom items are Collaro's own, with
 * the roles' labels and shortcuts, because the chosen zoom is remembered.
 */
export function buildAppMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        separator,
        { role: 'services' },
        separator,
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        separator,
        { role: 'quit' },
      ],
    });
  } else {
    template.push({ label: 'File', submenu: [{ role: 'close' }, separator, { role: 'quit' }] });
  }
  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'pasteAndMatchStyle' },
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  });
  const development: MenuItemConstructorOptions[] = options.packaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, separator];
  template.push({
    label: 'View',
    submenu: [
      ...development,
      zoomItem('Actual Size', 'CommandOrControl+0', () => 0, options),
      zoomItem('Zoom In', 'CommandOrControl+Plus', (level) => level + ZOOM_STEP, options),
      zoomItem('Zoom Out', 'CommandOrControl+-', (level) => level - ZOOM_STEP, options),
      separator,
      { role: 'togglefullscreen' },
    ],
  });
  template.push({
    label: 'Window',
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  });
  template.push({
    role: 'help',
    submenu: [
      ...(mac ? [] : [{ role: 'about' } as MenuItemConstructorOptions, separator]),
      { label: `${options.appName} on the web`, click: () => options.openHelp() },
    ],
  });
  return template;
}
