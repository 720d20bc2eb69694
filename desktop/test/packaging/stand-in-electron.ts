import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FuseV1Options } from '@electron/fuses';

/** Where @electron/fuses finds the fuse wire in an Electron binary (it searches for this marker). */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** A fuse's byte in the wire: the characters '1' and '0' (@electron/fuses' FuseState, not exported). */
export const FUSE_ENABLED = 0x31;
export const FUSE_DISABLED = 0x30;

/** The fuses as a released Electron ships them, before a packager flips any. */
export const ELECTRON_DEFAULT_FUSES: Record<FuseV1Options, number> = {
  [FuseV1Options.RunAsNode]: FUSE_ENABLED,
  [FuseV1Options.EnableCookieEncryption]: FUSE_DISABLED,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: FUSE_ENABLED,
  [FuseV1Options.EnableNodeCliInspectArguments]: FUSE_ENABLED,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: FUSE_DISABLED,
  [FuseV1Options.OnlyLoadAppFromAsar]: FUSE_DISABLED,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: FUSE_DISABLED,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: FUSE_ENABLED,
};

/**
 * An unpacked Linux Electron distribution, as electron-builder's `electronDist` takes it, for
 * machines that cannot download the real one. It has what electron-builder reads or moves:
 * the `electron` executable (renamed to the app's executable; its fuse wire is flipped in place, so
 * it carries Electron's sentinel, wire version 1 and one byte per fuse), `resources/` (where
 * app.asar goes; every .asar there is hashed, so it holds none), `locales/` (pruned by
 * `electronLanguages`), and the licence files that must travel with the binary.
 */
export function createStandInElectron(directory: string, version: string): string {
  mkdirSync(path.join(directory, 'resources'), { recursive: true });
  mkdirSync(path.join(directory, 'locales'), { recursive: true });
  const fuses = Object.values(FuseV1Options)
    .filter((option): option is FuseV1Options => typeof option === 'number')
    .map((option) => ELECTRON_DEFAULT_FUSES[option]);
  const executable = path.join(directory, 'electron');
  writeFileSync(
    executable,
    Buffer.concat([
      Buffer.from('\x7fELF stand-in for Electron: not runnable\n'),
      Buffer.from(FUSE_SENTINEL),
      Buffer.from([1, fuses.length, ...fuses]),
      Buffer.from('\nend of stand-in\n'),
    ]),
  );
  chmodSync(executable, 0o755);
  writeFileSync(path.join(directory, 'version'), version);
  writeFileSync(path.join(directory, 'LICENSE'), 'Electron licence (stand-in)\n');
  writeFileSync(path.join(directory, 'LICENSES.chromium.html'), '<p>Chromium licences (stand-in)</p>\n');
  for (const locale of ['en-US', 'de', 'fr']) writeFileSync(path.join(directory, 'locales', `${locale}.pak`), locale);
  return directory;
}
