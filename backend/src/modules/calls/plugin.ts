import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ChatService } from '../chat/service.js';
import type { RealtimeService } from '../../realtime/realtime-service.js';
import { CallService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    calls: CallService;
  }
}

export interface CallsPluginOptions {
  /** Writes the line a missed or declined call leaves in its conversation. */
  chat: ChatService;
  /** Rings the callees' connections. */
  realtime: RealtimeService;
  /** Milliseconds since the epoch; injected in tests to move time. */
  clock?: () => number;
}

/** Ringing calls from direct messages, on top of meetings (their video) and the realtime hub (the ringing). */
export const callsPlugin = fp(
  async function callsPlugin(app: FastifyInstance, options: CallsPluginOptions) {
    const clock = options.clock ?? Date.now;
    const { config } = app;
    const calls = new CallService(app.db, {
      meetings: app.meetings,
      chat: options.chat,
      realtime: options.realtime,
      ringMs: config.callRingSeconds * 1000,
      maxMembers: config.stream ? Number.POSITIVE_INFINITY : config.meetingMeshLimit,
      now: () => new Date(clock()),
      log: app.log,
    });
    app.decorate('calls', calls);
    app.addHook('onReady', async () => calls.startSweeping());
    app.addHook('onClose', async () => calls.stopSweeping());
  },
  { name: 'collaro-calls', dependencies: ['collaro-auth', 'collaro-meetings'] },
);
