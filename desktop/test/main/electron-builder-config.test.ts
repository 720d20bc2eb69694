import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LINUX_ICON_SIZES } from '../../build/generate-icons.js';
import { renderIconPng } from '../../src/main/icon-renderer.js';

const require = createRequire(import.meta.url);
const repositoryRoot = path.resolve(import.meta.dirname, '../../..');
const config = parse(readFileSync(path.join(repositoryRoot, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;

function validate(candidate: unknown) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const check = ajv.compile(schema);
  const valid = check(candidate);
  return { valid, errors: check.errors ?? [] };
}

describe('electron-builder.yml', () => {
  it('is valid against the schema that ships with electron-builder', () => {
    const result = validate(config);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the schema check itself rejects a misspelt option', () => {
    expect(validate({ ...config, productNam: 'Collaro' }).valid).toBe(false);
  });

  it('registers the collaro protocol and ships hardened installers for every OS', () => {
    expect(config['productName']).toBe('Collaro');
    expect(config['protocols']).toEqual([{ name: 'Collaro link', schemes: ['collaro'] }]);
    const mac = config['mac'] as Record<string, unknown>;
    expect(mac['target']).toEqual(['dmg', 'zip']);
    expect(mac['hardenedRuntime']).toBe(true);
    expect(Object.keys(mac['extendInfo'] as object).sort()).toEqual([
      'NSCameraUsageDescription',
      'NSMicrophoneUsageDescription',
      'NSScreenCaptureUsageDescription',
    ]);
    expect((config['win'] as Record<string, unknown>)['target']).toEqual(['nsis']);
    const linux = config['linux'] as Record<string, unknown>;
    expect(linux['target']).toEqual(['AppImage', 'deb']);
    expect(config['publish']).toBeTruthy();
  });

  it('ships only what main loads at run time: renderer libraries are devDependencies, bundled into out/', () => {
    const desktopPackage = JSON.parse(readFileSync(path.join(repositoryRoot, 'desktop/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // Everything in `dependencies` is copied into app.asar (see desktop/test/packaging for the size check).
    expect(Object.keys(desktopPackage.dependencies), 'add renderer packages with npm install -D -E <package> -w @collaro/desktop').toEqual([
      'electron-updater',
    ]);
  });

  it('turns the risky Electron fuses off and integrity checks on', () => {
    expect(config['electronFuses']).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('points at build resources that exist', () => {
    const desktop = path.join(repositoryRoot, 'desktop');
    const mac = config['mac'] as Record<string, string>;
    for (const file of [mac['entitlements']!, mac['icon']!, 'build/icons/512x512.png']) {
      expect(readFileSync(path.join(desktop, file)).length).toBeGreaterThan(0);
    }
  });

  // Draws about 1.4 million supersampled pixels: some 9 s of one core here, several times that while
  // the machine's two cores also build and package (as the packaging test does next to this one).
  it('ships the icons Collaro’s icon renderer draws (regenerate with npm run icons)', { timeout: 120_000 }, () => {
    const build = path.join(repositoryRoot, 'desktop/build');
    expect(readFileSync(path.join(build, 'icon.png')).equals(renderIconPng(1024))).toBe(true);
    for (const size of LINUX_ICON_SIZES) {
      expect(readFileSync(path.join(build, 'icons', `${size}x${size}.png`)).equals(renderIconPng(size)), `${size}px`).toBe(true);
    }
  });
});
