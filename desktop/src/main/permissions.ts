import type {
  DesktopPermission,
  DesktopPermissionKind,
  DesktopPermissionsReport,
  OpenPermissionSettingsResult,
  PermissionState,
  SystemDoNotDisturb,
} from '@collaro/shared';
import type { CommandRunner } from './command-runner.js';

type MediaType = 'camera' | 'microphone' | 'screen';

/**
 * The system settings pages the permissions page may open, and nothing else: shell.openExternal is
 * only ever handed one of these.
 */
export const PERMISSION_SETTINGS_PAGES: Partial<Record<NodeJS.Platform, Partial<Record<DesktopPermissionKind, string>>>> = {
  darwin: {
    camera: 'x-apple.systempreferences:com.apple.preference.security?Privacy_Camera',
    microphone: 'x-apple.systempreferences:com.apple.preference.security?Privacy_Microphone',
    screen: 'x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture',
    notifications: 'x-apple.systempreferences:com.apple.preference.notifications',
  },
  win32: {
    camera: 'ms-settings:privacy-webcam',
    microphone: 'ms-settings:privacy-microphone',
    notifications: 'ms-settings:notifications',
  },
};

export interface PermissionsDeps {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** systemPreferences.getMediaAccessStatus: Electron has it on macOS and Windows only. */
  getMediaAccessStatus: (mediaType: MediaType) => string;
  notificationsSupported: () => boolean;
  systemDoNotDisturb: () => SystemDoNotDisturb;
  openExternal: (url: string) => Promise<void>;
  run: CommandRunner;
}

const MEDIA_STATES: readonly PermissionState[] = ['granted', 'denied', 'restricted', 'not-determined', 'unknown'];

/** Linux under Wayland: Chromium captures screens only through the desktop portal's ScreenCast (PipeWire). */
export function isWaylandSession(env: NodeJS.ProcessEnv): boolean {
  return env['XDG_SESSION_TYPE'] === 'wayland' || (Boolean(env['WAYLAND_DISPLAY']) && env['XDG_SESSION_TYPE'] !== 'x11');
}

/**
 * Under Wayland, Chromium can capture screens only through xdg-desktop-portal's ScreenCast, which
 * hands over a PipeWire stream: Chromium's WebRTCPipeWireCapturer. Electron 45 enables it by
 * default; it is switched on here as well so a packaging change or an older default cannot leave
 * Wayland users with a picker of black screens. Must run before `ready`.
 */
export function enableWaylandScreenCapture(
  commandLine: { appendSwitch(name: string, value?: string): void; getSwitchValue(name: string): string },
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
): void {
  if (platform !== 'linux' || !isWaylandSession(env)) return;
  const features = commandLine.getSwitchValue('enable-features').split(',').filter(Boolean);
  if (!features.includes('WebRTCPipeWireCapturer')) commandLine.appendSwitch('enable-features', [...features, 'WebRTCPipeWireCapturer'].join(','));
}

/** Whether xdg-desktop-portal answers on the session bus with a ScreenCast backend (its `version`). */
export async function hasScreenCastPortal(run: CommandRunner): Promise<boolean> {
  try {
    const output = await run(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.portal.Desktop',
        '/org/freedesktop/portal/desktop',
        'org.freedesktop.DBus.Properties.Get',
        'string:org.freedesktop.portal.ScreenCast',
        'string:version',
      ],
      2_000,
    );
    return /uint32\s+\d+/.test(output);
  } catch {
    return false;
  }
}

export class PermissionsService {
  readonly #deps: PermissionsDeps;

  constructor(deps: PermissionsDeps) {
    this.#deps = deps;
  }

  async report(): Promise<DesktopPermissionsReport> {
    const { platform } = this.#deps;
    const wayland = platform === 'linux' && isWaylandSession(this.#deps.env);
    const permissions: DesktopPermission[] = [this.#media('camera'), this.#media('microphone'), await this.#screen(wayland), this.#notifications()];
    return {
      permissions,
      systemDoNotDisturb: this.#deps.systemDoNotDisturb(),
      screenCapture: platform !== 'linux' ? 'system' : wayland ? 'portal' : 'x11',
    };
  }

  async openSettings(kind: DesktopPermissionKind): Promise<OpenPermissionSettingsResult> {
    const url = PERMISSION_SETTINGS_PAGES[this.#deps.platform]?.[kind];
    if (!url) return { opened: false, message: 'This system has no settings page for that permission.' };
    try {
      await this.#deps.openExternal(url);
      return { opened: true, message: '' };
    } catch (error) {
      return { opened: false, message: `The system settings did not open: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  #canOpen(kind: DesktopPermissionKind): boolean {
    return Boolean(PERMISSION_SETTINGS_PAGES[this.#deps.platform]?.[kind]);
  }

  #systemStatus(mediaType: MediaType): PermissionState {
    const status = this.#deps.getMediaAccessStatus(mediaType);
    return (MEDIA_STATES as readonly string[]).includes(status) ? (status as PermissionState) : 'unknown';
  }

  #media(kind: 'camera' | 'microphone'): DesktopPermission {
    const { platform } = this.#deps;
    const device = kind === 'camera' ? 'camera' : 'microphone';
    if (platform === 'darwin' || platform === 'win32') {
      const state = this.#systemStatus(kind);
      const where = platform === 'darwin' ? 'System Settings › Privacy & Security' : 'Settings › Privacy & security';
      const detail = state === 'granted' ? `Collaro may use the ${device}.` : `Allow Collaro to use the ${device} in ${where}.`;
      return { kind, state, detail, canOpenSettings: this.#canOpen(kind) };
    }
    return {
      kind,
      state: 'not-required',
      detail: `This system asks no permission for the ${device}: Collaro can use it when your account can open the device.`,
      canOpenSettings: false,
    };
  }

  async #screen(wayland: boolean): Promise<DesktopPermission> {
    const { platform } = this.#deps;
    if (platform === 'darwin') {
      const state = this.#systemStatus('screen');
      const detail =
        state === 'granted'
          ? 'Collaro may record the screen for sharing.'
          : 'Allow Collaro under System Settings › Privacy & Security › Screen & System Audio Recording, then restart Collaro.';
      return { kind: 'screen', state, detail, canOpenSettings: true };
    }
    if (platform === 'win32')
      return { kind: 'screen', state: 'not-required', detail: 'Windows asks no permission to share the screen.', canOpenSettings: false };
    if (!wayland) return { kind: 'screen', state: 'not-required', detail: 'On X11 Collaro captures screens and windows directly.', canOpenSettings: false };
    const portal = await hasScreenCastPortal(this.#deps.run);
    return portal
      ? {
          kind: 'screen',
          state: 'granted',
          detail: 'Wayland: screen sharing goes through the desktop portal, which asks you each time what to share.',
          canOpenSettings: false,
        }
      : {
          kind: 'screen',
          state: 'unavailable',
          detail:
            "Wayland: screen sharing needs the desktop portal. Install xdg-desktop-portal, your desktop's backend (xdg-desktop-portal-gnome, -kde or -wlr) and PipeWire.",
          canOpenSettings: false,
        };
  }

  #notifications(): DesktopPermission {
    const { platform } = this.#deps;
    if (!this.#deps.notificationsSupported()) {
      const detail = platform === 'linux' ? 'No notification server is running in this desktop session.' : 'This system does not show notifications.';
      return { kind: 'notifications', state: 'unavailable', detail, canOpenSettings: this.#canOpen('notifications') };
    }
    if (platform === 'linux') return { kind: 'notifications', state: 'granted', detail: 'The desktop shows Collaro’s notifications.', canOpenSettings: false };
    // Neither macOS nor Windows tells an Electron app whether the person turned its notifications off.
    return {
      kind: 'notifications',
      state: 'unknown',
      detail: `${platform === 'darwin' ? 'macOS' : 'Windows'} does not tell apps whether their notifications are allowed: check Collaro in the system's notification settings.`,
      canOpenSettings: this.#canOpen('notifications'),
    };
  }
}
