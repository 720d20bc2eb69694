/**
 * TanStack Query keys of what every feature shares (who is signed in, an organization's members and
 * teams), the only place they are spelled. Each feature keeps its own in features/<feature>/query-keys.ts.
 */
export const queryKeys = {
  me: ['me'] as const,
  members: (orgId: string) => ['orgs', orgId, 'members'] as const,
  teams: (orgId: string) => ['orgs', orgId, 'teams'] as const,
  team: (teamId: string) => ['teams', teamId] as const,
};
