import type { FastifyInstance } from 'fastify';
import type { FrameContext, MeetingFrameHandlers } from '../realtime/gateway.js';
import { HttpError } from '../http-errors.js';
import type { MeetingRooms } from './meeting-rooms.js';

function rooms(app: FastifyInstance): MeetingRooms {
  if (!app.meetingRooms) throw new HttpError(503, 'service_unavailable', 'Meetings are not available on this server');
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
