import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_BACKEND_URL, DesktopSettingsPatchSchema, type DesktopSettings } from '@collaro/shared';
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
  windowState: WindowStateSchema.nullable().default(null),
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

  /** What the renderer may see: no window geometry. */
  forRenderer(): DesktopSettings {
    const { backendUrl, backendUrlConfirmed, startAtLogin } = this.#settings;
    return { backendUrl, backendUrlConfirmed, startAtLogin };
  }

  update(change: Partial<StoredSettings>): StoredSettings {
    this.#settings = StoredSettingsSchema.parse({ ...this.#settings, ...change });
    this.#save();
    for (const listener of this.#listeners) listener(this.#settings);
    return this.#settings;
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
