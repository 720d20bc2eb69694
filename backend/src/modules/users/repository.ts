import { eq } from 'drizzle-orm';
import type { User } from '@collaro/shared';
import type { Queryable } from '../../db/client.js';
import { users } from '../../db/schema/index.js';

export function toUser(row: { id: string; email: string | null; name: string }): User {
  return { id: row.id, email: row.email ?? '', name: row.name };
}

export async function findUserByEmail(db: Queryable, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row;
}

export async function findUserById(db: Queryable, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** Inserts a local account; returns undefined when the email is already taken. */
export async function insertLocalUser(db: Queryable, input: { email: string; name: string; passwordHash: string }) {
  const [row] = await db.insert(users).values(input).onConflictDoNothing({ target: users.email }).returning();
  return row;
}
