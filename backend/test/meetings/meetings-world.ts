import type { FastifyInstance } from 'fastify';
import { call, signUp, type SignedInUser } from '../helpers/test-app.js';

export async function expectStatus(result: Promise<{ status: number; body: any }>, status: number) {
  const response = await result;
  if (response.status !== status) throw new Error(`fixture call returned ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface MeetingsWorld {
  orgId: string;
  teamId: string;
  otherOrgId: string;
  /** Organization admin (created the organization). */
  admin: SignedInUser;
  /** Hosts the meetings in tests. */
  host: SignedInUser;
  /** Invited by the host. */
  invitee: SignedInUser;
  /** On the team, not invited. */
  teammate: SignedInUser;
  /** In the organization, neither invited nor on the team. */
  bystander: SignedInUser;
  /** Only in another organization. */
  outsider: SignedInUser;
}

/** One organization with a team and a caller for every relation a user can have to a meeting. */
export async function createMeetingsWorld(app: FastifyInstance): Promise<MeetingsWorld> {
  const [admin, host, invitee, teammate, bystander, outsider] = await Promise.all(
    ['Ada Admin', 'Hal Host', 'Ivy Invitee', 'Tom Teammate', 'Bea Bystander', 'Otto Outsider'].map((name) => signUp(app, name)),
  );
  const org = await expectStatus(call(app, admin!, 'POST', '/api/orgs', { name: 'Acme' }), 201);
  const otherOrg = await expectStatus(call(app, outsider!, 'POST', '/api/orgs', { name: 'Elsewhere' }), 201);
  for (const user of [host!, invitee!, teammate!, bystander!]) {
    await expectStatus(call(app, admin!, 'POST', `/api/orgs/${org.id}/members`, { email: user.email, role: 'member' }), 201);
  }
  const team = await expectStatus(call(app, admin!, 'POST', `/api/orgs/${org.id}/teams`, { name: 'Platform' }), 201);
  for (const user of [host!, teammate!]) {
    await expectStatus(call(app, admin!, 'POST', `/api/teams/${team.id}/members`, { userId: user.id, role: 'member' }), 201);
  }
  return {
    orgId: org.id,
    teamId: team.id,
    otherOrgId: otherOrg.id,
    admin: admin!,
    host: host!,
    invitee: invitee!,
    teammate: teammate!,
    bystander: bystander!,
    outsider: outsider!,
  };
}

export function inMinutes(minutes: number, from = Date.now()) {
  return new Date(from + minutes * 60_000).toISOString();
}
