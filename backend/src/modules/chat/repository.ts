import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { ChatMessage, SystemEvent } from '@collaro/shared';
import type { Database, Queryable, Transaction } from '../../db/client.js';
import { channels, messageReactions, messages, readMarkers } from '../../db/schema/index.js';

const messageColumns = {
  id: messages.id,
  channelId: messages.channelId,
  orgId: messages.orgId,
  seq: messages.seq,
  eventSeq: messages.eventSeq,
  clientId: messages.clientId,
  authorId: messages.authorId,
  body: messages.body,
  mentions: messages.mentions,
  replyToId: messages.replyToId,
  system: messages.system,
  createdAt: messages.createdAt,
  editedAt: messages.editedAt,
  deletedAt: messages.deletedAt,
};

export type MessageRow = typeof messages.$inferSelect;

/** Takes the channel's next event sequence; the row lock it holds until commit orders concurrent writers. */
async function nextEventSeq(tx: Transaction, channelId: string): Promise<number> {
  const [row] = await tx
    .update(channels)
    .set({ lastEventSeq: sql`${channels.lastEventSeq} + 1` })
    .where(eq(channels.id, channelId))
    .returning({ seq: channels.lastEventSeq });
  if (!row) throw new Error(`channel ${channelId} vanished while writing to it`);
  return row.seq;
}

export async function findMessageByClientId(db: Queryable, authorId: string, clientId: string): Promise<MessageRow | undefined> {
  const [row] = await db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.authorId, authorId), eq(messages.clientId, clientId)))
    .limit(1);
  return row;
}

export type PostMessageResult = { message: MessageRow; duplicate: boolean } | { conflict: 'client_id_in_other_channel' };

/**
 * Stores a message exactly once per (author, client id). A repeat, even a concurrent one, returns
 * the first stored row with `duplicate: true`.
 *
 * One statement: taking the channel's next sequence (the row lock orders concurrent writers until
 * commit) and inserting happen in a single round trip. A repeat seen before it is sent takes no
 * sequence; two copies racing each other may leave a gap, which ordering and resume do not mind.
 */
export async function postMessage(
  db: Database,
  input: {
    channel: { id: string; orgId: string };
    authorId: string;
    clientId: string;
    body: string;
    replyToId?: string | undefined;
    mentions: string[];
    /** For a line Collaro writes itself (see ChatMessage.system). */
    system?: SystemEvent;
  },
): Promise<PostMessageResult> {
  const mentions = sql`${`{${input.mentions.join(',')}}`}::uuid[]`;
  const result = await db.execute(sql`
    with taken as (
      update ${channels} set last_event_seq = last_event_seq + 1
      where id = ${input.channel.id}
        and not exists (select 1 from ${messages} where author_id = ${input.authorId} and client_id = ${input.clientId})
      returning last_event_seq
    )
    insert into ${messages} (org_id, channel_id, seq, event_seq, author_id, client_id, body, mentions, reply_to_id, system)
    select ${input.channel.orgId}, ${input.channel.id}, taken.last_event_seq, taken.last_event_seq,
      ${input.authorId}, ${input.clientId}, ${input.body}, ${mentions}, ${input.replyToId ?? null},
      ${input.system ? JSON.stringify(input.system) : null}::jsonb
    from taken
    on conflict (author_id, client_id) do nothing
    returning ${RAW_MESSAGE_COLUMNS}`);
  const [row] = (result as { rows: RawMessageRow[] }).rows;
  if (row) return { message: fromRawRow(row), duplicate: false };
  const stored = await findMessageByClientId(db, input.authorId, input.clientId);
  if (!stored) throw new Error(`channel ${input.channel.id} vanished while writing to it`);
  return sameChannelOrConflict(stored, input.channel.id);
}

/** A message row as raw SQL returns it (bigints as text, so no driver rounds them), read by `fromRawRow`. */
const RAW_MESSAGE_COLUMNS = sql.raw(
  'id, channel_id, org_id, seq::text as seq, event_seq::text as event_seq, client_id, author_id, body, ' +
    'mentions::text[] as mentions, reply_to_id, system, created_at, edited_at, deleted_at',
);

interface RawMessageRow {
  id: string;
  channel_id: string;
  org_id: string;
  seq: string;
  event_seq: string;
  client_id: string;
  author_id: string;
  body: string;
  mentions: string[];
  reply_to_id: string | null;
  system: SystemEvent | string | null;
  created_at: Date | string;
  edited_at: Date | string | null;
  deleted_at: Date | string | null;
}

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

function fromRawRow(row: RawMessageRow): MessageRow {
  return {
    id: row.id,
    channelId: row.channel_id,
    orgId: row.org_id,
    seq: Number(row.seq),
    eventSeq: Number(row.event_seq),
    clientId: row.client_id,
    authorId: row.author_id,
    body: row.body,
    mentions: row.mentions,
    replyToId: row.reply_to_id,
    // node-postgres parses jsonb; a raw PGlite result may hand it over as text.
    system: typeof row.system === 'string' ? (JSON.parse(row.system) as SystemEvent) : row.system,
    createdAt: toDate(row.created_at),
    editedAt: row.edited_at === null ? null : toDate(row.edited_at),
    deletedAt: row.deleted_at === null ? null : toDate(row.deleted_at),
  };
}

function sameChannelOrConflict(stored: MessageRow, channelId: string): PostMessageResult {
  if (stored.channelId !== channelId) return { conflict: 'client_id_in_other_channel' };
  return { message: stored, duplicate: true };
}

export async function findMessage(db: Queryable, messageId: string): Promise<MessageRow | undefined> {
  const [row] = await db.select(messageColumns).from(messages).where(eq(messages.id, messageId)).limit(1);
  return row;
}

/** Applies a change to a message and gives it the channel's next event sequence, so resuming clients see it. */
async function reviseMessage(
  db: Database,
  message: { id: string; channelId: string },
  change: (tx: Transaction, eventSeq: number) => Promise<void>,
): Promise<MessageRow | undefined> {
  return db.transaction(async (tx) => {
    const eventSeq = await nextEventSeq(tx, message.channelId);
    await change(tx, eventSeq);
    const [row] = await tx.update(messages).set({ eventSeq }).where(eq(messages.id, message.id)).returning(messageColumns);
    return row;
  });
}

export async function editMessage(db: Database, message: { id: string; channelId: string }, body: string, mentions: string[]) {
  return reviseMessage(db, message, async (tx) => {
    await tx.update(messages).set({ body, mentions, editedAt: new Date() }).where(eq(messages.id, message.id));
  });
}

export async function deleteMessage(db: Database, message: { id: string; channelId: string }) {
  return reviseMessage(db, message, async (tx) => {
    await tx.update(messages).set({ body: '', mentions: [], deletedAt: new Date() }).where(eq(messages.id, message.id));
    await tx.delete(messageReactions).where(eq(messageReactions.messageId, message.id));
  });
}

/** Adds or removes one user's reaction; returns undefined when nothing changed. */
export async function setReaction(db: Database, message: { id: string; channelId: string }, userId: string, emoji: string, add: boolean) {
  const exists = await db
    .select({ userId: messageReactions.userId })
    .from(messageReactions)
    .where(and(eq(messageReactions.messageId, message.id), eq(messageReactions.userId, userId), eq(messageReactions.emoji, emoji)))
    .limit(1);
  if (exists.length > 0 === add) return undefined;
  return reviseMessage(db, message, async (tx) => {
    if (add) {
      await tx.insert(messageReactions).values({ messageId: message.id, userId, emoji }).onConflictDoNothing();
    } else {
      await tx
        .delete(messageReactions)
        .where(and(eq(messageReactions.messageId, message.id), eq(messageReactions.userId, userId), eq(messageReactions.emoji, emoji)));
    }
  });
}

/** History by message position: the newest page, the page before `before`, or the page after `after`. */
export async function listMessages(
  db: Queryable,
  channelId: string,
  query: { before?: number | undefined; after?: number | undefined; limit: number },
): Promise<{ rows: MessageRow[]; hasMore: boolean }> {
  const ascending = query.after !== undefined;
  const cursor = query.after !== undefined ? gt(messages.seq, query.after) : query.before !== undefined ? lt(messages.seq, query.before) : undefined;
  const rows = await db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.channelId, channelId), cursor))
    .orderBy(ascending ? asc(messages.seq) : desc(messages.seq))
    .limit(query.limit + 1);
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  if (!ascending) page.reverse();
  return { rows: page, hasMore };
}

/**
 * Messages created or changed after a cursor, for several channels in one round trip: each
 * channel's changes after its own cursor, at most its own `limit`, channel by channel in the order
 * given, oldest change first.
 */
export async function listChangesSinceMany(
  db: Queryable,
  cursors: readonly { channelId: string; afterEventSeq: number; limit: number }[],
): Promise<MessageRow[]> {
  if (cursors.length === 0) return [];
  const ids = sql.param(cursors.map((c) => c.channelId));
  const afters = sql.param(cursors.map((c) => c.afterEventSeq));
  const limits = sql.param(cursors.map((c) => c.limit));
  const result = await db.execute(sql`
    select m.* from unnest(${ids}::uuid[], ${afters}::bigint[], ${limits}::int[]) with ordinality as c(channel_id, after_seq, max_rows, position)
    cross join lateral (
      select ${RAW_MESSAGE_COLUMNS} from ${messages}
      where channel_id = c.channel_id and event_seq > c.after_seq
      -- Qualified: a bare event_seq here would sort by the text column of the same name above.
      order by ${messages.eventSeq} limit c.max_rows
    ) m
    order by c.position, m.event_seq::bigint`);
  return (result as { rows: RawMessageRow[] }).rows.map(fromRawRow);
}

export async function loadReactions(db: Queryable, messageIds: string[]) {
  const byMessage = new Map<string, { emoji: string; userIds: string[] }[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db
    .select({ messageId: messageReactions.messageId, emoji: messageReactions.emoji, userId: messageReactions.userId })
    .from(messageReactions)
    .where(inArray(messageReactions.messageId, messageIds))
    .orderBy(asc(messageReactions.createdAt), asc(messageReactions.userId));
  for (const row of rows) {
    const list = byMessage.get(row.messageId) ?? [];
    let entry = list.find((reaction) => reaction.emoji === row.emoji);
    if (!entry) {
      entry = { emoji: row.emoji, userIds: [] };
      list.push(entry);
    }
    entry.userIds.push(row.userId);
    byMessage.set(row.messageId, list);
  }
  return byMessage;
}

export function toChatMessage(row: MessageRow, reactions: { emoji: string; userIds: string[] }[] = []): ChatMessage {
  return {
    id: row.id,
    channelId: row.channelId,
    seq: row.seq,
    eventSeq: row.eventSeq,
    clientId: row.clientId,
    authorId: row.authorId,
    body: row.deletedAt ? '' : row.body,
    replyToId: row.replyToId,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    reactions,
    system: row.system,
  };
}

export async function toChatMessages(db: Queryable, rows: MessageRow[]): Promise<ChatMessage[]> {
  const reactions = await loadReactions(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toChatMessage(row, reactions.get(row.id)));
}

/** Moves the read marker forward (never back); returns where it now stands. */
export async function markRead(db: Queryable, channelId: string, userId: string, seq: number): Promise<number> {
  const [row] = await db
    .insert(readMarkers)
    .values({ channelId, userId, lastReadSeq: seq })
    .onConflictDoUpdate({
      target: [readMarkers.channelId, readMarkers.userId],
      set: { lastReadSeq: sql`greatest(${readMarkers.lastReadSeq}, excluded.last_read_seq)`, updatedAt: new Date() },
    })
    .returning({ lastReadSeq: readMarkers.lastReadSeq });
  return row!.lastReadSeq;
}

export interface UnreadRow {
  channelId: string;
  lastReadSeq: number;
  unread: number;
  mentions: number;
}

/** Unread messages (others', not deleted, past the read marker) and unread mentions of the user, per channel. */
export async function countUnread(db: Queryable, userId: string, channelIds: string[]): Promise<UnreadRow[]> {
  if (channelIds.length === 0) return [];
  const rows = await db
    .select({
      channelId: channels.id,
      lastReadSeq: sql<number>`coalesce(${readMarkers.lastReadSeq}, 0)`.mapWith(Number),
      unread: sql<number>`(select count(*) from ${messages} m where m.channel_id = ${channels.id}
        and m.seq > coalesce(${readMarkers.lastReadSeq}, 0) and m.author_id <> ${userId} and m.deleted_at is null)`.mapWith(Number),
      mentions: sql<number>`(select count(*) from ${messages} m where m.channel_id = ${channels.id}
        and m.seq > coalesce(${readMarkers.lastReadSeq}, 0) and m.author_id <> ${userId} and m.deleted_at is null
        and ${userId}::uuid = any(m.mentions))`.mapWith(Number),
    })
    .from(channels)
    .leftJoin(readMarkers, and(eq(readMarkers.channelId, channels.id), eq(readMarkers.userId, userId)))
    .where(inArray(channels.id, channelIds));
  return rows;
}
