import { JOIN_NEXT_WINDOW_MINUTES, type Meeting } from '@collaro/shared';
import type { Database } from '../../db/client.js';
import { dismissReminder, listJoinableSoon } from './reminders-repository.js';
import { sessionStartOf, wasRemovedInSession } from './sessions-repository.js';
import type { MeetingService } from './service.js';

/**
 * What gets a person into their next meeting: which meeting "join next meeting" means, and the
 * dismissal that stops its reminder being repeated at the start time.
 */
export class MeetingNudges {
  constructor(
    private readonly db: Database,
    private readonly meetings: MeetingService,
  ) {}

  /**
   * The meeting that is live or starts within ten minutes, that the user takes part in and may join.
   * Of several, the one whose start time is nearest to now (a meeting about to start wins over one
   * that has been running for an hour; at equal distance a live one wins).
   */
  async next(userId: string, orgId?: string): Promise<Meeting | null> {
    const now = this.meetings.now();
    const candidates = await listJoinableSoon(this.db, userId, now, JOIN_NEXT_WINDOW_MINUTES, orgId);
    const distance = (startsAt: Date) => Math.abs(startsAt.getTime() - now.getTime());
    candidates.sort(
      (a, b) => distance(a.startsAt) - distance(b.startsAt) || Number(b.status === 'live') - Number(a.status === 'live') || a.id.localeCompare(b.id),
    );
    for (const meeting of candidates) {
      const sessionStart = sessionStartOf(meeting);
      // Removed by the host from the session that is on: not theirs to join again.
      if (meeting.hostId !== userId && sessionStart && (await wasRemovedInSession(this.db, meeting.id, userId, sessionStart))) continue;
      return (await this.meetings.toMeetings([meeting]))[0]!;
    }
    return null;
  }

  async dismissReminder(userId: string, meetingId: string): Promise<void> {
    const { meeting } = await this.meetings.access(userId, meetingId);
    await dismissReminder(this.db, meeting, userId, this.meetings.now());
  }
}
