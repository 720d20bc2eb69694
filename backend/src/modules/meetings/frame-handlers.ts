import { RESUME_FRAME_REPLAY_LIMIT } from '@collaro/shared';
import type { FastifyInstance } from 'fastify';
import type { FrameContext, GuestFrameHandlers, MeetingFrameHandlers } from '../../realtime/gateway.js';
import { DomainError } from '../../domain-errors.js';
import type { MeetingGuests } from '../guests/service.js';
import type { MeetingRooms } from './rooms.js';

function rooms(app: FastifyInstance): MeetingRooms {
  if (!app.meetingRooms) throw new DomainError('service_unavailable', 'Meetings are not available on this server');
  return app.meetingRooms;
}

/** One handler per meeting frame type (see shared/src/ws/meeting-frames.ts); the gateway validated each frame. */
export const meetingFrameHandlers: MeetingFrameHandlers = {
  'meeting.join': ({ app, connection }: FrameContext, frame) => rooms(app).join(connection, frame),
  'meeting.leave': ({ app, connection }, frame) => rooms(app).leave(connection, frame),
  'rtc.signal': ({ app, connection }, frame) => rooms(app).signal(connection, frame),
  'meeting.media': ({ app, connection }, frame) => rooms(app).media(connection, frame),
  'meeting.mute': ({ app, connection }, frame) => rooms(app).askToMute(connection, frame),
  'meeting.remove': ({ app, connection }, frame) => rooms(app).remove(connection, frame),
};

function guests(app: FastifyInstance): MeetingGuests {
  if (!app.meetingGuests) throw new DomainError('service_unavailable', 'Meetings are not available on this server');
  return app.meetingGuests;
}

/** A guest's connection: their meeting's room (no moderation) and its chat. */
export const guestFrameHandlers: GuestFrameHandlers = {
  'meeting.join': meetingFrameHandlers['meeting.join'],
  'meeting.leave': meetingFrameHandlers['meeting.leave'],
  'rtc.signal': meetingFrameHandlers['rtc.signal'],
  'meeting.media': meetingFrameHandlers['meeting.media'],
  'chat.send': ({ app, connection }, frame) => guests(app).sendChat(connection, frame),
  // A reconnected guest catches up on the meeting chat as a member does on their channels.
  resume: ({ app, connection }, frame) => guests(app).resume(connection, frame, Math.min(app.realtime.limits.resumeReplayLimit, RESUME_FRAME_REPLAY_LIMIT)),
};
