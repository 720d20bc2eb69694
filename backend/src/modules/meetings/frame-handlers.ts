import { RESUME_FRAME_REPLAY_LIMIT } from '@collaro/shared';
import type { GuestFrameHandlers, MeetingFrameHandlers } from '../../realtime/gateway.js';
import type { MeetingGuests } from '../guests/service.js';
import type { MeetingRooms } from './rooms.js';

/** One handler per meeting frame type (see shared/src/ws/meeting-frames.ts); the gateway validated each frame. */
export function createMeetingFrameHandlers(rooms: MeetingRooms): MeetingFrameHandlers {
  return {
    'meeting.join': ({ connection }, frame) => rooms.join(connection, frame),
    'meeting.leave': ({ connection }, frame) => rooms.leave(connection, frame),
    'rtc.signal': ({ connection }, frame) => rooms.signal(connection, frame),
    'meeting.media': ({ connection }, frame) => rooms.media(connection, frame),
    'meeting.mute': ({ connection }, frame) => rooms.askToMute(connection, frame),
    'meeting.remove': ({ connection }, frame) => rooms.remove(connection, frame),
  };
}

/** A guest's connection: their meeting's room (no moderation) and its chat. */
export function createGuestFrameHandlers(meetingHandlers: MeetingFrameHandlers, guests: MeetingGuests): GuestFrameHandlers {
  return {
    'meeting.join': meetingHandlers['meeting.join'],
    'meeting.leave': meetingHandlers['meeting.leave'],
    'rtc.signal': meetingHandlers['rtc.signal'],
    'meeting.media': meetingHandlers['meeting.media'],
    'chat.send': ({ connection }, frame) => guests.sendChat(connection, frame),
    // A reconnected guest catches up on the meeting chat as a member does on their channels.
    resume: ({ connection, realtime }, frame) => guests.resume(connection, frame, Math.min(realtime.limits.resumeReplayLimit, RESUME_FRAME_REPLAY_LIMIT)),
  };
}
