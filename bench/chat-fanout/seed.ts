/**
 * Seeds `count` users straight into one organization, one team and its default channel, each with
 * a session and an access token (skipping sign-up only because hashing thousands of passwords
 * would dominate a run). Shared by bench/chat-fanout and bench/reconnect-storm.
 */
import type { Database } from '../../backend/src/db/client.js';
import { AccessTokens } from '../../backend/src/auth/local/access-tokens.js';
import type { SigningKey } from '../../backend/src/auth/local/signing-keys.js';
import { memberships, organizations, sessions, teamMembers, users } from '../../backend/src/db/schema/index.js';
import { listChannelsWithAccess } from '../../backend/src/modules/channels/repository.js';
import { createTeam } from '../../backend/src/modules/teams/repository.js';

export async function seedOneChannel(db: Database, count: number, signingKey: SigningKey) {
  const userRows = await insertInChunks(
    Array.from({ length: count }, (_, i) => ({ name: `Bench user ${i}`, email: `bench-${i}@example.test` })),
    (chunk) => db.insert(users).values(chunk).returning({ id: users.id }),
  );
  const [org] = await db.insert(organizations).values({ name: 'Bench' }).returning({ id: organizations.id });
  await insertInChunks(
    userRows.map((user, i) => ({ orgId: org!.id, userId: user.id, role: i === 0 ? ('admin' as const) : ('member' as const) })),
    (chunk) => db.insert(memberships).values(chunk).returning(),
  );
  const team = await createTeam(db, org!.id, 'Everyone', userRows[0]!.id);
  await insertInChunks(
    userRows.slice(1).map((user) => ({ orgId: org!.id, teamId: team!.id, userId: user.id })),
    (chunk) => db.insert(teamMembers).values(chunk).returning(),
  );
  const sessionRows = await insertInChunks(
    userRows.map((user) => ({ userId: user.id, expiresAt: new Date(Date.now() + 24 * 3600_000) })),
    (chunk) => db.insert(sessions).values(chunk).returning({ id: sessions.id, userId: sessions.userId }),
  );
  const accessTokens = new AccessTokens(signingKey);
  const tokens = await Promise.all(sessionRows.map(async (session) => (await accessTokens.issue(session.userId, session.id)).token));
  const [channel] = (await listChannelsWithAccess(db, userRows[0]!.id)).filter((row) => row.isDefault);
  return { tokens, channelId: channel!.id };
}

async function insertInChunks<T, R>(rows: T[], insert: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const result: R[] = [];
  for (let i = 0; i < rows.length; i += 500) result.push(...(await insert(rows.slice(i, i + 500))));
  return result;
}
