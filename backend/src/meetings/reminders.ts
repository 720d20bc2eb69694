import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/client.js';
import type { RealtimeService } from '../realtime/gateway.js';
import { claimDueReminders, listInviteeIds } from '../repositories/meetings-repository.js';

/** How long before a scheduled meeting its people are reminded. */
export const REMINDER_LEAD_MINUTES = 5;
export const REMINDER_CHECK_INTERVAL_MS = 20_000;

/**
 * Sends each scheduled meeting's reminder once: five minutes before it starts, a `notify` frame to
 * the host and every invitee (the desktop app shows it with a Join action). Every backend instance
 * runs this; the claim in the database lets exactly one of them send each reminder.
 */
export class MeetingReminders {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Database,
    private readonly realtime: RealtimeService,
    private readonly now: () => Date,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Claims and sends every reminder now due; returns how many meetings this instance reminded. */
  async runOnce(): Promise<number> {
    const now = this.now();
    const due = await claimDueReminders(this.db, now, REMINDER_LEAD_MINUTES);
    if (due.length === 0) return 0;
    const invitees = await listInviteeIds(this.db, due.map((meeting) => meeting.id));
    for (const meeting of due) {
      const minutes = Math.max(1, Math.round((meeting.startsAt.getTime() - now.getTime()) / 60_000));
      const recipients = [...new Set([meeting.hostId, ...(invitees.get(meeting.id) ?? [])])];
      this.realtime.notify(recipients, {
        kind: 'meeting_reminder',
        orgId: meeting.orgId,
        meetingId: meeting.id,
        title: meeting.title,
        body: `Starts in ${minutes} minute${minutes === 1 ? '' : 's'}`,
        createdAt: now.toISOString(),
      });
    }
    return due.length;
  }

  start() {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((error: unknown) => {
          this.log.error({ err: error }, 'sending meeting reminders failed');
          return 0;
        })
        .finally(() => {
          this.running = undefined;
        });
    }, REMINDER_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  async stop() {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
