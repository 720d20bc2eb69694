import type { WindowState } from './settings-store.js';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_SIZE = { width: 1200, height: 800 } as const;
const MIN_VISIBLE = 100;

function visibleArea(bounds: Rectangle, area: Rectangle): number {
  const width = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
  const height = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
  return width > 0 && height > 0 ? width * height : 0;
}

/**
 * The bounds to open the app window with: the remembered ones when enough of them is still on a
 * connected display (a monitor may have been unplugged since), otherwise a default size on the primary display.
 */
export function restoreWindowBounds(saved: WindowState | null, workAreas: readonly Rectangle[]): Rectangle & { maximized: boolean } {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: DEFAULT_WINDOW_SIZE.width, height: DEFAULT_WINDOW_SIZE.height };
  if (saved) {
    const fits = workAreas.some((area) => {
      const overlap = visibleArea(saved, area);
      return overlap >= MIN_VISIBLE * MIN_VISIBLE && saved.width <= area.width * 1.5 && saved.height <= area.height * 1.5;
    });
    if (fits) return { x: saved.x, y: saved.y, width: saved.width, height: saved.height, maximized: saved.maximized };
  }
  const width = Math.min(DEFAULT_WINDOW_SIZE.width, primary.width);
  const height = Math.min(DEFAULT_WINDOW_SIZE.height, primary.height);
  return {
    x: Math.round(primary.x + (primary.width - width) / 2),
    y: Math.round(primary.y + (primary.height - height) / 2),
    width,
    height,
    maximized: saved?.maximized ?? false,
  };
}

export interface TrackedWindow {
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

/** Remembers the window's size and position as it changes, and once more as it closes. */
export function trackWindowState(window: TrackedWindow, save: (state: WindowState) => void, delayMs = 500): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const capture = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    save({
      x: Math.round(bounds.x),
      y: Math.round(bounds.y),
      width: Math.max(200, Math.round(bounds.width)),
      height: Math.max(200, Math.round(bounds.height)),
      maximized: window.isMaximized(),
    });
  };
  const later = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(capture, delayMs);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event, later);
  window.on('close', capture);
  return () => {
    if (timer) clearTimeout(timer);
  };
}
