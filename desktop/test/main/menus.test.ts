import { describe, expect, it } from 'vitest';
import { buildAppMenuTemplate } from '../../src/main/app-menu.js';
import { buildContextMenuTemplate, type ContextMenuActions } from '../../src/main/context-menu.js';

const actions: ContextMenuActions = {
  replaceMisspelling: () => undefined,
  addToDictionary: () => undefined,
  openExternal: () => undefined,
  copyText: () => undefined,
  inspect: null,
};
const none = { canUndo: false, canRedo: false, canCut: false, canCopy: false, canPaste: false, canDelete: false, canSelectAll: false, canEditRichly: false };
const params = { x: 0, y: 0, linkURL: '', selectionText: '', isEditable: false, misspelledWord: '', dictionarySuggestions: [], editFlags: none };
const labels = (template: ReturnType<typeof buildContextMenuTemplate>) => template.map((item) => item.role ?? item.label ?? item.type);

describe('context menu', () => {
  it('offers Copy for selected text outside a field, and nothing at all where nothing is selected', () => {
    expect(labels(buildContextMenuTemplate({ ...params, selectionText: 'hello' }, actions))).toEqual(['copy']);
    expect(buildContextMenuTemplate(params, actions)).toEqual([]);
  });

  it('never offers to open a link that is not plain http(s)', () => {
    for (const linkURL of ['javascript:alert(1)', 'file:///etc/passwd', 'collaro-app://app/x']) {
      expect(buildContextMenuTemplate({ ...params, linkURL }, actions)).toEqual([]);
    }
  });

  it('shows at most five suggestions, and says so when there are none', () => {
    const many = buildContextMenuTemplate({ ...params, misspelledWord: 'teh', dictionarySuggestions: ['the', 'tea', 'ten', 'tech', 'tent', 'text'] }, actions);
    expect(labels(many)).toEqual(['the', 'tea', 'ten', 'tech', 'tent', 'Add to Dictionary']);
    const empty = buildContextMenuTemplate({ ...params, misspelledWord: 'qzx', dictionarySuggestions: [] }, actions);
    expect(empty[0]).toMatchObject({ label: 'No spelling suggestions', enabled: false });
  });

  it('adds Inspect Element in development builds only', () => {
    expect(labels(buildContextMenuTemplate({ ...params, selectionText: 'x' }, { ...actions, inspect: () => undefined }))).toEqual([
      'copy',
      'separator',
      'Inspect Element',
    ]);
  });
});

describe('application menu', () => {
  const options = { appName: 'Collaro', packaged: true, zoomTarget: () => null, onZoomChanged: () => undefined, openHelp: () => undefined };

  it('puts About, Hide and Quit in the app menu on macOS, and File on Windows and Linux', () => {
    const mac = buildAppMenuTemplate({ ...options, platform: 'darwin' });
    expect(mac.map((item) => item.label ?? item.role)).toEqual(['Collaro', 'Edit', 'View', 'Window', 'help']);
    const windows = buildAppMenuTemplate({ ...options, platform: 'win32' });
    expect(windows.map((item) => item.label ?? item.role)).toEqual(['File', 'Edit', 'View', 'Window', 'help']);
  });

  it('stops zooming in at 250 % and reports every change', () => {
    let level = 4.5;
    const changes: number[] = [];
    const template = buildAppMenuTemplate({
      ...options,
      platform: 'linux',
      zoomTarget: () => ({ getZoomLevel: () => level, setZoomLevel: (next) => (level = next) }),
      onZoomChanged: (next) => changes.push(next),
    });
    const view = template.find((item) => item.label === 'View')!.submenu as { label?: string; click?: () => void }[];
    const zoomIn = view.find((item) => item.label === 'Zoom In')!;
    zoomIn.click!();
    zoomIn.click!();
    expect(changes).toEqual([5, 5]);
  });
});
