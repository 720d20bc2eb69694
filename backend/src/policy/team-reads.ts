import type { Database } from '../db/client.js';
import type { BusEvent } from '../realtime/event-bus.js';
import { findTeamDetailWithAccess } from '../modules/teams/repository.js';

type TeamDetailRow = NonNullable<Awaited<ReturnType<typeof findTeamDetailWithAccess>>>;

/** How long a read is kept at most, for changes that announce themselves nowhere (a name changed in Clerk). */
export const TEAM_READ_TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

/**
 * Team detail rows (the team, its members, the caller's roles in it) as read for one caller,
 * kept for a moment: reading a team is the hottest authorized request, and the same people read
 * the same teams again and again. Everything is dropped, on every instance, whenever the realtime
 * bus carries a change of membership or access (`refreshAccess`: members added or removed, roles
 * and organization memberships changed, a team deleted) or a `team.updated` frame (a team renamed,
 * a member's team role changed); a read that raced such a change is not kept.
 */
export class TeamReads {
  private readonly entries = new Map<string, { row: TeamDetailRow; expiresAt: number }>();
  private generation = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async read(db: Database, teamId: string, userId: string): Promise<TeamDetailRow | undefined> {
    const key = `${teamId} ${userId}`;
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.row;
    const generation = this.generation;
    const row = await findTeamDetailWithAccess(db, teamId, userId);
    // Only a caller inside the organization is remembered: a refusal to an outsider is not worth keeping.
    if (row?.orgRole && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { row, expiresAt: this.now() + TEAM_READ_TTL_MS });
    } else if (cached) this.entries.delete(key);
    return row;
  }

  /** Forget every read (and any read still under way). */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  /** Called with every event of the realtime bus, this instance's own and other instances'. */
  observe(event: BusEvent): void {
    if (event.kind === 'access' || event.frame.startsWith('{"type":"team.')) this.clear();
  }
}

const perDatabase = new WeakMap<Database, TeamReads>();

/** The reads kept for one database (every app instance on it shares them, and clears them alike). */
export function teamReadsOf(db: Database): TeamReads {
  let reads = perDatabase.get(db);
  if (!reads) {
    reads = new TeamReads();
    perDatabase.set(db, reads);
  }
  return reads;
}
