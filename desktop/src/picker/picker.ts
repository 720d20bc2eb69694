import type { CollaroPickerBridge, ScreenShareSource } from '@collaro/shared';

declare global {
  interface Window {
    readonly collaroPicker: CollaroPickerBridge;
  }
}

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The picker page lacks #${id}`);
  return found as T;
}

const status = element<HTMLParagraphElement>('status');
const shareButton = element<HTMLButtonElement>('share');
const cancelButton = element<HTMLButtonElement>('cancel');
const systemAudio = element<HTMLInputElement>('system-audio');
const systemAudioLabel = element<HTMLLabelElement>('system-audio-label');
let selected: string | null = null;

/** Window titles come from other applications: they are set as text, never as markup. */
function sourceButton(source: ScreenShareSource): HTMLLIElement {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'source';
  button.setAttribute('aria-pressed', 'false');
  button.dataset['sourceId'] = source.id;
  if (source.thumbnailDataUrl.startsWith('data:image/')) {
    const thumbnail = document.createElement('img');
    thumbnail.className = 'thumbnail';
    thumbnail.alt = '';
    thumbnail.src = source.thumbnailDataUrl;
    button.append(thumbnail);
  }
  const name = document.createElement('span');
  name.className = 'name';
  if (source.appIconDataUrl?.startsWith('data:image/')) {
    const icon = document.createElement('img');
    icon.className = 'app-icon';
    icon.alt = '';
    icon.src = source.appIconDataUrl;
    name.append(icon);
  }
  name.append(document.createTextNode(source.name));
  button.title = source.name;
  button.append(name);
  button.addEventListener('click', () => select(source.id));
  button.addEventListener('dblclick', () => {
    select(source.id);
    void share();
  });
  item.append(button);
  return item;
}

function select(sourceId: string): void {
  selected = sourceId;
  for (const button of document.querySelectorAll<HTMLButtonElement>('button.source')) {
    button.setAttribute('aria-pressed', String(button.dataset['sourceId'] === sourceId));
  }
  shareButton.disabled = false;
}

async function share(): Promise<void> {
  if (!selected) return;
  shareButton.disabled = true;
  try {
    await window.collaroPicker.choose({ action: 'share', sourceId: selected, systemAudio: systemAudio.checked });
  } catch (error) {
    status.textContent = `Could not share: ${error instanceof Error ? error.message : String(error)}`;
    shareButton.disabled = false;
  }
}

async function cancel(): Promise<void> {
  try {
    await window.collaroPicker.choose({ action: 'cancel' });
  } catch {
    window.close();
  }
}

async function load(): Promise<void> {
  try {
    const state = await window.collaroPicker.listSources();
    const screens = state.sources.filter((source) => source.kind === 'screen');
    const windows = state.sources.filter((source) => source.kind === 'window');
    element('screens').replaceChildren(...screens.map(sourceButton));
    element('windows').replaceChildren(...windows.map(sourceButton));
    systemAudioLabel.hidden = !state.systemAudioAvailable;
    status.textContent = state.sources.length === 0 ? 'Nothing can be shared right now.' : 'Pick a screen or a window.';
    const first = screens[0];
    if (first) select(first.id);
  } catch (error) {
    status.textContent = `Could not list screens and windows: ${error instanceof Error ? error.message : String(error)}`;
  }
}

shareButton.addEventListener('click', () => void share());
cancelButton.addEventListener('click', () => void cancel());
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') void cancel();
  if (event.key === 'Enter' && selected) void share();
});
void load();
