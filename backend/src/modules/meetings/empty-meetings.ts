import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import { endEmptyMeshMeetings } from './sessions-repository.js';
import type { MeetingRoomEvents } from './service.js';

/**
 * Ends built-in mesh meetings once their last participant has been gone for the grace period, so
 * an empty meeting stops showing as Live (Stream reports the end of its calls by webhook). Every
 * backend instance sweeps; the end is one conditional UPDATE, so each meeting ends exactly once,
 * and a restart loses nothing because the state lives in the database, not in timers.
 */
export class EmptyMeetingSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: {
      graceMs: number;
      now: () => Date;
      log: FastifyBaseLogger;
      /** Who to tell that a meeting ended; absent without the realtime gateway. */
      roomEvents: MeetingRoomEvents | undefined;
    },
  ) {}

  /** How often to look: a quarter of the grace period, so a meeting ends at most 25% late. */
  get intervalMs() {
    return Math.min(15_000, Math.max(100, this.options.graceMs / 4));
  }

  /** Ends every meeting that has been empty long enough; returns how many this instance ended. */
  async runOnce(): Promise<number> {
    const ended = await endEmptyMeshMeetings(this.db, this.options.now(), this.options.graceMs);
    for (const meeting of ended) await this.options.roomEvents?.meetingEnded(meeting.id, 'ended');
    return ended.length;
  }

  start() {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((error: unknown) => {
          this.options.log.error({ err: error }, 'ending empty meetings failed');
          return 0;
        })
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop() {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
