import type { MeetingRooms } from '../meetings/rooms.js';
import type { RealtimeService } from '../../realtime/realtime-service.js';

/** What a membership change reaches: the app itself qualifies, as do the services app.ts builds. */
export interface MembershipChangeTargets {
  realtime: Pick<RealtimeService, 'refreshAccess'>;
  meetingRooms: Pick<MeetingRooms, 'dropFormerMembers'>;
}

/**
 * What follows a change to who belongs to an organization, whichever way it came (the API, an
 * invitation, Clerk): every instance's live connections have the change before anything published
 * after it, and whoever is no longer in an organization leaves its meeting rooms at once.
 */
export async function organizationMembershipChanged(targets: MembershipChangeTargets, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await targets.realtime.refreshAccess(userIds);
  await targets.meetingRooms.dropFormerMembers(userIds);
}
