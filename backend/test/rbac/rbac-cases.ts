import type { FastifyInstance } from 'fastify';
import type { Caller } from '../helpers/test-app.js';

/**
 * Every organization and team route, with the status each kind of caller must get.
 * Shared by the local-account matrix and the identity-provider matrices, which differ only in
 * how callers and fixtures come to exist.
 */
export const ACTORS = ['anonymous', 'outsider', 'orgMember', 'teamMember', 'teamLead', 'orgAdmin'] as const;
export type ActorName = (typeof ACTORS)[number];

export interface RbacWorld {
  app: FastifyInstance;
  callers: Record<Exclude<ActorName, 'anonymous'>, Caller>;
  orgId: string;
  teamId: string;
  /** A user who exists but belongs to no organization. */
  freshUser(): Promise<{ id: string; email: string }>;
  /** A user who is a plain member of the organization and of no team. */
  freshOrgMember(): Promise<{ id: string; email: string }>;
  /** A user who is a plain member of the team. */
  freshTeamMember(): Promise<{ id: string; email: string }>;
  /** A team created by an admin (who is its only member). */
  freshTeam(): Promise<{ id: string }>;
  /** A channel created by an admin in the world's team. */
  freshChannel(): Promise<{ id: string }>;
  /** A member invitation link to the organization, created by an admin. */
  freshInvitation(): Promise<{ id: string; token: string }>;
}

export interface RbacRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
}

export interface RbacCase {
  name: string;
  prepare(world: RbacWorld): Promise<RbacRequest>;
  expect: Record<ActorName, number>;
}

const anyoneSignedIn = (status: number): Record<ActorName, number> => ({
  anonymous: 401,
  outsider: status,
  orgMember: status,
  teamMember: status,
  teamLead: status,
  orgAdmin: status,
});

const orgReaders = (status: number): Record<ActorName, number> => ({
  anonymous: 401,
  outsider: 404,
  orgMember: status,
  teamMember: status,
  teamLead: status,
  orgAdmin: status,
});

const orgAdminsOnly = (status: number): Record<ActorName, number> => ({
  anonymous: 401,
  outsider: 404,
  orgMember: 403,
  teamMember: 403,
  teamLead: 403,
  orgAdmin: status,
});

const teamManagers = (status: number): Record<ActorName, number> => ({
  anonymous: 401,
  outsider: 404,
  orgMember: 403,
  teamMember: 403,
  teamLead: status,
  orgAdmin: status,
});

let counter = 0;
const unique = (prefix: string) => `${prefix} ${++counter}-${Date.now()}`;

export const RBAC_CASES: RbacCase[] = [
  { name: 'GET /api/me', prepare: async () => ({ method: 'GET', url: '/api/me' }), expect: anyoneSignedIn(200) },
  {
    name: 'POST /api/orgs',
    prepare: async () => ({ method: 'POST', url: '/api/orgs', payload: { name: unique('Org') } }),
    expect: anyoneSignedIn(201),
  },
  {
    name: 'GET /api/orgs/:orgId/members',
    prepare: async (w) => ({ method: 'GET', url: `/api/orgs/${w.orgId}/members` }),
    expect: orgReaders(200),
  },
  {
    name: 'POST /api/orgs/:orgId/members',
    prepare: async (w) => ({
      method: 'POST',
      url: `/api/orgs/${w.orgId}/members`,
      payload: { email: (await w.freshUser()).email, role: 'member' },
    }),
    expect: orgAdminsOnly(201),
  },
  {
    name: 'PATCH /api/orgs/:orgId/members/:userId',
    prepare: async (w) => ({
      method: 'PATCH',
      url: `/api/orgs/${w.orgId}/members/${(await w.freshOrgMember()).id}`,
      payload: { role: 'admin' },
    }),
    expect: orgAdminsOnly(200),
  },
  {
    name: 'DELETE /api/orgs/:orgId/members/:userId',
    prepare: async (w) => ({ method: 'DELETE', url: `/api/orgs/${w.orgId}/members/${(await w.freshOrgMember()).id}` }),
    expect: orgAdminsOnly(204),
  },
  {
    name: 'POST /api/orgs/:orgId/teams',
    prepare: async (w) => ({ method: 'POST', url: `/api/orgs/${w.orgId}/teams`, payload: { name: unique('Team') } }),
    expect: orgAdminsOnly(201),
  },
  {
    name: 'GET /api/orgs/:orgId/teams',
    prepare: async (w) => ({ method: 'GET', url: `/api/orgs/${w.orgId}/teams` }),
    expect: orgReaders(200),
  },
  {
    name: 'POST /api/orgs/:orgId/invitations',
    prepare: async (w) => ({ method: 'POST', url: `/api/orgs/${w.orgId}/invitations`, payload: { role: 'member' } }),
    expect: orgAdminsOnly(201),
  },
  {
    name: 'GET /api/orgs/:orgId/invitations',
    prepare: async (w) => ({ method: 'GET', url: `/api/orgs/${w.orgId}/invitations` }),
    expect: orgAdminsOnly(200),
  },
  {
    name: 'DELETE /api/orgs/:orgId/invitations/:invitationId',
    prepare: async (w) => ({ method: 'DELETE', url: `/api/orgs/${w.orgId}/invitations/${(await w.freshInvitation()).id}` }),
    expect: orgAdminsOnly(204),
  },
  {
    name: 'GET /api/teams/:teamId',
    prepare: async (w) => ({ method: 'GET', url: `/api/teams/${w.teamId}` }),
    expect: { anonymous: 401, outsider: 404, orgMember: 403, teamMember: 200, teamLead: 200, orgAdmin: 200 },
  },
  {
    // Renamed to its own name, so the team stays "Platform" for the cases after this one.
    name: 'PATCH /api/teams/:teamId',
    prepare: async (w) => ({ method: 'PATCH', url: `/api/teams/${w.teamId}`, payload: { name: 'Platform' } }),
    expect: { anonymous: 401, outsider: 404, orgMember: 403, teamMember: 403, teamLead: 403, orgAdmin: 200 },
  },
  {
    name: 'DELETE /api/teams/:teamId',
    prepare: async (w) => ({ method: 'DELETE', url: `/api/teams/${(await w.freshTeam()).id}` }),
    expect: orgAdminsOnly(204),
  },
  {
    name: 'PATCH /api/teams/:teamId/members/:userId',
    prepare: async (w) => ({
      method: 'PATCH',
      url: `/api/teams/${w.teamId}/members/${(await w.freshTeamMember()).id}`,
      payload: { role: 'lead' },
    }),
    expect: teamManagers(200),
  },
  {
    name: 'POST /api/teams/:teamId/channels',
    prepare: async (w) => ({ method: 'POST', url: `/api/teams/${w.teamId}/channels`, payload: { name: unique('channel') } }),
    expect: teamManagers(201),
  },
  {
    name: 'PATCH /api/channels/:channelId',
    prepare: async (w) => ({ method: 'PATCH', url: `/api/channels/${(await w.freshChannel()).id}`, payload: { name: unique('renamed'), archived: true } }),
    expect: teamManagers(200),
  },
  {
    name: 'POST /api/teams/:teamId/members',
    prepare: async (w) => ({
      method: 'POST',
      url: `/api/teams/${w.teamId}/members`,
      payload: { userId: (await w.freshOrgMember()).id },
    }),
    expect: teamManagers(201),
  },
  {
    name: 'DELETE /api/teams/:teamId/members/:userId',
    prepare: async (w) => ({ method: 'DELETE', url: `/api/teams/${w.teamId}/members/${(await w.freshTeamMember()).id}` }),
    expect: teamManagers(204),
  },
  {
    // Keep this case last: accepting makes the outsider a member, which would change every case after it.
    // Anyone signed in with a valid link may join; someone already in the organization keeps their role.
    name: 'POST /api/invitations/:token/accept',
    prepare: async (w) => ({ method: 'POST', url: `/api/invitations/${(await w.freshInvitation()).token}/accept` }),
    expect: anyoneSignedIn(200),
  },
];
