import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { init as initModuleLexer, parse as parseModule } from 'es-module-lexer';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDesktopBuild } from '../harness/desktop-build.js';
import { createStandInElectron, ELECTRON_DEFAULT_FUSES, FUSE_DISABLED, FUSE_ENABLED } from './stand-in-electron.js';

/**
 * `electron-builder --linux --dir` for real, with electron-builder.yml, against a stand-in Electron
 * distribution (the real one is a download this machine cannot make). It checks what an installed
 * Collaro is made of: the executable's name, the .desktop entry the AppImage and deb would carry,
 * the fuses written into the binary, and what app.asar holds.
 */

const require = createRequire(import.meta.url);
const DESKTOP = path.resolve(import.meta.dirname, '../..');
const REPOSITORY = path.resolve(DESKTOP, '..');
const MAX_ASAR_BYTES = 30 * 1024 * 1024;

interface LinuxPackagerLike {
  executableName: string;
  appInfo: { productName: string; productFilename: string; sanitizedProductName: string };
}
interface AfterPackContextLike {
  appOutDir: string;
  outDir: string;
  packager: LinuxPackagerLike;
}
interface LinuxTargetHelperLike {
  computeDesktopEntry(options: unknown, exec?: string, extra?: Record<string, string>): Promise<string>;
  getDesktopFileName(): string;
}
interface FpmTargetLike {
  options: unknown;
  checkOptions(): Promise<{ name: string; maintainer: string; url: string }>;
}

/** electron-builder's own Linux target code, reached through electron-builder's dependency on it. */
const fromElectronBuilder = createRequire(require.resolve('electron-builder'));
const builder = fromElectronBuilder('electron-builder') as {
  build(options: { projectDir: string; targets: unknown; config: Record<string, unknown>; publish: 'never' }): Promise<string[]>;
  Platform: { LINUX: { createTarget(type: string, arch: number): unknown } };
  Arch: { x64: number };
};
const { LinuxTargetHelper } = fromElectronBuilder('app-builder-lib/out/targets/LinuxTargetHelper') as {
  LinuxTargetHelper: new (packager: LinuxPackagerLike) => LinuxTargetHelperLike;
};
const FpmTarget = (
  fromElectronBuilder('app-builder-lib/out/targets/FpmTarget') as {
    default: new (name: string, packager: LinuxPackagerLike, helper: LinuxTargetHelperLike, outDir: string) => FpmTargetLike;
  }
).default;
const AppImageTarget = (
  fromElectronBuilder('app-builder-lib/out/targets/appimage/AppImageTarget') as {
    default: new (ignored: null, packager: LinuxPackagerLike, helper: LinuxTargetHelperLike, outDir: string) => { desktopEntry: { value: Promise<string> } };
  }
).default;
const { validateCriticalPathString } = fromElectronBuilder('app-builder-lib/out/targets/appimage/appImageUtil') as {
  validateCriticalPathString(value: string, field: string): void;
};

function desktopEntryFields(entry: string): Record<string, string> {
  return Object.fromEntries(
    entry
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

let work = '';
let appOutDir = '';
let asarPath = '';
const seen = { executableName: '', desktopFileName: '', appImageEntry: '', debEntry: '', deb: { name: '', maintainer: '', url: '' } };
const yamlConfig = parse(readFileSync(path.join(REPOSITORY, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const electronVersion = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;

beforeAll(async () => {
  await ensureDesktopBuild();
  work = await mkdtemp(path.join(tmpdir(), 'collaro-package-'));
  const electronDist = createStandInElectron(path.join(work, 'electron-dist'), electronVersion);
  await builder.build({
    projectDir: DESKTOP,
    targets: builder.Platform.LINUX.createTarget('dir', builder.Arch.x64),
    publish: 'never',
    config: {
      ...yamlConfig,
      electronDist,
      directories: { ...(yamlConfig['directories'] as object), output: path.join(work, 'installers') },
      // What the AppImage and deb targets would write, asked of their own code after packing.
      afterPack: async (context: AfterPackContextLike) => {
        const helper = new LinuxTargetHelper(context.packager);
        seen.executableName = context.packager.executableName;
        seen.desktopFileName = helper.getDesktopFileName();
        validateCriticalPathString(context.packager.executableName, 'executableName');
        validateCriticalPathString(context.packager.appInfo.productFilename, 'productFilename');
        seen.appImageEntry = await new AppImageTarget(null, context.packager, helper, context.outDir).desktopEntry.value;
        const deb = new FpmTarget('deb', context.packager, helper, context.outDir);
        seen.deb = await deb.checkOptions();
        seen.debEntry = await helper.computeDesktopEntry(deb.options);
      },
    },
  });
  appOutDir = path.join(work, 'installers', 'linux-unpacked');
  asarPath = path.join(appOutDir, 'resources', 'app.asar');
}, 240_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the Linux package (electron-builder --linux --dir)', () => {
  it('is an executable called collaro, with Electron’s licence beside it', async () => {
    expect(seen.executableName).toBe('collaro');
    const files = await readdir(appOutDir);
    expect(files).toEqual(expect.arrayContaining(['collaro', 'resources', 'locales', 'LICENSE.electron.txt']));
    expect(files).not.toContain('electron');
    expect(statSync(path.join(appOutDir, 'collaro')).mode & 0o111).not.toBe(0);
  });

  it('carries a collaro.desktop entry that opens collaro:// links, in the AppImage and the deb alike', () => {
    expect(seen.desktopFileName).toBe('collaro');
    const appImage = desktopEntryFields(seen.appImageEntry);
    const deb = desktopEntryFields(seen.debEntry);
    expect(appImage['Exec']).toBe('AppRun --no-sandbox %U');
    expect(deb['Exec']).toBe('/opt/Collaro/collaro %U');
    for (const entry of [appImage, deb]) {
      expect(entry).toMatchObject({
        Name: 'Collaro',
        Type: 'Application',
        Icon: 'collaro',
        MimeType: 'x-scheme-handler/collaro;',
        StartupWMClass: 'collaro',
        Categories: 'Network;Chat;VideoConference;',
      });
    }
  });

  it('names the deb collaro, with the homepage and maintainer a Debian package needs', () => {
    expect(seen.deb).toMatchObject({ name: 'collaro', maintainer: 'Collaro <desktop@collaro.dev>', url: 'https://collaro.dev' });
  });

  it('has the fuses of electron-builder.yml written into the executable', async () => {
    const wire = await getCurrentFuseWire(path.join(appOutDir, 'collaro'));
    const wanted = yamlConfig['electronFuses'] as Record<string, boolean>;
    const optionOf: Record<string, FuseV1Options> = {
      runAsNode: FuseV1Options.RunAsNode,
      enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
      enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
      enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
      enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
      onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
      grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
    };
    expect(Object.keys(wanted).sort()).toEqual(Object.keys(optionOf).sort());
    const read = wire as unknown as Record<number, number>;
    for (const [name, enabled] of Object.entries(wanted)) {
      const option = optionOf[name]!;
      expect([name, read[option]]).toEqual([name, enabled ? FUSE_ENABLED : FUSE_DISABLED]);
      // Every fuse Collaro sets differs from Electron's default, so a wire left untouched fails here.
      expect([name, ELECTRON_DEFAULT_FUSES[option]]).not.toEqual([name, read[option]]);
    }
  });

  it(`ships an app.asar of at most 30 MiB holding the built app and only what main loads at run time`, () => {
    const size = statSync(asarPath).size;
    console.info(`app.asar: ${(size / 1024 / 1024).toFixed(1)} MiB`);
    expect(size).toBeLessThanOrEqual(MAX_ASAR_BYTES);
    const files = new Set(listPackage(asarPath, { isPack: false }).map((file) => file.replaceAll('\\', '/')));
    for (const file of [
      '/package.json',
      '/out/main/index.js',
      '/out/preload/index.cjs',
      '/out/preload/picker.cjs',
      '/out/preload/sharing-bar.cjs',
      '/out/renderer/index.html',
      '/out/picker/picker.html',
      '/out/picker/sharing-bar.html',
      '/node_modules/electron-updater/package.json',
    ]) {
      expect(files, file).toContain(file);
    }
    const packages = new Set(
      [...files]
        .filter((file) => file.startsWith('/node_modules/'))
        .map((file) =>
          file
            .split('/')
            .slice(2, file.split('/')[2]!.startsWith('@') ? 4 : 3)
            .join('/'),
        ),
    );
    // The renderer is bundled into out/: none of its libraries belongs in the package.
    for (const rendererOnly of ['react', 'react-dom', '@stream-io/video-react-sdk', '@clerk/clerk-js', '@clerk/electron', 'zod', 'electron']) {
      expect(packages, rendererOnly).not.toContain(rendererOnly);
    }
    expect([...files].filter((file) => file.endsWith('.map'))).toEqual([]);
  });

  it('ships every package the main bundle imports at run time, and nothing main does not load', async () => {
    await initModuleLexer;
    const shipped = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as { name: string; dependencies: Record<string, string> };
    const files = new Set(listPackage(asarPath, { isPack: false }).map((file) => file.replaceAll('\\', '/')));
    const mainFiles = [...files].filter((file) => file.startsWith('/out/main/') && file.endsWith('.js'));
    expect(mainFiles).toContain('/out/main/index.js');
    const imported = new Set<string>();
    for (const file of mainFiles) {
      const [imports] = parseModule(extractFile(asarPath, file.slice(1)).toString('utf8'));
      for (const { n: specifier } of imports) {
        if (!specifier || specifier.startsWith('.') || specifier.startsWith('node:') || specifier === 'electron') continue;
        imported.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
      }
    }
    expect([...imported].sort()).toEqual(Object.keys(shipped.dependencies).sort());
    for (const name of imported) expect(files, name).toContain(`/node_modules/${name}/package.json`);
    expect(shipped.name).toBe('collaro');
  });

  it('names the installed app Collaro, so its settings live in a Collaro folder', () => {
    const shipped = JSON.parse(readFileSync(path.join(DESKTOP, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(shipped).toMatchObject({ productName: 'Collaro', desktopName: 'collaro.desktop', homepage: 'https://collaro.dev' });
  });
});
