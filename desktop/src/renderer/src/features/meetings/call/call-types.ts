import type { ComponentType } from 'react';
import type { JoinMeetingResponse, LocalJoinResponse, Meeting, StreamJoinResponse } from '@collaro/shared';
import type { PreparedOffer } from '../mesh/client/index.js';

/** What the user chose on the pre-join screen. The stream is handed over to the call, not re-acquired. */
export interface MediaChoice {
  stream: MediaStream | null;
  audioDeviceId: string | null;
  videoDeviceId: string | null;
  micOn: boolean;
  cameraOn: boolean;
  /** Where the others' voices play; null for the system's default output. */
  audioOutputId: string | null;
}

/** What the desktop shell (tray, global shortcut) and the window title need to know about a call. */
export interface CallStatus {
  muted: boolean;
  cameraOff: boolean;
  sharing: boolean;
}

/**
 * Actions that come from outside the room: keyboard shortcuts, the tray, the global mute shortcut,
 * and the desktop's "You are sharing — Stop" bar. Every video provider's room binds all of them.
 */
export interface CallCommands {
  toggleMute(): void;
  /** Push to talk opens and closes the microphone explicitly, whatever a toggle would do. */
  setMuted(muted: boolean): void;
  toggleCamera(): void;
  /** Ends this user's screen share, if any. */
  stopScreenShare(): void;
  leave(): void;
}

export type CallExit = { reason: 'left' } | { reason: 'ended' } | { reason: 'removed' } | { reason: 'failed'; message: string };

interface ProviderRoomBaseProps {
  meeting: Meeting;
  media: MediaChoice;
  isHost: boolean;
  onStatus(status: CallStatus): void;
  bindCommands(commands: CallCommands | null): void;
  onExit(exit: CallExit): void;
}

export interface MeshRoomProps extends ProviderRoomBaseProps {
  join: LocalJoinResponse;
  /** The offer made while the join request was on its way; the room's mesh takes it or closes it. */
  prepared?: PreparedOffer | null;
}

/** Who is in a Stream room on a guest link, rather than a signed-in member. */
export interface StreamGuest {
  /** The name they gave; Stream shows it to the others. */
  name: string;
  /** A fresh join through the guest routes, for a new call token when the old one runs out. */
  rejoin(): Promise<JoinMeetingResponse>;
}

export interface StreamRoomProps extends Omit<ProviderRoomBaseProps, 'meeting'> {
  /** All the Stream room shows of the meeting, which a guest's view of it has too. */
  meeting: Pick<Meeting, 'id' | 'title'>;
  join: StreamJoinResponse;
  /** Set on a guest link: the guest's own token renewal, and none of the members' chat. */
  guest?: StreamGuest;
}

/** Each video provider's room, loaded only when a call on that provider starts. */
export interface ProviderRoomModules {
  /** Keyed by the join response's `provider`: the API still calls the built-in mesh `local`. */
  local: { MeshMeetingRoom: ComponentType<MeshRoomProps> };
  stream: { StreamMeetingRoom: ComponentType<StreamRoomProps> };
}
