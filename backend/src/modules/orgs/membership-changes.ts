import type { FastifyInstance } from 'fastify';

/**
 * What follows a change to who belongs to an organization, whichever way it came (the API, an
 * invitation, Clerk): every instance's live connections have the change before anything published
 * after it, and whoever is no longer in an organization leaves its meeting rooms at once.
 */
export async function organizationMembershipChanged(app: FastifyInstance, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await app.realtime.refreshAccess(userIds);
  await app.meetingRooms?.dropFormerMembers(userIds);
}
