import type { ContextMenuParams, MenuItemConstructorOptions } from 'electron';
import { isSafeExternalUrl } from './security.js';

export const MAX_SPELLING_SUGGESTIONS = 5;

/** What the context menu does, injected so the menu can be built and clicked without Electron. */
export interface ContextMenuActions {
  replaceMisspelling(word: string): void;
  addToDictionary(word: string): void;
  openExternal(url: string): void;
  copyText(text: string): void;
  /** Development builds only. */
  inspect: ((x: number, y: number) => void) | null;
}

type Params = Pick<ContextMenuParams, 'x' | 'y' | 'linkURL' | 'selectionText' | 'isEditable' | 'misspelledWord' | 'dictionarySuggestions' | 'editFlags'>;

/**
 * The right-click menu of Collaro's windows: spelling suggestions on a misspelled word, opening or
 * copying a link, and the editing commands that apply where the click landed. Empty when nothing applies.
 */
export function buildContextMenuTemplate(params: Params, actions: ContextMenuActions): MenuItemConstructorOptions[] {
  const sections: MenuItemConstructorOptions[][] = [];
  if (params.misspelledWord) {
    const suggestions = params.dictionarySuggestions.slice(0, MAX_SPELLING_SUGGESTIONS);
    sections.push([
      ...(suggestions.length > 0
        ? suggestions.map((word): MenuItemConstructorOptions => ({ label: word, click: () => actions.replaceMisspelling(word) }))
        : [{ label: 'No spelling suggestions', enabled: false }]),
      { label: 'Add to Dictionary', click: () => actions.addToDictionary(params.misspelledWord) },
    ]);
  }
  if (params.linkURL && isSafeExternalUrl(params.linkURL)) {
    sections.push([
      { label: 'Open Link in Browser', click: () => actions.openExternal(params.linkURL) },
      { label: 'Copy Link Address', click: () => actions.copyText(params.linkURL) },
    ]);
  }
  if (params.isEditable) {
    sections.push([
      { role: 'cut', enabled: params.editFlags.canCut },
      { role: 'copy', enabled: params.editFlags.canCopy },
      { role: 'paste', enabled: params.editFlags.canPaste },
      { type: 'separator' },
      { role: 'selectAll', enabled: params.editFlags.canSelectAll },
    ]);
  } else if (params.selectionText.trim() !== '') {
    sections.push([{ role: 'copy' }]);
  }
  if (actions.inspect) {
    const inspect = actions.inspect;
    sections.push([{ label: 'Inspect Element', click: () => inspect(params.x, params.y) }]);
  }
  return sections.flatMap((section, index) => (index === 0 ? section : [{ type: 'separator' as const }, ...section]));
}

export interface ContextMenuContents {
  on(event: 'context-menu', listener: (event: unknown, params: ContextMenuParams) => void): unknown;
}

export interface ContextMenuDeps<Window, Contents extends ContextMenuContents> {
  buildMenu(template: MenuItemConstructorOptions[]): { popup(options: { window: Window }): void };
  actions(contents: Contents): ContextMenuActions;
}

/** Shows the context menu on a right-click in any window it is attached to. */
export class ContextMenuService<Window, Contents extends ContextMenuContents> {
  readonly #deps: ContextMenuDeps<Window, Contents>;

  constructor(deps: ContextMenuDeps<Window, Contents>) {
    this.#deps = deps;
  }

  start(): void {}

  dispose(): void {}

  attach(window: Window, contents: Contents): void {
    contents.on('context-menu', (_event, params) => {
      const template = buildContextMenuTemplate(params, this.#deps.actions(contents));
      if (template.length > 0) this.#deps.buildMenu(template).popup({ window });
    });
  }
}
