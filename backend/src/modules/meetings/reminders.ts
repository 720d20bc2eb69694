import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import type { RealtimeService } from '../../realtime/gateway.js';
import { claimDueStartReminders, listAnsweredReminders } from './reminders-repository.js';
import { claimDueReminders, listInviteeIds } from './repository.js';

/** How long before a scheduled meeting its people are reminded. */
export const REMINDER_LEAD_MINUTES = 5;
export const REMINDER_CHECK_INTERVAL_MS = 20_000;
/** A start-time reminder more than this late (the server was down) is not sent at all. */
export const START_REMINDER_GRACE_MINUTES = 10;

/**
 * Sends each scheduled meeting's reminder once: five minutes before it starts, a `notify` frame to
 * the host and every invitee (the desktop app shows it with a Join action). At the start time the
 * reminder is repeated (`meeting_started`) to those of them who have neither joined nor dismissed
 * it; the desktop app keeps that one on screen until they join or dismiss it. Every backend instance
 * runs this; claims in the database let exactly one of them send each reminder.
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
    const invitees = await listInviteeIds(
      this.db,
      due.map((meeting) => meeting.id),
    );
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

  /** Repeats the reminder of every meeting whose start time has come; returns how many people it reached. */
  async runStartOnce(): Promise<number> {
    const now = this.now();
    const due = await claimDueStartReminders(this.db, now, START_REMINDER_GRACE_MINUTES);
    if (due.length === 0) return 0;
    const invitees = await listInviteeIds(
      this.db,
      due.map((meeting) => meeting.id),
    );
    let reached = 0;
    for (const meeting of due) {
      const people = [...new Set([meeting.hostId, ...(invitees.get(meeting.id) ?? [])])];
      const answered = await listAnsweredReminders(this.db, meeting.id, people);
      const recipients = people.filter((id) => !answered.has(id));
      if (recipients.length === 0) continue;
      reached += recipients.length;
      this.realtime.notify(recipients, {
        kind: 'meeting_started',
        orgId: meeting.orgId,
        meetingId: meeting.id,
        title: meeting.title,
        body: 'Starting now',
        createdAt: now.toISOString(),
      });
    }
    return reached;
  }

  start() {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = Promise.all([this.runOnce(), this.runStartOnce()])
        .then(([ahead]) => ahead)
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
