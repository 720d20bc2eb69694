import type { Page } from 'playwright-core';

/** A call the web UI made on `window.collaro`, as the fake bridge recorded it. */
export interface BridgeCall {
  action: string;
  argument: unknown;
}

declare global {
  interface Window {
    bridgeCalls: BridgeCall[];
    emitFromShell: (event: string, payload: unknown) => void;
  }
}

/**
 * Runs in the page before Collaro's scripts (`context.addInitScript(installFakeDesktopBridge, origin)`):
 * a stand-in for the desktop preload's `window.collaro` that records what the UI tells the shell and
 * lets a test play the shell's side (the tray, the sharing bar, deep links) with `emitFromShell`.
 */
export function installFakeDesktopBridge(serverOrigin: string): void {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: BridgeCall[] = [];
  const record = (action: string) => async (argument?: unknown) => {
    calls.push({ action, argument: JSON.parse(JSON.stringify(argument ?? null)) });
    if (action === 'settings.get') return { backendUrl: serverOrigin, backendUrlConfirmed: true, startAtLogin: false, miniCallWindow: false };
    if (action === 'notifications.show') return { shown: true };
    if (action === 'calls.ring') return { shown: true };
    if (action === 'app.info') return { version: '0.1.0', platform: 'linux', packaged: false };
    return undefined;
  };
  const listen = (event: string) => (listener: (payload: unknown) => void) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  };
  window.bridgeCalls = calls;
  window.emitFromShell = (event, payload) => listeners.get(event)?.forEach((listener) => listener(payload));
  Object.defineProperty(window, 'collaro', {
    value: {
      app: { info: record('app.info') },
      settings: { get: record('settings.get'), set: record('settings.set') },
      notifications: { show: record('notifications.show'), onClicked: listen('notifications.clicked'), onDismissed: listen('notifications.dismissed') },
      meetings: { onJoinNext: listen('meetings.joinNext'), answerJoinNext: record('meetings.answerJoinNext') },
      permissions: { get: record('permissions.get'), openSettings: record('permissions.openSettings') },
      tray: {
        setMeetings: record('tray.setMeetings'),
        setStatus: record('tray.setStatus'),
        setUnread: record('tray.setUnread'),
        onJoinMeeting: listen('tray.joinMeeting'),
        onStartInstantMeeting: listen('tray.startInstantMeeting'),
        onStatusChanged: listen('tray.statusChanged'),
      },
      call: {
        setState: record('call.setState'),
        setSpeaker: record('call.setSpeaker'),
        onToggleMute: listen('call.toggleMute'),
        onToggleCamera: listen('call.toggleCamera'),
        onLeave: listen('call.leave'),
        onSpeakerWanted: listen('call.speakerWanted'),
      },
      screenShare: { stop: record('screenShare.stop'), onStopped: listen('screenShare.stopped') },
      calls: { ring: record('calls.ring'), stopRinging: record('calls.stopRinging'), onAnswer: listen('calls.answer') },
      deepLinks: { onOpen: listen('deepLinks.open'), ready: record('deepLinks.ready') },
    },
  });
}

/** The last call state the UI reported to the shell (tray, keep-awake, sharing bar). */
export async function lastCallState(page: Page): Promise<unknown> {
  return page.evaluate(() => window.bridgeCalls.filter((call) => call.action === 'call.setState').at(-1)?.argument ?? null);
}
