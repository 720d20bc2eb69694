import type { MeetingRemoval } from '@collaro/shared';
import type { Database } from '../../db/client.js';
import { notFound } from '../../domain-errors.js';
import { requireMeetingAccess, requireMeetingModerator } from '../../policy/policy.js';
import { liftSessionRemoval, listSessionRemovals, sessionStartOf } from './sessions-repository.js';

const MODERATORS_ONLY = 'Only the host or an organization admin can see and change who was removed';

/**
 * The host's view of removals: who was removed from the current session, and letting them back.
 * A removal never outlives its session, so a person removed from a personal room once can come to
 * the next one.
 */
export class MeetingRemovals {
  constructor(private readonly db: Database) {}

  async list(userId: string, meetingId: string): Promise<MeetingRemoval[]> {
    const access = await requireMeetingAccess(this.db, userId, meetingId);
    requireMeetingModerator(access, MODERATORS_ONLY);
    const since = sessionStartOf(access.meeting);
    if (!since) return [];
    const rows = await listSessionRemovals(this.db, meetingId, since);
    return rows.map((row) => ({ userId: row.userId, name: row.name, removedBy: row.removedBy, removedAt: row.removedAt.toISOString() }));
  }

  async lift(userId: string, meetingId: string, removedUserId: string): Promise<void> {
    const access = await requireMeetingAccess(this.db, userId, meetingId);
    requireMeetingModerator(access, MODERATORS_ONLY);
    const since = sessionStartOf(access.meeting);
    if (!since || !(await liftSessionRemoval(this.db, meetingId, removedUserId, since))) throw notFound('Removal');
  }
}
