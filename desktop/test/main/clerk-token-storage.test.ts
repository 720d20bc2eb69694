import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClerkTokenStorage, type SecretCipher } from '../../src/main/clerk-token-storage.js';

/** A stand-in keychain: reversible, and visibly not plain text. */
const keychain: SecretCipher = {
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.from(`sealed:${Buffer.from(text).toString('base64')}`),
  decryptString: (bytes) => {
    const text = bytes.toString();
    if (!text.startsWith('sealed:')) throw new Error('not sealed by this keychain');
    return Buffer.from(text.slice('sealed:'.length), 'base64').toString();
  },
};

const directories: string[] = [];
const freshDirectory = () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'collaro-clerk-store-'));
  directories.push(directory);
  return directory;
};
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('Clerk token storage in the desktop app', () => {
  it('keeps the token across restarts, encrypted and readable by the user alone', () => {
    const directory = freshDirectory();
    createClerkTokenStorage(directory, keychain).setItem('__clerk_client_jwt', 'eyJ.secret.token');
    const reopened = createClerkTokenStorage(directory, keychain);
    expect(reopened.getItem('__clerk_client_jwt')).toBe('eyJ.secret.token');
    const file = path.join(directory, 'clerk-session.bin');
    expect(readFileSync(file, 'utf8')).not.toContain('eyJ.secret.token');
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('forgets a removed token and keeps the others', () => {
    const storage = createClerkTokenStorage(freshDirectory(), keychain);
    storage.setItem('a', '1');
    storage.setItem('b', '2');
    storage.removeItem('a');
    expect(storage.getItem('a')).toBeNull();
    expect(storage.getItem('b')).toBe('2');
  });

  it('treats a damaged or foreign file as signed out instead of failing', () => {
    const directory = freshDirectory();
    writeFileSync(path.join(directory, 'clerk-session.bin'), 'garbage');
    const storage = createClerkTokenStorage(directory, keychain);
    expect(storage.getItem('__clerk_client_jwt')).toBeNull();
    storage.setItem('__clerk_client_jwt', 'fresh');
    expect(storage.getItem('__clerk_client_jwt')).toBe('fresh');
  });
});
