import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_BACKEND_URL, DEFAULT_JOIN_NEXT_SHORTCUT, DesktopSettingsPatchSchema, GlobalAcceleratorSchema, type DesktopSettings } from '@collaro/shared';
import { z } from 'zod';

export const WindowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(200).max(20_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

const StoredSettingsSchema = z.object({
  backendUrl: z.string().default(DEFAULT_BACKEND_URL),
  backendUrlConfirmed: z.boolean().default(false),
  startAtLogin: z.boolean().default(false),
  /** The small always-on-top call window while the app window is hidden (off until chosen). */
  miniCallWindow: z.boolean().catch(false).default(false),
  windowState: WindowStateSchema.nullable().default(null),
  /** How the saved server signs users in (Clerk's Frontend API host), which the window's CSP allows. */
  serverAuth: z.object({ backendUrl: z.string(), clerkFrontendApi: z.string().nullable() }).nullable().catch(null).default(null),
  /** The app window's zoom (Chromium zoom level: 0 is 100 %), kept across restarts. */
  zoomLevel: z.number().min(-5).max(9).catch(0).default(0),
  /** The global "join next meeting" shortcut; null when the person turned it off. A hand-edited bad one gives the default. */
  joinNextShortcut: GlobalAcceleratorSchema.nullable().catch(DEFAULT_JOIN_NEXT_SHORTCUT).default(DEFAULT_JOIN_NEXT_SHORTCUT),
});
export type StoredSettings = z.infer<typeof StoredSettingsSchema>;

export const DEFAULT_SETTINGS: StoredSettings = StoredSettingsSchema.parse({});

/**
 * Collaro's settings, one JSON file in the user data directory. A missing or damaged file gives the
 * defaults (and the first-run server question again) rather than a crash.
 */
export class SettingsStore {
  readonly #filePath: string;
  #settings: StoredSettings;
  readonly #listeners = new Set<(settings: StoredSettings) => void>();

  constructor(directory: string) {
    this.#filePath = path.join(directory, 'settings.json');
    this.#settings = SettingsStore.#load(this.#filePath);
  }

  static #load(filePath: string): StoredSettings {
    let raw: string;
    try {
      raw = readFileSync(filePath, 'utf8');
    } catch {
      return DEFAULT_SETTINGS;
    }
    try {
      const parsed = StoredSettingsSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) return DEFAULT_SETTINGS;
      // A hand-edited address that is not a valid server falls back to the default and is asked again.
      const backend = DesktopSettingsPatchSchema.safeParse({ backendUrl: parsed.data.backendUrl });
      return backend.success && backend.data.backendUrl
        ? { ...parsed.data, backendUrl: backend.data.backendUrl }
        : { ...parsed.data, backendUrl: DEFAULT_BACKEND_URL, backendUrlConfirmed: false };
    } catch {
      return DEFAULT_SETTINGS;
    }
  }

  get(): StoredSettings {
    return this.#settings;
  }

  /** What the renderer may see: no window geometry; with whether the join-next shortcut could be registered. */
  forRenderer(joinNextShortcutStatus: DesktopSettings['joinNextShortcutStatus'] = 'off'): DesktopSettings {
    const { backendUrl, backendUrlConfirmed, startAtLogin, miniCallWindow, joinNextShortcut } = this.#settings;
    return { backendUrl, backendUrlConfirmed, startAtLogin, miniCallWindow, joinNextShortcut, joinNextShortcutStatus };
  }

  update(change: Partial<StoredSettings>): StoredSettings {
    this.#settings = StoredSettingsSchema.parse({ ...this.#settings, ...change });
    this.#save();
    for (const listener of this.#listeners) listener(this.#settings);
    return this.#settings;
  }

  /** What the app window asked to change (validated by the IPC contract). */
  applyPatch(patch: z.output<typeof DesktopSettingsPatchSchema>): StoredSettings {
    // Saving an address, even the default one, answers the first-run question.
    return this.update({
      ...(patch.backendUrl !== undefined ? { backendUrl: patch.backendUrl, backendUrlConfirmed: true } : {}),
      ...(patch.startAtLogin !== undefined ? { startAtLogin: patch.startAtLogin } : {}),
      ...(patch.miniCallWindow !== undefined ? { miniCallWindow: patch.miniCallWindow } : {}),
      ...(patch.joinNextShortcut !== undefined ? { joinNextShortcut: patch.joinNextShortcut } : {}),
    });
  }

  onChange(listener: (settings: StoredSettings) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #save(): void {
    mkdirSync(path.dirname(this.#filePath), { recursive: true });
    // Write then rename, so a crash mid-write never leaves half a settings file.
    const temporary = `${this.#filePath}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.#settings, null, 2), { mode: 0o600 });
    renameSync(temporary, this.#filePath);
  }
}
