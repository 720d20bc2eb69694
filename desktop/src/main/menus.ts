import type { BrowserWindow, Clipboard, Menu as ElectronMenu, MenuItemConstructorOptions, Shell, WebContents } from 'electron';
import { buildAppMenuTemplate } from './app-menu.js';
import { ContextMenuService } from './context-menu.js';

export interface MenusDeps {
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): ElectronMenu; setApplicationMenu(menu: ElectronMenu | null): void };
  app: { getName(): string; isPackaged: boolean };
  shell: Pick<Shell, 'openExternal'>;
  clipboard: Pick<Clipboard, 'writeText'>;
  /** The app window, whose zoom the View menu sets. */
  appWindow: () => BrowserWindow | null;
  onZoomChanged: (level: number) => void;
  helpUrl: string;
  platform: NodeJS.Platform;
}

/** Sets Collaro's application menu and returns the context menu service windows attach to. */
export function installMenus(deps: MenusDeps): ContextMenuService<BrowserWindow, WebContents> {
  deps.Menu.setApplicationMenu(
    deps.Menu.buildFromTemplate(
      buildAppMenuTemplate({
        appName: deps.app.getName(),
        platform: deps.platform,
        packaged: deps.app.isPackaged,
        zoomTarget: () => deps.appWindow()?.webContents ?? null,
        onZoomChanged: deps.onZoomChanged,
        openHelp: () => void deps.shell.openExternal(deps.helpUrl),
      }),
    ),
  );
  return new ContextMenuService<BrowserWindow, WebContents>({
    buildMenu: (template) => deps.Menu.buildFromTemplate(template),
    actions: (contents) => ({
      replaceMisspelling: (word) => contents.replaceMisspelling(word),
      addToDictionary: (word) => contents.session.addWordToSpellCheckerDictionary(word),
      openExternal: (url) => void deps.shell.openExternal(url),
      copyText: (text) => void deps.clipboard.writeText(text),
      inspect: deps.app.isPackaged ? null : (x, y) => contents.inspectElement(x, y),
    }),
  });
}
