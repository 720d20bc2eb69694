import type { ChatMessage } from '@collaro/shared';
import type { Queryable } from '../../db/client.js';
import { channelAccessOf } from '../../policy/channel-policy.js';
import { listChangesSinceMany, toChatMessages } from './repository.js';
import { findChannelsWithAccessTogether } from '../../realtime/access-repository.js';

/** Most changes read from the database at once while replaying; the next page waits until these are sent. */
export const REPLAY_PAGE_ROWS = 50;

export interface ReplayCursor {
  channelId: string;
  afterEventSeq: number;
  /** Most changes to replay: how many event sequences the channel handed out after the cursor. */
  limit: number;
}

export interface ResumePlan {
  notFound: string[];
  forbidden: string[];
  refetch: { channelId: string; lastEventSeq: number }[];
  replays: ReplayCursor[];
}

/**
 * What a `resume` frame asks for, decided with one access query: channels named twice are resumed
 * once (from the lower cursor); a channel that missed more than `perChannel` events, or that would
 * take the frame past `perFrame`, is told to refetch instead.
 */
export async function planResume(
  db: Queryable,
  userId: string,
  entries: readonly { channelId: string; afterEventSeq: number }[],
  bounds: { perChannel: number; perFrame: number },
): Promise<ResumePlan> {
  const cursors = new Map<string, number>();
  for (const { channelId, afterEventSeq } of entries) {
    const id = channelId.toLowerCase();
    cursors.set(id, Math.min(afterEventSeq, cursors.get(id) ?? afterEventSeq));
  }
  const rows = new Map((await findChannelsWithAccessTogether(db, [...cursors.keys()], userId)).map((row) => [row.id, row]));
  const plan: ResumePlan = { notFound: [], forbidden: [], refetch: [], replays: [] };
  let budget = bounds.perFrame;
  for (const [channelId, afterEventSeq] of cursors) {
    const row = rows.get(channelId);
    if (!row?.orgRole) plan.notFound.push(channelId);
    else if (!channelAccessOf(row)) plan.forbidden.push(channelId);
    else {
      // Event sequences are handed out one at a time, so this bounds how many changes the channel has.
      const missed = Math.max(0, row.lastEventSeq - afterEventSeq);
      if (missed > bounds.perChannel || missed > budget) plan.refetch.push({ channelId, lastEventSeq: row.lastEventSeq });
      else {
        plan.replays.push({ channelId, afterEventSeq, limit: missed });
        budget -= missed;
      }
    }
  }
  return plan;
}

/**
 * The planned changes, a page at a time (several small channels share one query; a long one takes
 * several), so the database is read only as fast as the client is sent what was read.
 */
export async function* replayChanges(db: Queryable, replays: readonly ReplayCursor[], pageRows = REPLAY_PAGE_ROWS): AsyncGenerator<ChatMessage[]> {
  const pending = replays.filter((cursor) => cursor.limit > 0).map((cursor) => ({ ...cursor }));
  while (pending.length > 0) {
    const page: ReplayCursor[] = [];
    let rows = 0;
    for (const cursor of pending) {
      if (rows >= pageRows) break;
      const limit = Math.min(cursor.limit, pageRows - rows);
      page.push({ ...cursor, limit });
      rows += limit;
    }
    const changes = await listChangesSinceMany(db, page);
    for (const asked of page) {
      const cursor = pending[0]!;
      const got = changes.filter((row) => row.channelId === asked.channelId);
      // Fewer than asked: the channel has no more (some sequences belong to changes superseded since).
      if (got.length < asked.limit || asked.limit === cursor.limit) pending.shift();
      else {
        cursor.afterEventSeq = got.at(-1)!.eventSeq;
        cursor.limit -= got.length;
      }
    }
    if (changes.length > 0) yield await toChatMessages(db, changes);
  }
}
