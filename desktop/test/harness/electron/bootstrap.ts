import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ControlChannel, type ChannelPort } from '../control-channel.js';
import { gnomeShowBannersFile, type ChildLaunchOptions } from '../harness-types.js';
import { createElectronEmulation, EMULATED_EXPORTS } from './emulation.js';
import { CancellationTokenEmulation } from './updater.js';

/**
 * The emulated Electron main process: installs the emulation as the `electron` module, then runs the
 * built main bundle exactly as Electron would, and fires `ready` once its top level has run.
 */
const options = JSON.parse(process.env['COLLARO_HARNESS_LAUNCH'] ?? 'null') as ChildLaunchOptions | null;
if (!options || !process.send) throw new Error('bootstrap.ts runs as a child of the desktop harness');

const control = new ControlChannel(process as unknown as ChannelPort);
const emulation = createElectronEmulation(control, options);
const scope = globalThis as typeof globalThis & Record<string, unknown>;
scope['__collaroHarnessElectron'] = emulation.module;
scope['__collaroHarnessUpdaterModule'] = { autoUpdater: emulation.electronUpdater, CancellationToken: CancellationTokenEmulation };

// The shims name exactly what the emulation offers: importing anything else fails at link time, loudly.
const shimDirectory = mkdtempSync(path.join(tmpdir(), 'collaro-harness-shims-'));
const shim = (name: string, source: string) => {
  const file = path.join(shimDirectory, name);
  writeFileSync(file, source);
  return file;
};
const electronShim = shim(
  'electron.mjs',
  `const electron = globalThis.__collaroHarnessElectron;\n${EMULATED_EXPORTS.map((name) => `export const ${name} = electron.${name};`).join('\n')}\nexport default electron;\n`,
);
const updaterShim = shim(
  'electron-updater.mjs',
  'const { autoUpdater, CancellationToken } = globalThis.__collaroHarnessUpdaterModule;\nexport { autoUpdater, CancellationToken };\nexport default { autoUpdater, CancellationToken };\n',
);
// The desktop session's bus, as main asks it whether a tray host (StatusNotifierWatcher) runs and
// whether xdg-desktop-portal offers ScreenCast. GNOME Shell's notification server does not publish
// `Inhibited`: asked for it, the bus answers with an error, as GNOME's does.
const dbusSend = shim(
  'dbus-send',
  `#!/bin/sh
case "$*" in
  *org.freedesktop.DBus.NameHasOwner*) echo 'method return sender=org.freedesktop.DBus'; echo '   boolean ${options.trayAvailable}' ;;
  *org.freedesktop.portal.ScreenCast*) ${
    options.desktopSession.screenCastPortal
      ? "echo 'method return sender=:1.20'; echo '   variant       uint32 5'"
      : "echo 'Error org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.portal.Desktop was not provided by any .service files' >&2; exit 1"
  } ;;
  *) echo 'Error org.freedesktop.DBus.Error.UnknownProperty: No such property' >&2; exit 1 ;;
esac
`,
);
chmodSync(dbusSend, 0o755);
// GNOME's do-not-disturb switch, which the test flips as the person would (DesktopApp.setSystemDoNotDisturb).
const showBanners = gnomeShowBannersFile(options.userData);
const gsettings = shim(
  'gsettings',
  `#!/bin/sh\nif [ "$*" = "get org.gnome.desktop.notifications show-banners" ]; then cat '${showBanners}' 2>/dev/null || echo true; else exit 1; fi\n`,
);
chmodSync(gsettings, 0o755);
process.env['XDG_CURRENT_DESKTOP'] = 'GNOME';
process.env['XDG_SESSION_TYPE'] = options.desktopSession.type;
if (options.desktopSession.type === 'wayland') process.env['WAYLAND_DISPLAY'] = 'wayland-0';
else delete process.env['WAYLAND_DISPLAY'];
process.env['PATH'] = `${shimDirectory}${path.delimiter}${process.env['PATH'] ?? ''}`;
// XDG Autostart entries and the like go to the profile, never to the tester's own ~/.config.
process.env['XDG_CONFIG_HOME'] = path.join(options.userData, 'xdg-config');
const electronCommonJs = shim('electron.cjs', 'module.exports = globalThis.__collaroHarnessElectron;\n');
const updaterCommonJs = shim('electron-updater.cjs', 'module.exports = globalThis.__collaroHarnessUpdaterModule;\n');
register(new URL('./loader-hooks.mjs', import.meta.url), {
  data: { electron: pathToFileURL(electronShim).href, 'electron-updater': pathToFileURL(updaterShim).href },
});
// CommonJS dependencies (require('electron')) get the same objects.
const moduleInternals = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolveFilename = moduleInternals._resolveFilename;
moduleInternals._resolveFilename = function (request: string, ...rest: unknown[]) {
  if (request === 'electron') return electronCommonJs;
  if (request === 'electron-updater') return updaterCommonJs;
  return resolveFilename.call(this, request, ...rest);
};

// What Electron's main process looks like from the inside.
process.argv = [...options.argv];
Object.defineProperty(process, 'type', { value: 'browser', enumerable: true });
Object.defineProperty(process.versions, 'electron', { value: '45.4.1', enumerable: true });
Object.defineProperty(process.versions, 'chrome', { value: '142.0.7444.52', enumerable: true });
Object.defineProperty(process, 'resourcesPath', { value: path.join(path.dirname(options.mainPath), '..', '..', 'resources'), enumerable: true });

// Electron keeps running after an uncaught exception in main (it shows an error box): the harness reports it.
process.on('uncaughtException', (error) => {
  emulation.context.violation(`uncaught exception in main: ${error.stack ?? String(error)}`);
});
process.on('unhandledRejection', (reason) => {
  emulation.context.log(`unhandled rejection in main: ${reason instanceof Error ? reason.message : String(reason)}`);
});
process.on('disconnect', () => process.exit(0));

try {
  await import(pathToFileURL(options.mainPath).href);
} catch (error) {
  // Electron shows an error box and keeps the process: the harness reports it and goes on to `ready`.
  emulation.context.violation(`main threw while starting: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}
for (const url of emulation.openUrlsBeforeReady) emulation.module.app.emit('open-url', { preventDefault() {}, defaultPrevented: false }, url);
// As in Electron, `ready` fires even in a process already quitting (a second instance on its way out).
setImmediate(() => {
  emulation.app._fireReady();
  control.notify('app.ready', {});
});
