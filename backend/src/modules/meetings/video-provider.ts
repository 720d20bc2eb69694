import type { JoinMeetingResponse, MeetingRecording, VideoProviderName } from '@collaro/shared';
import type { MeetingRow } from './repository.js';

export interface CallMember {
  id: string;
  name: string;
  isHost: boolean;
  /** A meeting's guest (someone without an account, let in by a guest link), not one of the organization's people. */
  isGuest?: boolean;
}

/** Where a meeting's media flows: Collaro's own WebRTC mesh or Stream's SFU. */
export interface VideoProvider {
  readonly name: VideoProviderName;
  /** Sets the call up at the provider when the meeting is created; returns the provider's call id, if any. */
  createCall(meeting: MeetingRow, members: CallMember[]): Promise<string | null>;
  /** Tells the provider the meeting moved. */
  rescheduleCall(meeting: MeetingRow): Promise<void>;
  /** Admits one user: checks capacity and hands out what their client needs to connect. */
  join(meeting: MeetingRow, user: CallMember): Promise<JoinMeetingResponse>;
  /** Ends the call for everyone at the provider. */
  endCall(meeting: MeetingRow): Promise<void>;
  listRecordings(meeting: MeetingRow): Promise<MeetingRecording[]>;
}
