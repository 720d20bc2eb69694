import type { DesktopWindowKind } from '@collaro/shared';

/** What the registry needs of a window: Electron's BrowserWindow satisfies it, and so do test fakes. */
export interface RegisteredWindow {
  readonly webContents: { readonly id: number; send(channel: string, ...args: unknown[]): void; isDestroyed(): boolean };
  isDestroyed(): boolean;
  once(event: 'closed', listener: () => void): unknown;
}

/** Knows which of Collaro's windows a WebContents belongs to; IPC sender checks start here. */
export class WindowRegistry<W extends RegisteredWindow = RegisteredWindow> {
  readonly #byContentsId = new Map<number, { kind: DesktopWindowKind; window: W }>();

  register(window: W, kind: DesktopWindowKind): void {
    const contentsId = window.webContents.id;
    this.#byContentsId.set(contentsId, { kind, window });
    window.once('closed', () => this.#byContentsId.delete(contentsId));
  }

  kindOf(contentsId: number): DesktopWindowKind | null {
    return this.#byContentsId.get(contentsId)?.kind ?? null;
  }

  find(kind: DesktopWindowKind): W | null {
    for (const entry of this.#byContentsId.values()) {
      if (entry.kind === kind && !entry.window.isDestroyed()) return entry.window;
    }
    return null;
  }

  all(): W[] {
    return [...this.#byContentsId.values()].map((entry) => entry.window).filter((window) => !window.isDestroyed());
  }
}
