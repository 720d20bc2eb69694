import { useSyncExternalStore } from 'react';
import type { CallExit } from '../call/call-types.js';

/** The link to the meeting's other participants, as the user should read it. */
export type CallConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface CallParticipant {
  id: string;
  name: string;
  isLocal: boolean;
  isHost: boolean;
  audioMuted: boolean;
  videoOff: boolean;
  camera: MediaStream | null;
  screen: MediaStream | null;
  /** The stream carrying this participant's voice; null for oneself, who must not hear an echo. */
  audio: MediaStream | null;
  /** The peer connection to this participant (always "connected" for oneself). */
  link: 'connecting' | 'connected' | 'failed';
}

export interface CallSnapshot {
  connection: CallConnectionState;
  /** Oneself first, then the others in the order they joined. */
  participants: CallParticipant[];
  muted: boolean;
  cameraOff: boolean;
  /** Whether a microphone and a camera track exist at all: without one its toggle can change nothing. */
  hasMicrophone: boolean;
  hasCamera: boolean;
  sharing: boolean;
  /** Something the user should be told once, e.g. "The host muted you". */
  notice: string | null;
  exit: CallExit | null;
}

/**
 * A call as Collaro's own room screen drives it. The built-in mesh implements it; the room knows
 * nothing about WebRTC or signaling.
 */
export interface CallSession {
  getSnapshot(): CallSnapshot;
  subscribe(listener: () => void): () => void;
  setMuted(muted: boolean): void;
  setCameraOff(off: boolean): void;
  /** Asks the system for a screen (the desktop app shows its own picker); rejects if the user cancels. */
  startScreenShare(): Promise<void>;
  stopScreenShare(): void;
  /** Host only: asks a participant to mute. */
  muteParticipant(participantId: string): void;
  /** Host only: removes a participant from the call. */
  removeParticipant(participantId: string): void;
  leave(): void;
  dispose(): void;
}

export function useCallSnapshot(session: CallSession): CallSnapshot {
  return useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.getSnapshot(),
  );
}
