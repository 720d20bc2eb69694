import type { SystemDoNotDisturb } from '@collaro/shared';
import { runCommand, type CommandRunner } from './command-runner.js';

const QUERY_TIMEOUT_MS = 2_000;

/**
 * Reads the operating system's own do-not-disturb where an app can. Electron has no API for it on
 * any platform, so:
 * - Linux: the notification server's `Inhibited` property (org.freedesktop.Notifications, spec 1.2;
 *   KDE Plasma and others), else, on GNOME-family desktops, GNOME's own switch
 *   (`org.gnome.desktop.notifications show-banners` false = do not disturb);
 * - macOS: Focus is private to the system since macOS 12 (only apps with Full Disk Access could read
 *   its database), so it is reported as unknown; the system itself holds banners during a Focus;
 * - Windows: Focus Assist / do not disturb has no public Win32 API Electron exposes; unknown, and
 *   Windows holds banners itself.
 */
export async function readSystemDoNotDisturb(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, run: CommandRunner = runCommand): Promise<SystemDoNotDisturb> {
  if (platform === 'darwin') return { state: 'unknown', source: 'macOS does not let apps read Focus; macOS holds notification banners itself during a Focus' };
  if (platform === 'win32') return { state: 'unknown', source: 'Windows does not let apps read do not disturb; Windows holds notification banners itself' };
  if (platform !== 'linux') return { state: 'unknown', source: 'not readable on this system' };
  try {
    const output = await run(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.Notifications',
        '/org/freedesktop/Notifications',
        'org.freedesktop.DBus.Properties.Get',
        'string:org.freedesktop.Notifications',
        'string:Inhibited',
      ],
      QUERY_TIMEOUT_MS,
    );
    const inhibited = /boolean\s+(true|false)/.exec(output);
    if (inhibited) return { state: inhibited[1] === 'true' ? 'on' : 'off', source: 'the notification server (org.freedesktop.Notifications Inhibited)' };
  } catch {
    // This notification server does not publish Inhibited (GNOME Shell does not): ask GNOME instead.
  }
  if (/gnome|unity|budgie|pantheon|ubuntu/i.test(env['XDG_CURRENT_DESKTOP'] ?? '')) {
    try {
      const output = (await run('gsettings', ['get', 'org.gnome.desktop.notifications', 'show-banners'], QUERY_TIMEOUT_MS)).trim();
      if (output === 'true' || output === 'false') {
        return { state: output === 'false' ? 'on' : 'off', source: 'GNOME (org.gnome.desktop.notifications show-banners)' };
      }
    } catch {
      // No gsettings: nothing else to ask.
    }
  }
  return { state: 'unknown', source: 'this desktop publishes no do-not-disturb state Collaro can read' };
}

/** Keeps the last reading of the system's do-not-disturb, asked again every `intervalMs`. */
export class SystemDoNotDisturbService {
  #current: SystemDoNotDisturb = { state: 'unknown', source: 'not read yet' };
  #timer: ReturnType<typeof setInterval> | null = null;
  readonly #read: () => Promise<SystemDoNotDisturb>;
  readonly #intervalMs: number;
  readonly #onChange: (state: SystemDoNotDisturb) => void;

  constructor(deps: { read: () => Promise<SystemDoNotDisturb>; intervalMs?: number; onChange?: (state: SystemDoNotDisturb) => void }) {
    this.#read = deps.read;
    this.#intervalMs = deps.intervalMs ?? 15_000;
    this.#onChange = deps.onChange ?? (() => undefined);
  }

  start(): void {
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), this.#intervalMs);
    this.#timer.unref?.();
  }

  current(): SystemDoNotDisturb {
    return this.#current;
  }

  isOn(): boolean {
    return this.#current.state === 'on';
  }

  async refresh(): Promise<SystemDoNotDisturb> {
    const next = await this.#read().catch((): SystemDoNotDisturb => ({ state: 'unknown', source: 'reading it failed' }));
    const changed = next.state !== this.#current.state;
    this.#current = next;
    if (changed) this.#onChange(next);
    return next;
  }

  dispose(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
