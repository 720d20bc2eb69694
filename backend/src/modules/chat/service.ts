import { extractMentions, type Channel, type ChatMessage, type SystemEvent, type UnreadChannel, type UpdateChannelBody } from '@collaro/shared';
import { conflict, notFound, unprocessable } from '../../domain-errors.js';
import {
  channelAccessOf,
  listTeamChannelReaders,
  requireChannelAccess,
  requireMessageDelete,
  requireMessageEdit,
  type ChannelAccess,
} from '../../policy/channel-policy.js';
import { requireOrgAccess, requireTeamAccess } from '../../policy/policy.js';
import {
  createTeamChannel,
  findOrCreateDirectMessage,
  listChannelMemberIds,
  listChannelsWithAccess,
  listExplicitMembers,
  updateTeamChannel,
  type ChannelRow,
} from '../channels/repository.js';
import {
  countUnread,
  deleteMessage,
  editMessage,
  findMessage,
  listMessages,
  markRead,
  postMessage,
  setReaction,
  toChatMessage,
  toChatMessages,
  type MessageRow,
} from './repository.js';
import { findUserById } from '../users/repository.js';
import type { Database } from '../../db/client.js';
import type { RealtimeService } from '../../realtime/realtime-service.js';

/**
 * Chat as both HTTP routes and WebSocket frames use it: every action checks the channel policy,
 * writes through the repositories, then pushes the change to the channel's live connections.
 */
export class ChatService {
  constructor(
    private readonly db: Database,
    private readonly realtime: RealtimeService,
  ) {}

  async send(
    userId: string,
    input: { channelId: string; clientId: string; body: string; replyToId?: string | undefined },
  ): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const access = await requireChannelAccess(this.db, userId, input.channelId, 'write');
    if (input.replyToId) {
      const parent = await findMessage(this.db, input.replyToId);
      if (!parent || parent.channelId !== input.channelId) throw unprocessable('replyToId: no such message in this channel');
    }
    const mentions = extractMentions(input.body);
    const result = await postMessage(this.db, {
      channel: access.channel,
      authorId: userId,
      clientId: input.clientId,
      body: input.body,
      replyToId: input.replyToId,
      mentions,
    });
    if ('conflict' in result) throw conflict('clientId: this client id was already used for a message in another channel');
    // A message just stored has no reactions yet; only a repeat needs them loaded.
    const message = result.duplicate ? (await toChatMessages(this.db, [result.message]))[0]! : toChatMessage(result.message);
    if (!result.duplicate) {
      this.realtime.sendToChannel(access.channel.id, { type: 'chat.message', message });
      await this.notifyRecipients(access, result.message, userId);
    }
    return { message, duplicate: result.duplicate };
  }

  /**
   * A line Collaro writes itself (a call that was missed or declined). `clientId` names the event
   * (a call's id), so writing it again, from any instance, stores nothing new.
   */
  async postSystemLine(
    channel: { id: string; orgId: string },
    input: { authorId: string; clientId: string; body: string; system: SystemEvent },
  ): Promise<ChatMessage> {
    const result = await postMessage(this.db, { channel, ...input, mentions: [] });
    if ('conflict' in result) throw new Error(`system line ${input.clientId} already stored in another channel`);
    const message = toChatMessage(result.message);
    if (!result.duplicate) this.realtime.sendToChannel(channel.id, { type: 'chat.message', message });
    return message;
  }

  /** Direct messages notify every other member; mentions notify mentioned members who may read the channel. */
  private async notifyRecipients(access: ChannelAccess, message: MessageRow, authorId: string) {
    const isDm = access.channel.kind === 'dm';
    if (!isDm && message.mentions.length === 0) return;
    const members = new Set(await listChannelMemberIds(this.db, access.channel));
    const author = await findUserById(this.db, authorId);
    const authorName = author?.name ?? 'Someone';
    const preview = message.body.length > 140 ? `${message.body.slice(0, 139)}…` : message.body;
    const base = { orgId: access.orgId, channelId: access.channel.id, messageId: message.id, fromUserId: authorId, body: preview };
    const mentioned = message.mentions.filter((id) => id !== authorId && members.has(id));
    if (mentioned.length > 0) {
      const where = isDm ? 'a direct message' : `#${access.channel.name}`;
      this.realtime.notify(mentioned, { ...base, kind: 'mention', title: `${authorName} mentioned you in ${where}` });
    }
    if (isDm) {
      const others = [...members].filter((id) => id !== authorId && !mentioned.includes(id));
      if (others.length > 0) this.realtime.notify(others, { ...base, kind: 'direct_message', title: `${authorName} sent you a message` });
    }
  }

  private async revisable(userId: string, messageId: string) {
    const message = await findMessage(this.db, messageId);
    if (!message) throw notFound('Message');
    const access = await requireChannelAccess(this.db, userId, message.channelId, 'read');
    return { message, access };
  }

  private async publishRevision(row: MessageRow | undefined): Promise<ChatMessage> {
    if (!row) throw notFound('Message');
    const [message] = await toChatMessages(this.db, [row]);
    this.realtime.sendToChannel(row.channelId, { type: 'chat.message', message: message! });
    return message!;
  }

  async edit(userId: string, messageId: string, body: string) {
    const { message, access } = await this.revisable(userId, messageId);
    requireMessageEdit(access, message, userId);
    return this.publishRevision(await editMessage(this.db, message, body, extractMentions(body)));
  }

  async remove(userId: string, messageId: string) {
    const { message, access } = await this.revisable(userId, messageId);
    requireMessageDelete(access, message, userId);
    return this.publishRevision(await deleteMessage(this.db, message));
  }

  async react(userId: string, messageId: string, emoji: string, add: boolean) {
    const { message, access } = await this.revisable(userId, messageId);
    if (!access.canWrite) await requireChannelAccess(this.db, userId, message.channelId, 'write');
    if (message.deletedAt) throw notFound('Message');
    const revised = await setReaction(this.db, message, userId, emoji, add);
    if (!revised) return (await toChatMessages(this.db, [message]))[0]!;
    return this.publishRevision(revised);
  }

  async history(userId: string, channelId: string, query: { before?: number | undefined; after?: number | undefined; limit: number }) {
    await requireChannelAccess(this.db, userId, channelId, 'read');
    const { rows, hasMore } = await listMessages(this.db, channelId, query);
    return { messages: await toChatMessages(this.db, rows), hasMore };
  }

  /** Moves the read marker and tells the user's other devices, so badges agree everywhere. */
  async markRead(userId: string, channelId: string, seq: number): Promise<UnreadChannel> {
    const access = await requireChannelAccess(this.db, userId, channelId, 'read');
    const lastReadSeq = await markRead(this.db, channelId, userId, Math.min(seq, access.channel.lastEventSeq));
    const [counts] = await countUnread(this.db, userId, [channelId]);
    const unread = { channelId, orgId: access.orgId, unread: counts?.unread ?? 0, mentions: counts?.mentions ?? 0, lastReadSeq };
    this.realtime.sendToUsers([userId], { type: 'chat.read_marker', channelId, lastReadSeq, unread: unread.unread });
    return unread;
  }

  async visibleChannels(userId: string, orgId?: string): Promise<{ row: ChannelRow; access: ChannelAccess }[]> {
    const rows = await listChannelsWithAccess(this.db, userId, orgId);
    return rows.flatMap((row) => {
      const access = channelAccessOf(row);
      return access ? [{ row: access.channel, access }] : [];
    });
  }

  async listChannels(userId: string, orgId: string): Promise<Channel[]> {
    await requireOrgAccess(this.db, userId, orgId, 'org:channels:read');
    const visible = await this.visibleChannels(userId, orgId);
    return this.toChannels(visible.map((entry) => entry.row));
  }

  async toChannels(rows: ChannelRow[]): Promise<Channel[]> {
    const members = await listExplicitMembers(
      this.db,
      rows.filter((row) => row.kind === 'dm').map((row) => row.id),
    );
    return rows.map((row) => ({
      id: row.id,
      orgId: row.orgId,
      kind: row.kind,
      teamId: row.teamId,
      meetingId: row.meetingId,
      name: row.name,
      isDefault: row.isDefault,
      memberIds: members.get(row.id) ?? [],
      lastEventSeq: row.lastEventSeq,
      archived: row.archivedAt !== null,
    }));
  }

  async unread(userId: string): Promise<UnreadChannel[]> {
    const visible = await this.visibleChannels(userId);
    const member = visible.filter((entry) => entry.access.canWrite);
    const orgOf = new Map(member.map((entry) => [entry.row.id, entry.row.orgId]));
    const counts = await countUnread(this.db, userId, [...orgOf.keys()]);
    return counts.map((count) => ({ ...count, orgId: orgOf.get(count.channelId)! }));
  }

  async channel(userId: string, channelId: string): Promise<Channel> {
    const { channel } = await requireChannelAccess(this.db, userId, channelId, 'read');
    return (await this.toChannels([channel]))[0]!;
  }

  /** Renames or archives a team channel, and tells everyone reading it. */
  async updateChannel(userId: string, channelId: string, change: UpdateChannelBody): Promise<Channel> {
    const { channel, orgId } = await requireChannelAccess(this.db, userId, channelId, 'read', 'org:channels:manage');
    if (channel.kind !== 'team') throw unprocessable('Only team channels can be renamed or archived');
    const result = await updateTeamChannel(this.db, channel, change, new Date());
    if ('problem' in result) {
      throw conflict(
        result.problem === 'name_taken'
          ? 'This team already has a channel with that name'
          : "A team's first channel is where everyone meets: it cannot be archived",
      );
    }
    this.realtime.sendToChannel(channel.id, { type: 'channel.updated', channelId: channel.id, orgId });
    return (await this.toChannels([result.channel]))[0]!;
  }

  async createTeamChannel(userId: string, teamId: string, name: string): Promise<Channel> {
    const access = await requireTeamAccess(this.db, userId, teamId, 'org:channels:create');
    const channel = await createTeamChannel(this.db, access.team, name);
    if (!channel) throw conflict('This team already has a channel with that name');
    // Admins read every team's channels, so they are told too, not only the team.
    await this.realtime.refreshAccess(await listTeamChannelReaders(this.db, access.team));
    return (await this.toChannels([channel]))[0]!;
  }

  async openDirectMessage(userId: string, orgId: string, otherUserIds: string[]): Promise<{ channel: Channel; created: boolean }> {
    await requireOrgAccess(this.db, userId, orgId, 'org:channels:read');
    const result = await findOrCreateDirectMessage(this.db, orgId, [userId, ...otherUserIds]);
    if ('notInOrg' in result) throw unprocessable(`userIds: not members of this organization: ${result.notInOrg.join(', ')}`);
    if (result.created) await this.realtime.refreshAccess([userId, ...otherUserIds]);
    return { channel: (await this.toChannels([result.channel]))[0]!, created: result.created };
  }
}
