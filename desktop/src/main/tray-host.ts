import { runCommand, type CommandRunner } from './command-runner.js';

export { runCommand, type CommandRunner };

/** Desktops that show tray icons (KDE, GNOME with AppIndicator, Xfce, Cinnamon…) own this bus name. */
const STATUS_NOTIFIER_WATCHER = 'org.kde.StatusNotifierWatcher';
const QUERY_TIMEOUT_MS = 2_000;

/**
 * Whether a tray icon would be seen. macOS and Windows always show one. On Linux, Electron's tray
 * icon is a StatusNotifierItem: it shows only where a StatusNotifierWatcher runs on the session bus,
 * so plain GNOME (no AppIndicator extension) and sessions without a bus have no tray at all. Asked
 * with dbus-send, or gdbus where that is what the system has; when neither can answer, there is no
 * tray to rely on.
 */
export async function hasTrayHost(platform: NodeJS.Platform, run: CommandRunner = runCommand): Promise<boolean> {
  if (platform !== 'linux') return true;
  const queries: [string, string[], (output: string) => boolean][] = [
    [
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        `string:${STATUS_NOTIFIER_WATCHER}`,
      ],
      (output) => /boolean\s+true/.test(output),
    ],
    [
      'gdbus',
      [
        'call',
        '--session',
        '--dest',
        'org.freedesktop.DBus',
        '--object-path',
        '/org/freedesktop/DBus',
        '--method',
        'org.freedesktop.DBus.NameHasOwner',
        STATUS_NOTIFIER_WATCHER,
      ],
      (output) => /\(true,?\)/.test(output),
    ],
  ];
  for (const [file, args, owned] of queries) {
    try {
      return owned(await run(file, args, QUERY_TIMEOUT_MS));
    } catch {
      // Not installed, or no session bus: try the next way of asking.
    }
  }
  return false;
}
