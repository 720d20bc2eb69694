import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { VideoProviderName } from '@collaro/shared';
import { calendarFeedRoutes, calendarTokenRoutes } from '../calendar/routes.js';
import { guestLinkRoutes, guestRoutes } from '../guests/routes.js';
import { joinPageRoutes } from './join-page-routes.js';
import { meetingRoutes } from './routes.js';
import { streamWebhookRoutes } from './stream-webhook-routes.js';
import { EmptyMeetingSweeper } from './empty-meetings.js';
import { MeetingNudges } from './nudges.js';
import { MeetingGuests } from '../guests/service.js';
import { MeetingRemovals } from './removals.js';
import type { MeetingRooms } from './rooms.js';
import { MeetingService } from './service.js';
import { MeetingReminders } from './reminders.js';
import { LocalMeshProvider } from './providers/local-mesh.js';
import { StreamProvider } from './providers/stream.js';
import type { VideoProvider } from './video-provider.js';
import type { RealtimeService } from '../../realtime/realtime-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    meetings: MeetingService;
    /** Guest links and the guests who came through them. */
    meetingGuests: MeetingGuests;
    /** The built-in mesh's rooms (built in app.ts, before anything that changes memberships). */
    meetingRooms: MeetingRooms;
    /** Five-minute reminders. */
    meetingReminders: MeetingReminders;
    /** Ends built-in mesh meetings that have been empty for MEETING_EMPTY_GRACE_SECONDS. */
    emptyMeetings: EmptyMeetingSweeper;
  }
}

export interface MeetingsPluginOptions {
  /** Milliseconds since the epoch; injected in tests to move time. */
  clock?: () => number;
  /** Pushes the guests' chat lines and the reminders. */
  realtime: RealtimeService;
  /** The built-in mesh's rooms; meetings tell them when one ends. */
  rooms: MeetingRooms;
}

/**
 * Meetings, their video providers and their calendar. Stream is used for new meetings when both
 * STREAM_API_KEY and STREAM_API_SECRET are set; Collaro's own mesh otherwise (and always for
 * meetings created while it was the default). The routes open to people without an account (join
 * page, calendar feed, guest links, Stream's webhook) mount here; the signed-in ones through
 * `meetingApiRoutes`, inside buildApp's guarded `/api` tree.
 */
export const meetingsPlugin = fp(
  async function meetingsPlugin(app: FastifyInstance, options: MeetingsPluginOptions) {
    const clock = options.clock ?? Date.now;
    const now = () => new Date(clock());
    const { config } = app;
    const providers: Partial<Record<VideoProviderName, VideoProvider>> = {
      local: new LocalMeshProvider(app.db, { iceServers: config.iceServers, participantLimit: config.meetingMeshLimit, now }),
    };
    const stream = config.stream
      ? await StreamProvider.create({ apiKey: config.stream.apiKey, apiSecret: config.stream.apiSecret, baseUrl: config.stream.baseUrl, now })
      : undefined;
    if (stream) providers.stream = stream;
    const meetings = new MeetingService(app.db, {
      publicUrl: config.publicUrl,
      providers,
      defaultProvider: stream ? 'stream' : 'local',
      now,
    });
    app.decorate('meetings', meetings);
    const guests = new MeetingGuests(app.db, meetings, {
      publicUrl: config.publicUrl,
      now,
      realtime: options.realtime,
    });
    app.decorate('meetingGuests', guests);
    const { rooms } = options;
    meetings.setRoomEvents(rooms);
    app.decorate('meetingRooms', rooms);
    const reminders = new MeetingReminders(app.db, options.realtime, now, app.log);
    app.decorate('meetingReminders', reminders);
    app.addHook('onReady', async () => reminders.start());
    app.addHook('onClose', async () => reminders.stop());
    const emptyMeetings = new EmptyMeetingSweeper(app.db, { graceMs: config.meetingEmptyGraceSeconds * 1000, now, log: app.log, roomEvents: rooms });
    app.decorate('emptyMeetings', emptyMeetings);
    app.addHook('onReady', async () => emptyMeetings.start());
    app.addHook('onClose', async () => emptyMeetings.stop());

    await app.register(joinPageRoutes, { prefix: '/m' });
    await app.register(calendarFeedRoutes, { prefix: '/api/calendar', meetings });
    // Outside the signed-in tree: a guest has no account, only a link and then a guest token.
    await app.register(guestLinkRoutes, { prefix: '/api/guest-links', guests });
    await app.register(guestRoutes, { prefix: '/api/guest', guests });
    if (stream && config.stream) {
      await app.register(streamWebhookRoutes, { prefix: '/api/webhooks/stream', meetings, stream, apiKey: config.stream.apiKey, now });
    }
  },
  { name: 'collaro-meetings', dependencies: ['collaro-auth'] },
);

/** The signed-in caller's meeting routes, mounted inside the guarded `/api` tree by buildApp. */
export async function meetingApiRoutes(api: FastifyInstance) {
  const { meetings, meetingGuests: guests } = api;
  await api.register(meetingRoutes, {
    prefix: '/meetings',
    meetings,
    removals: new MeetingRemovals(api.db),
    nudges: new MeetingNudges(api.db, meetings),
    guests,
  });
  await api.register(calendarTokenRoutes, { meetings });
}
