import type { FastifyBaseLogger } from 'fastify';
import type { ClientFrameOf, MeetingParticipant, ServerFrame } from '@collaro/shared';
import type { Database } from '../../db/client.js';
import { conflict, forbidden, DomainError, notFound } from '../../domain-errors.js';
import { requireMeetingAccess, requireMeetingModerator } from '../../policy/policy.js';
import type { GatewayConnection, RealtimeService } from '../../realtime/gateway.js';
import { findMeeting, listMeetingAudience, type MeetingRow } from './repository.js';
import {
  enterRoom,
  findOpenParticipation,
  closePlacesOutsideOrgs,
  findRoomConnections,
  leaveRoom,
  listRoomParticipants,
  removeParticipant,
  setMediaState,
} from './rooms-repository.js';
import { createMeetingChannel, findMeetingChannel, removeChannelMember } from '../channels/repository.js';
import { isGuestAlive } from '../guests/repository.js';
import type { MeetingRoomEvents } from './service.js';

interface LocalConnection {
  userId: string;
  meetingIds: Set<string>;
}

/**
 * The built-in mesh's rooms, on top of the realtime gateway. Who is in a room lives in the
 * database (meeting_participants.connection_id), so every backend instance agrees on it; frames
 * reach users on any instance through `app.realtime`. Signals are relayed only when sender and
 * recipient both hold a place in the same meeting's room right now.
 */
export class MeetingRooms implements MeetingRoomEvents {
  /** Connections on this instance that are in at least one room. */
  private readonly local = new Map<string, LocalConnection>();
  /**
   * meeting -> user -> room connection, mirrored from every change this instance makes. With the
   * in-process event bus this instance is the only one, so the mirror is complete and signals are
   * checked against it without a query; with Redis, other instances change rooms too and every
   * signal is checked in the database.
   */
  private readonly rooms = new Map<string, Map<string, string>>();
  private readonly soleInstance: boolean;

  constructor(
    private readonly db: Database,
    private readonly realtime: RealtimeService,
    private readonly now: () => Date,
    private readonly log?: FastifyBaseLogger,
  ) {
    this.soleInstance = realtime.bus === 'in-process';
    realtime.onConnectionClosed(({ connectionId, userId }) => {
      void this.connectionClosed(connectionId, userId);
    });
  }

  private mirrorEnter(meetingId: string, userId: string, connectionId: string) {
    let room = this.rooms.get(meetingId);
    if (!room) this.rooms.set(meetingId, (room = new Map<string, string>()));
    room.set(userId, connectionId);
  }

  private mirrorLeave(meetingId: string, userId: string, connectionId?: string) {
    const room = this.rooms.get(meetingId);
    if (!room || (connectionId !== undefined && room.get(userId) !== connectionId)) return;
    room.delete(userId);
    if (room.size === 0) this.rooms.delete(meetingId);
  }

  private async roomConnections(meetingId: string, userIds: string[]): Promise<Map<string, string>> {
    if (!this.soleInstance) return findRoomConnections(this.db, meetingId, userIds);
    const room = this.rooms.get(meetingId);
    const found = new Map<string, string>();
    for (const userId of userIds) {
      const connectionId = room?.get(userId);
      if (connectionId) found.set(userId, connectionId);
    }
    return found;
  }

  private track(connection: GatewayConnection, meetingId: string) {
    let entry = this.local.get(connection.id);
    if (!entry) this.local.set(connection.id, (entry = { userId: connection.userId, meetingIds: new Set() }));
    entry.meetingIds.add(meetingId);
  }

  /** Forgets the room locally and clears "in a meeting" once none of the user's connections here is in one. */
  private async untrack(connectionId: string, meetingId: string) {
    const entry = this.local.get(connectionId);
    if (!entry || !entry.meetingIds.delete(meetingId)) return;
    if (entry.meetingIds.size === 0) this.local.delete(connectionId);
    const stillInOne = [...this.local.values()].some((other) => other.userId === entry.userId && other.meetingIds.size > 0);
    if (!stillInOne) await this.realtime.setInMeeting(entry.userId, false);
  }

  private async participants(meetingId: string): Promise<MeetingParticipant[]> {
    const rows = await listRoomParticipants(this.db, meetingId);
    return rows.map(({ connectionId: _connectionId, joinedAt: _joinedAt, ...participant }) => participant);
  }

  private async broadcastParticipants(meetingId: string, exceptUserId?: string) {
    const participants = await this.participants(meetingId);
    const userIds = participants.map((p) => p.userId).filter((id) => id !== exceptUserId);
    if (userIds.length > 0) this.realtime.sendToUsers(userIds, { type: 'meeting.participants', meetingId, participants });
    return participants;
  }

  private requireInRoomHere(connection: GatewayConnection, meetingId: string) {
    if (!this.local.get(connection.id)?.meetingIds.has(meetingId)) throw forbidden('This connection is not in that meeting; send meeting.join first');
  }

  /** A guest enters only the meeting their link was for, and only while the link works. */
  private async guestAccess(connection: GatewayConnection, meetingId: string): Promise<{ meeting: MeetingRow }> {
    if (connection.guestMeetingId !== meetingId) throw notFound('Meeting');
    const [meeting, alive] = await Promise.all([findMeeting(this.db, meetingId), isGuestAlive(this.db, connection.userId, meetingId)]);
    if (!meeting || !alive) throw forbidden('Your guest access has ended: the meeting is over');
    return { meeting };
  }

  async join(connection: GatewayConnection, { meetingId }: ClientFrameOf<'meeting.join'>) {
    const userId = connection.userId;
    const [{ meeting }, open] = await Promise.all([
      connection.guestMeetingId !== null ? this.guestAccess(connection, meetingId) : requireMeetingAccess(this.db, userId, meetingId),
      findOpenParticipation(this.db, meetingId, userId),
    ]);
    if (meeting.provider !== 'local') throw conflict('This meeting uses Stream video; its room is not on this connection');
    if (meeting.status !== 'live') throw conflict(meeting.status === 'scheduled' ? 'This meeting has not started' : 'This meeting is over');
    if (!open || !(await enterRoom(this.db, open.id, connection.id, this.now()))) {
      throw conflict(`Join the meeting first: POST /api/meetings/${meetingId}/join`);
    }
    this.track(connection, meetingId);
    this.mirrorEnter(meetingId, userId, connection.id);
    const participants = await this.participants(meetingId);
    connection.send({ type: 'meeting.joined', meetingId, connectionId: connection.id, participants });
    const others = participants.map((p) => p.userId).filter((id) => id !== userId);
    if (others.length > 0) this.realtime.sendToUsers(others, { type: 'meeting.participants', meetingId, participants });
    // The joiner's offers are queued behind this handler on its connection, so what they do not
    // need (the in-call chat, presence, the old connection's notice) happens after it returns.
    void this.afterJoin(meeting, userId, connection.id, open.connectionId).catch((error: unknown) =>
      this.log?.warn({ err: error, meetingId }, 'meeting join follow-up failed'),
    );
  }

  private async afterJoin(meeting: MeetingRow, userId: string, connectionId: string, previous: string | null) {
    const meetingId = meeting.id;
    if (previous && previous !== connectionId) {
      this.realtime.sendToUsers([userId], { type: 'meeting.removed', meetingId, connectionId: previous, reason: 'joined_elsewhere' });
      await this.untrack(previous, meetingId);
    }
    await this.realtime.setInMeeting(userId, true);
    await this.joinChat(meeting, userId);
  }

  /**
   * The in-call chat: everyone who enters the call becomes a member of the meeting's channel (the
   * meeting room UI looks for it until it appears). A guest is in no organization, so is not added
   * here: the guest's chat comes with the guest token.
   */
  private async joinChat(meeting: MeetingRow, userId: string) {
    await createMeetingChannel(this.db, { orgId: meeting.orgId, meetingId: meeting.id, name: meeting.title, memberIds: [userId] });
    await this.realtime.refreshAccess([userId]);
  }

  async joinedCallElsewhere(meeting: MeetingRow, userId: string) {
    await this.joinChat(meeting, userId);
  }

  async leave(connection: GatewayConnection, { meetingId }: ClientFrameOf<'meeting.leave'>) {
    await this.leaveAs(connection.id, connection.userId, meetingId);
  }

  private async leaveAs(connectionId: string, userId: string, meetingId: string) {
    this.mirrorLeave(meetingId, userId, connectionId);
    const left = await leaveRoom(this.db, meetingId, userId, connectionId, this.now());
    await this.untrack(connectionId, meetingId);
    if (left) await this.broadcastParticipants(meetingId);
  }

  async signal(connection: GatewayConnection, frame: ClientFrameOf<'rtc.signal'>) {
    const { meetingId, to, signal } = frame;
    const from = connection.userId;
    if (to === from) throw new DomainError('validation_failed', 'to: cannot signal yourself');
    this.requireInRoomHere(connection, meetingId);
    const rooms = await this.roomConnections(meetingId, [from, to]);
    if (rooms.get(from) !== connection.id) {
      await this.untrack(connection.id, meetingId);
      throw forbidden('You are no longer in this meeting');
    }
    const target = rooms.get(to);
    if (!target) throw notFound('Participant');
    this.realtime.sendToUsers([to], { type: 'rtc.signal', meetingId, from, connectionId: target, signal });
  }

  async media(connection: GatewayConnection, frame: ClientFrameOf<'meeting.media'>) {
    const { meetingId, audioMuted, videoMuted, screenSharing } = frame;
    this.requireInRoomHere(connection, meetingId);
    const updated = await setMediaState(this.db, meetingId, connection.userId, connection.id, { audioMuted, videoMuted, screenSharing });
    if (!updated) throw forbidden('You are no longer in this meeting');
    await this.broadcastParticipants(meetingId);
  }

  async askToMute(connection: GatewayConnection, { meetingId, userId }: ClientFrameOf<'meeting.mute'>) {
    requireMeetingModerator(await requireMeetingAccess(this.db, connection.userId, meetingId));
    const target = (await this.roomConnections(meetingId, [userId])).get(userId);
    if (!target) throw notFound('Participant');
    this.realtime.sendToUsers([userId], { type: 'meeting.mute_requested', meetingId, connectionId: target, byUserId: connection.userId });
  }

  async remove(connection: GatewayConnection, { meetingId, userId }: ClientFrameOf<'meeting.remove'>) {
    const access = await requireMeetingAccess(this.db, connection.userId, meetingId);
    requireMeetingModerator(access);
    if (userId === access.meeting.hostId) throw forbidden('The host cannot be removed from their own meeting');
    this.mirrorLeave(meetingId, userId);
    const removed = await removeParticipant(this.db, meetingId, userId, connection.userId, this.now());
    if (!removed) throw notFound('Participant');
    // The in-call chat is part of the room: whoever is removed stops reading and writing it too, on
    // every instance, before they are told (entering the room again, once let back in, adds them back).
    const chat = await findMeetingChannel(this.db, meetingId);
    if (chat) {
      await removeChannelMember(this.db, chat.id, userId);
      await this.realtime.refreshAccess([userId]);
    }
    if (removed.connectionId) {
      this.realtime.sendToUsers([userId], {
        type: 'meeting.removed',
        meetingId,
        connectionId: removed.connectionId,
        reason: 'removed_by_host',
        byUserId: connection.userId,
      });
      await this.untrack(removed.connectionId, meetingId);
    }
    await this.broadcastParticipants(meetingId);
  }

  /**
   * After people left or were removed from an organization: their places in its live meetings end,
   * each room they were in is told, and any signal or media change they still send is refused.
   * (Their in-call chats went with the organization membership.)
   */
  async dropFormerMembers(userIds: readonly string[]) {
    const closed = await closePlacesOutsideOrgs(this.db, userIds, this.now());
    for (const { meetingId, userId, connectionId } of closed) {
      this.mirrorLeave(meetingId, userId);
      if (!connectionId) continue;
      this.realtime.sendToUsers([userId], { type: 'meeting.removed', meetingId, connectionId, reason: 'removed_from_organization' });
      await this.untrack(connectionId, meetingId);
    }
    for (const meetingId of new Set(closed.map((place) => place.meetingId))) await this.broadcastParticipants(meetingId);
  }

  async meetingEnded(meetingId: string, reason: 'ended' | 'cancelled') {
    this.rooms.delete(meetingId);
    const audience = await listMeetingAudience(this.db, meetingId);
    const frame: ServerFrame = { type: 'meeting.ended', meetingId, reason };
    if (audience.length > 0) this.realtime.sendToUsers(audience, frame);
    for (const [connectionId, entry] of [...this.local]) {
      if (entry.meetingIds.has(meetingId)) await this.untrack(connectionId, meetingId);
    }
  }

  private async connectionClosed(connectionId: string, userId: string) {
    const entry = this.local.get(connectionId);
    if (!entry) return;
    for (const meetingId of [...entry.meetingIds]) {
      try {
        await this.leaveAs(connectionId, userId, meetingId);
      } catch {
        // The connection is gone either way; a failed write leaves a place the mesh limit's grace period frees.
        await this.untrack(connectionId, meetingId);
      }
    }
  }
}
