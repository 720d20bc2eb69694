import type { ComponentType } from 'react';
import type { LocalJoinResponse, Meeting, StreamJoinResponse } from '@collaro/shared';

/** What the user chose on the pre-join screen. The stream is handed over to the call, not re-acquired. */
export interface MediaChoice {
  stream: MediaStream | null;
  audioDeviceId: string | null;
  videoDeviceId: string | null;
  micOn: boolean;
  cameraOn: boolean;
}

/** What the desktop shell (tray, global shortcut) and the window title need to know about a call. */
export interface CallStatus {
  muted: boolean;
  cameraOff: boolean;
  sharing: boolean;
}

/** Actions that come from outside the room: keyboard shortcuts, the tray, the global mute shortcut. */
export interface CallCommands {
  toggleMute(): void;
  toggleCamera(): void;
  leave(): void;
}

export type CallExit =
  | { reason: 'left' }
  | { reason: 'ended' }
  | { reason: 'removed' }
  | { reason: 'failed'; message: string };

interface ProviderRoomBaseProps {
  meeting: Meeting;
  media: MediaChoice;
  isHost: boolean;
  onStatus(status: CallStatus): void;
  bindCommands(commands: CallCommands | null): void;
  onExit(exit: CallExit): void;
}

export interface LocalRoomProps extends ProviderRoomBaseProps {
  join: LocalJoinResponse;
}

export interface StreamRoomProps extends ProviderRoomBaseProps {
  join: StreamJoinResponse;
}

/** Each video provider's room, loaded only when a call on that provider starts. */
export interface ProviderRoomModules {
  local: { LocalMeetingRoom: ComponentType<LocalRoomProps> };
  stream: { StreamMeetingRoom: ComponentType<StreamRoomProps> };
}
