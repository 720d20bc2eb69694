import type { EmitEvent, IpcHandlers } from './ipc-router.js';
import { MUTE_SHORTCUT, type GlobalShortcutLike } from './mute-shortcut.js';
import type { DesktopStateStore } from './desktop-state.js';
import { runCommand } from './command-runner.js';
import { JoinNextMeetingService } from './join-next-meeting.js';
import type { NotificationService } from './notifications.js';
import { PermissionsService } from './permissions.js';
import { PresentingModeService } from './presenting-mode.js';
import type { SettingsStore } from './settings-store.js';
import { readSystemDoNotDisturb, SystemDoNotDisturbService } from './system-do-not-disturb.js';

export interface FocusFeaturesDeps {
  electron: {
    globalShortcut: GlobalShortcutLike;
    /** getMediaAccessStatus exists on macOS and Windows only: never called elsewhere. */
    systemPreferences: { getMediaAccessStatus(mediaType: 'camera' | 'microphone' | 'screen'): string };
    Notification: { isSupported(): boolean };
    shell: { openExternal(url: string): Promise<void> };
  };
  state: DesktopStateStore;
  settings: SettingsStore;
  emit: EmitEvent;
  showApp: () => void;
  /** Created after these features (it asks them about do-not-disturb), so reached lazily. */
  notifications: () => NotificationService;
  log: (message: string) => void;
}

/**
 * Presenting mode, the system's do-not-disturb, "join next meeting" and the permissions page: the
 * services and the IPC handlers that serve them.
 */
export function createFocusFeatures(deps: FocusFeaturesDeps) {
  const systemDoNotDisturb = new SystemDoNotDisturbService({ read: () => readSystemDoNotDisturb(process.platform, process.env) });
  const presenting = new PresentingModeService({
    state: deps.state,
    announce: (availability) => deps.emit('tray.statusChanged', availability),
    onEnded: () => deps.notifications().releaseHeld(),
  });
  const joinNext = new JoinNextMeetingService({
    globalShortcut: deps.electron.globalShortcut,
    shortcut: { get: () => deps.settings.get().joinNextShortcut, onChange: (listener) => deps.settings.onChange(() => listener()) },
    request: (request) => deps.emit('meetings.joinNext', request),
    showApp: deps.showApp,
    openMeeting: (meetingId) => {
      deps.showApp();
      deps.emit('tray.joinMeeting', { meetingId });
    },
    notice: (title, body) => void deps.notifications().showNotice(title, body),
    log: deps.log,
  });
  const permissions = new PermissionsService({
    platform: process.platform,
    env: process.env,
    getMediaAccessStatus: (mediaType) => deps.electron.systemPreferences.getMediaAccessStatus(mediaType),
    notificationsSupported: () => deps.electron.Notification.isSupported(),
    systemDoNotDisturb: () => systemDoNotDisturb.current(),
    openExternal: (url) => deps.electron.shell.openExternal(url),
    run: runCommand,
  });

  const handlers: Pick<IpcHandlers, 'meetings.answerJoinNext' | 'permissions.get' | 'permissions.openSettings'> = {
    'meetings.answerJoinNext': (answer) => joinNext.answer(answer),
    'permissions.get': async () => {
      await systemDoNotDisturb.refresh();
      return permissions.report();
    },
    'permissions.openSettings': (kind) => permissions.openSettings(kind),
  };

  /** The settings patch for the shortcut, refused when it would take Collaro's own mute shortcut. */
  const checkShortcut = (shortcut: string | null | undefined): void => {
    if (shortcut === MUTE_SHORTCUT) throw new Error(`${MUTE_SHORTCUT} already mutes the microphone in a call: choose another shortcut`);
  };

  /** What the notification service asks of these features. */
  const notificationDeps = {
    systemDoNotDisturb: () => systemDoNotDisturb.isOn(),
    automaticDoNotDisturb: () => presenting.automaticDoNotDisturb(),
    onDismissed: (meetingId: string) => void deps.emit('notifications.dismissed', { kind: 'meeting', meetingId }),
  };

  return { presenting, joinNext, handlers, checkShortcut, notificationDeps, services: [systemDoNotDisturb, presenting, joinNext] };
}
