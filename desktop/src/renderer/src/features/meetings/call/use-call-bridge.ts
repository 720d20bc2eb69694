import { IDLE_CALL_STATE } from '@collaro/shared';
import { useEffect, type RefObject } from 'react';
import { desktopBridge } from '../../../platform/desktop-bridge.js';
import { useHotkey } from '../../../ui/use-hotkey.js';
import type { CallCommands, CallStatus } from './call-types.js';

export const CALL_SHORTCUTS = { toggleMute: 'mod+d', toggleCamera: 'mod+e' } as const;

/**
 * Wires a running call to the keyboard and, in the desktop app, to the tray and the global mute
 * shortcut: the tray shows "in a call / muted / sharing" and its Mute and Leave act on this call.
 */
export function useCallBridge(meetingId: string, status: CallStatus | null, commands: RefObject<CallCommands | null>): void {
  const inCall = status !== null;

  useHotkey(CALL_SHORTCUTS.toggleMute, () => commands.current?.toggleMute(), inCall);
  useHotkey(CALL_SHORTCUTS.toggleCamera, () => commands.current?.toggleCamera(), inCall);

  const muted = status?.muted ?? false;
  const sharing = status?.sharing ?? false;
  useEffect(() => {
    const bridge = desktopBridge();
    if (!bridge) return;
    void bridge.call.setState(inCall ? { inCall: true, muted, sharing, meetingId } : IDLE_CALL_STATE);
  }, [inCall, muted, sharing, meetingId]);

  useEffect(() => {
    const bridge = desktopBridge();
    if (!bridge || !inCall) return;
    const unsubscribers = [
      bridge.call.onToggleMute(() => commands.current?.toggleMute()),
      bridge.call.onLeave(() => commands.current?.leave()),
    ];
    return () => {
      unsubscribers.forEach((unsubscribe) => unsubscribe());
      void bridge.call.setState(IDLE_CALL_STATE);
    };
  }, [inCall, commands]);
}
