import type { MeResponse } from '@collaro/shared';
import type { Database } from '../db/client.js';
import { unauthorized } from '../domain-errors.js';
import { listOrganizationsOfUser } from '../modules/orgs/repository.js';
import { findUserById, toUser } from '../modules/users/repository.js';

/** Who is signed in and the organizations they belong to: `GET /api/me`, and a refresh that asks for it. */
export async function loadProfile(db: Database, userId: string): Promise<MeResponse> {
  const [user, organizations] = await Promise.all([findUserById(db, userId), listOrganizationsOfUser(db, userId)]);
  if (!user) throw unauthorized('Account no longer exists');
  return { user: toUser(user), organizations };
}
