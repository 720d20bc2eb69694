import { IDLE_CALL_STATE } from '@collaro/shared';
import { useEffect, type RefObject } from 'react';
import { desktopBridge } from '../../../platform/desktop-bridge.js';
import { useHotkey } from '../../../ui/use-hotkey.js';
import type { CallCommands, CallStatus } from './call-types.js';
import { setSpeakerWanted } from './mini-window-speaker.js';
import { usePushToTalk } from './push-to-talk.js';

export const CALL_SHORTCUTS = { toggleMute: 'mod+d', toggleCamera: 'mod+e' } as const;

/**
 * Wires a running call to the keyboard (shortcuts, push to talk) and, in the desktop app, to the
 * tray, the global mute shortcut, the small call window and the sharing bar: the tray shows "in a
 * call / microphone live or muted / talking / sharing", its Mute, camera and Leave act on this call,
 * and the bar's Stop ends the share, whichever video provider runs the call.
 */
export function useCallBridge(meetingId: string, status: CallStatus | null, commands: RefObject<CallCommands | null>): void {
  const inCall = status !== null;

  useHotkey(CALL_SHORTCUTS.toggleMute, () => commands.current?.toggleMute(), inCall);
  useHotkey(CALL_SHORTCUTS.toggleCamera, () => commands.current?.toggleCamera(), inCall);

  const muted = status?.muted ?? false;
  const cameraOff = status?.cameraOff ?? false;
  const sharing = status?.sharing ?? false;
  const talking = usePushToTalk(inCall, muted, (next) => commands.current?.setMuted(next));
  useEffect(() => {
    const bridge = desktopBridge();
    if (!bridge) return;
    void bridge.call.setState(inCall ? { inCall: true, muted, sharing, meetingId, cameraOff, talking: talking && !muted } : IDLE_CALL_STATE);
  }, [inCall, muted, sharing, meetingId, cameraOff, talking]);

  useEffect(() => {
    const bridge = desktopBridge();
    if (!bridge || !inCall) return;
    const unsubscribers = [
      bridge.call.onToggleMute(() => commands.current?.toggleMute()),
      bridge.call.onToggleCamera(() => commands.current?.toggleCamera()),
      bridge.call.onLeave(() => commands.current?.leave()),
      bridge.call.onSpeakerWanted(({ wanted }) => setSpeakerWanted(wanted)),
    ];
    return () => {
      unsubscribers.forEach((unsubscribe) => unsubscribe());
      setSpeakerWanted(false);
      void bridge.call.setState(IDLE_CALL_STATE);
    };
  }, [inCall, commands]);

  // The sharing bar lives outside this window: its Stop must end the share, or the bar would vanish
  // while the screen is still sent.
  useEffect(() => {
    const bridge = desktopBridge();
    if (!bridge || !sharing) return;
    const unsubscribe = bridge.screenShare.onStopped(() => commands.current?.stopScreenShare());
    return () => {
      unsubscribe();
      void bridge.screenShare.stop();
    };
  }, [sharing, commands]);
}
