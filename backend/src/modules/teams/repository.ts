import { and, asc, eq, sql } from 'drizzle-orm';
import type { TeamMember, TeamRole } from '@collaro/shared';
import { preparedPerDatabase, type Database, type Queryable } from '../../db/client.js';
import { memberships, teamMembers, teams } from '../../db/schema/index.js';
import { createTeamChannel, DEFAULT_CHANNEL_NAME } from '../channels/repository.js';
import { orgMembersAmong } from '../orgs/memberships-repository.js';

const teamColumns = { id: teams.id, orgId: teams.orgId, name: teams.name };

/** Creates a team with its creator as lead and its default channel; returns undefined when the name is taken in the organization. */
export async function createTeam(db: Database, orgId: string, name: string, creatorId: string) {
  return db.transaction(async (tx) => {
    const [team] = await tx.insert(teams).values({ orgId, name }).onConflictDoNothing().returning(teamColumns);
    if (!team) return undefined;
    await tx.insert(teamMembers).values({ orgId, teamId: team.id, userId: creatorId, role: 'lead' });
    await createTeamChannel(tx, team, DEFAULT_CHANNEL_NAME, { isDefault: true });
    return team;
  });
}

export async function listAllTeams(db: Queryable, orgId: string) {
  return db.select(teamColumns).from(teams).where(eq(teams.orgId, orgId)).orderBy(asc(teams.name), asc(teams.id));
}

export async function listTeamsOfMember(db: Queryable, orgId: string, userId: string) {
  return db
    .select(teamColumns)
    .from(teams)
    .innerJoin(teamMembers, and(eq(teamMembers.teamId, teams.id), eq(teamMembers.userId, userId)))
    .where(eq(teams.orgId, orgId))
    .orderBy(asc(teams.name), asc(teams.id));
}

/** A team with the caller's organization role and team role (memberships joined for one user). */
const teamAccessColumns = {
  ...teamColumns,
  orgRole: memberships.role,
  grantedPermissions: memberships.grantedPermissions,
  teamRole: teamMembers.role,
};

/**
 * The team together with the caller's place in it, in one round trip: the caller's organization
 * role (null if outside the organization) and team role (null if not on the team).
 */
export async function findTeamWithAccess(db: Queryable, teamId: string, userId: string) {
  const [row] = await db
    .select(teamAccessColumns)
    .from(teams)
    .leftJoin(memberships, and(eq(memberships.orgId, teams.orgId), eq(memberships.userId, userId)))
    .leftJoin(teamMembers, and(eq(teamMembers.teamId, teams.id), eq(teamMembers.userId, userId)))
    .where(eq(teams.id, teamId))
    .limit(1);
  return row;
}

/**
 * As `findTeamWithAccess`, plus the member list, still in one round trip: reading a team is the
 * hottest authorized query, so it is a prepared statement per database.
 */
const teamDetailStatement = preparedPerDatabase((db) =>
  db
    .select({
      ...teamAccessColumns,
      members: sql<TeamMember[]>`(
        select coalesce(json_agg(json_build_object('userId', u.id, 'name', u.name, 'role', r.role)
          order by r.role = 'lead' desc, u.name, u.id), '[]'::json)
        from team_members r join users u on u.id = r.user_id
        where r.team_id = ${teams.id})`,
    })
    .from(teams)
    .leftJoin(memberships, and(eq(memberships.orgId, teams.orgId), eq(memberships.userId, sql.placeholder('userId'))))
    .leftJoin(teamMembers, and(eq(teamMembers.teamId, teams.id), eq(teamMembers.userId, sql.placeholder('userId'))))
    .where(eq(teams.id, sql.placeholder('teamId')))
    .limit(1)
    .prepare('team_detail_with_access'),
);

export async function findTeamDetailWithAccess(db: Database, teamId: string, userId: string) {
  const [row] = await teamDetailStatement(db).execute({ teamId, userId });
  return row;
}

export type AddTeamMemberResult = 'added' | 'already_member' | 'not_in_org';

export async function addTeamMember(db: Queryable, team: { id: string; orgId: string }, userId: string, role: TeamRole): Promise<AddTeamMemberResult> {
  if (!(await orgMembersAmong(db, team.orgId, [userId])).has(userId)) return 'not_in_org';
  const rows = await db
    .insert(teamMembers)
    .values({ orgId: team.orgId, teamId: team.id, userId, role })
    .onConflictDoNothing()
    .returning({ userId: teamMembers.userId });
  return rows.length > 0 ? 'added' : 'already_member';
}

export async function listTeamMemberIds(db: Queryable, teamId: string): Promise<string[]> {
  const rows = await db.select({ userId: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, teamId));
  return rows.map((row) => row.userId);
}

export async function removeTeamMember(db: Queryable, teamId: string, userId: string) {
  const rows = await db
    .delete(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
    .returning({ userId: teamMembers.userId });
  return rows.length > 0;
}

/** Renames a team; undefined when the organization already has a team by that name. */
export async function renameTeam(db: Queryable, teamId: string, name: string) {
  const [clash] = await db
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.orgId, sql`(select org_id from teams where id = ${teamId})`), eq(teams.name, name), sql`${teams.id} <> ${teamId}`))
    .limit(1);
  if (clash) return undefined;
  const [row] = await db.update(teams).set({ name }).where(eq(teams.id, teamId)).returning(teamColumns);
  return row;
}

/** Deletes a team with its channels, their messages and its meetings (the foreign keys cascade); returns who was on it. */
export async function deleteTeam(db: Database, teamId: string): Promise<string[]> {
  return db.transaction(async (tx) => {
    const members = await tx.select({ userId: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, teamId));
    await tx.delete(teams).where(eq(teams.id, teamId));
    return members.map((member) => member.userId);
  });
}

/** Sets a team member's role in place; false when the user is not on the team. */
export async function setTeamMemberRole(db: Queryable, teamId: string, userId: string, role: TeamRole): Promise<boolean> {
  const rows = await db
    .update(teamMembers)
    .set({ role })
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
    .returning({ userId: teamMembers.userId });
  return rows.length > 0;
}
