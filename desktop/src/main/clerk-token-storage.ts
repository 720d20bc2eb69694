import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What Electron's `safeStorage` offers, injected so the store can be tested without Electron. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface ClerkTokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Where Clerk's Electron bridge keeps its client token between runs: one file in the user-data
 * directory, encrypted with the operating system's keychain through `safeStorage` whenever the
 * system offers it, readable by the user alone. A file that cannot be read is treated as signed out.
 */
export function createClerkTokenStorage(directory: string, cipher: SecretCipher): ClerkTokenStorage {
  const file = path.join(directory, 'clerk-session.bin');
  const read = (): Record<string, string> => {
    try {
      const raw = readFileSync(file);
      const text = cipher.isEncryptionAvailable() ? cipher.decryptString(raw) : raw.toString('utf8');
      const parsed: unknown = JSON.parse(text);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
        : {};
    } catch {
      return {};
    }
  };
  const write = (entries: Record<string, string>) => {
    mkdirSync(directory, { recursive: true });
    const text = JSON.stringify(entries);
    const bytes = cipher.isEncryptionAvailable() ? cipher.encryptString(text) : Buffer.from(text, 'utf8');
    // Written beside and renamed into place, so a crash mid-write never leaves half a token.
    writeFileSync(`${file}.tmp`, bytes, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  };
  return {
    getItem: (key) => read()[key] ?? null,
    setItem: (key, value) => write({ ...read(), [key]: value }),
    removeItem: (key) => {
      const entries = read();
      delete entries[key];
      write(entries);
    },
  };
}
