import { createHash, randomBytes } from 'node:crypto';
import {
  GUEST_TOKEN_PREFIX,
  guestLinkPath,
  type ClientFrameOf,
  type CreatedGuestLink,
  type GuestEntry,
  type GuestLinkInfo,
  type GuestMessages,
  type GuestSession,
  type JoinMeetingResponse,
} from '@collaro/shared';
import type { AuthIdentity } from '../../auth/provider.js';
import type { Database } from '../../db/client.js';
import { conflict, forbidden, DomainError, notFound, unauthorized } from '../../domain-errors.js';
import { requireMeetingModerator } from '../../policy/policy.js';
import type { GatewayConnection, RealtimeService } from '../../realtime/gateway.js';
import { findMeetingChannel } from '../channels/repository.js';
import { findLiveGuest, findLiveGuestLink, insertGuest, insertGuestLink, isGuestAlive, namesOf } from './repository.js';
import { findMeeting, type MeetingRow } from '../meetings/repository.js';
import { sessionStartOf } from '../meetings/sessions-repository.js';
import { listMessages, postMessage, toChatMessage, toChatMessages } from '../chat/repository.js';
import { replayChanges } from '../chat/resume.js';
import type { MeetingService } from '../meetings/service.js';

/** Who a guest token names: a guest of one meeting. */
export interface GuestIdentity {
  userId: string;
  meetingId: string;
  name: string;
}

/** A guest's realtime connection re-authenticates within this, so a dead link also ends its socket. */
const GUEST_TOKEN_CHECK_SECONDS = 15 * 60;
const GUEST_HISTORY_LIMIT = 100;

/**
 * Whether a message falls in the meeting's current session (a guest's link is good for that session
 * only). Its time is the database's and the session's start the server's: on one machine, or on
 * clocks kept in step, a line typed after someone entered the room is always later.
 */
function inSession(meeting: MeetingRow, at: Date): boolean {
  const start = sessionStartOf(meeting);
  return start !== null && at.getTime() >= start.getTime();
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
/** Unknown links and links of meetings that are over look the same. */
const linkGone = () => new DomainError('not_found', 'This guest link does not work any more: the meeting it was for is over. Ask the host for a new one.');
const guestGone = () => unauthorized('Your guest access has ended: the meeting is over. Ask the host for a new link.');

/**
 * Guests of meetings: people without an account whom a host lets into one meeting. A guest is a
 * users row with no email, password or membership, named in `meeting_guests` with the meeting and
 * the link they came through. Their token is refused by every signed-in route (the auth providers do
 * not know it); only the guest routes and the realtime gateway accept it, for that meeting's room and
 * chat, and only while the link is alive.
 */
export class MeetingGuests {
  constructor(
    private readonly db: Database,
    private readonly meetings: MeetingService,
    private readonly options: { publicUrl: string; now: () => Date; realtime: RealtimeService },
  ) {}

  /** The host (or an organization admin) makes a guest link for the meeting. */
  async createLink(userId: string, meetingId: string): Promise<CreatedGuestLink> {
    const access = await this.meetings.access(userId, meetingId);
    requireMeetingModerator(access, 'Only the host or an organization admin can invite guests');
    const { meeting } = access;
    if (meeting.kind === 'call') throw conflict('A call from a direct message cannot take guests');
    if (meeting.status === 'ended' || meeting.status === 'cancelled') throw conflict('This meeting is over; guests can no longer join it');
    const token = randomBytes(32).toString('base64url');
    const { id } = await insertGuestLink(this.db, { orgId: meeting.orgId, meetingId, tokenHash: hashToken(token), createdBy: userId });
    return { id, token, url: `${this.options.publicUrl}${guestLinkPath(token)}` };
  }

  async linkInfo(token: string): Promise<GuestLinkInfo> {
    const link = await findLiveGuestLink(this.db, hashToken(token));
    if (!link) throw linkGone();
    return { meetingTitle: link.meetingTitle, hostName: link.hostName };
  }

  /** A guest gives a name and gets a token for this meeting. */
  async enter(token: string, name: string): Promise<GuestEntry> {
    const link = await findLiveGuestLink(this.db, hashToken(token));
    if (!link) throw linkGone();
    const guestToken = `${GUEST_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const userId = await insertGuest(this.db, { name, orgId: link.orgId, meetingId: link.meetingId, linkId: link.linkId, tokenHash: hashToken(guestToken) });
    return { token: guestToken, ...(await this.session({ userId, meetingId: link.meetingId, name })) };
  }

  async authenticateGuest(token: string): Promise<GuestIdentity> {
    if (!token.startsWith(GUEST_TOKEN_PREFIX)) throw unauthorized('Not a guest token');
    const guest = await findLiveGuest(this.db, hashToken(token));
    if (!guest) throw guestGone();
    return guest;
  }

  /** For the realtime gateway: a guest token as an identity that names its meeting. */
  async authenticate(token: string): Promise<AuthIdentity> {
    const guest = await this.authenticateGuest(token);
    return {
      userId: guest.userId,
      sessionId: null,
      provider: 'local',
      expiresAt: Math.floor(this.options.now().getTime() / 1000) + GUEST_TOKEN_CHECK_SECONDS,
      guestMeetingId: guest.meetingId,
    };
  }

  private async liveMeeting(guest: { userId: string; meetingId: string }): Promise<MeetingRow> {
    const [meeting, alive] = await Promise.all([findMeeting(this.db, guest.meetingId), isGuestAlive(this.db, guest.userId, guest.meetingId)]);
    if (!meeting || !alive) throw guestGone();
    return meeting;
  }

  async session(guest: GuestIdentity): Promise<GuestSession> {
    const [meeting, channel] = await Promise.all([this.liveMeeting(guest), findMeetingChannel(this.db, guest.meetingId)]);
    return {
      guestId: guest.userId,
      name: guest.name,
      meeting: { id: meeting.id, title: meeting.title, kind: meeting.kind, status: meeting.status, hostId: meeting.hostId },
      channelId: channel?.id ?? null,
    };
  }

  /** Like a member's join: a place in the room (within the mesh limit), or a Stream token for that call only; unless the host removed them. */
  async join(guest: GuestIdentity): Promise<JoinMeetingResponse> {
    const meeting = await this.liveMeeting(guest);
    return this.meetings.admit(meeting, { id: guest.userId, name: guest.name, isHost: false, isGuest: true });
  }

  /**
   * The meeting chat's latest messages of this session, with their authors' names (members and guests
   * alike): what was said before the guest came, but not a personal room's earlier sessions, which
   * their link was never for.
   */
  async messages(guest: GuestIdentity): Promise<GuestMessages> {
    const meeting = await this.liveMeeting(guest);
    const channel = await findMeetingChannel(this.db, guest.meetingId);
    if (!channel) return { messages: [], authors: {} };
    const page = await listMessages(this.db, channel.id, { limit: GUEST_HISTORY_LIMIT });
    const rows = page.rows.filter((row) => inSession(meeting, row.createdAt));
    const names = await namesOf(this.db, [...new Set(rows.map((row) => row.authorId))]);
    return { messages: await toChatMessages(this.db, rows), authors: Object.fromEntries(names) };
  }

  /**
   * After the guest's connection comes back: what the meeting chat said meanwhile, as a member's
   * `resume` replays it (a gap too long to replay is answered `chat.refetch`, and the history is
   * read again over HTTP). Any other channel named does not exist for a guest.
   */
  async resume(connection: GatewayConnection, frame: ClientFrameOf<'resume'>, replayLimit: number): Promise<void> {
    const meetingId = connection.guestMeetingId;
    if (!meetingId) throw guestGone();
    const [meeting, channel] = await Promise.all([this.liveMeeting({ userId: connection.userId, meetingId }), findMeetingChannel(this.db, meetingId)]);
    const asked = frame.channels.filter((entry) => entry.channelId.toLowerCase() === channel?.id);
    const others = [...new Set(frame.channels.map((entry) => entry.channelId).filter((id) => id.toLowerCase() !== channel?.id))];
    if (others.length > 0) {
      connection.send({
        type: 'error',
        code: 'not_found',
        message: `${others.length} channel(s) to resume are not this meeting's chat`,
        ref: { type: 'resume' },
      });
    }
    if (!channel || asked.length === 0) {
      connection.send({ type: 'resumed', channels: [] });
      return;
    }
    const afterEventSeq = Math.min(...asked.map((entry) => entry.afterEventSeq));
    const missed = Math.max(0, channel.lastEventSeq - afterEventSeq);
    if (missed > replayLimit) {
      connection.send({ type: 'chat.refetch', channelId: channel.id, lastEventSeq: channel.lastEventSeq });
      connection.send({ type: 'resumed', channels: [{ channelId: channel.id, replayed: 0, refetch: true }] });
      return;
    }
    let replayed = 0;
    for await (const page of replayChanges(this.db, [{ channelId: channel.id, afterEventSeq, limit: missed }])) {
      for (const message of page) {
        // Whatever cursor the guest names, nothing from before this session.
        if (!inSession(meeting, new Date(message.createdAt))) continue;
        if (!(await connection.sendReplay({ type: 'chat.message', message }))) return;
        replayed += 1;
      }
    }
    connection.send({ type: 'resumed', channels: [{ channelId: channel.id, replayed, refetch: false }] });
  }

  /** A guest's line in the meeting chat, sent over the realtime connection and acknowledged like a member's. */
  async sendChat(connection: GatewayConnection, frame: ClientFrameOf<'chat.send'>): Promise<void> {
    const meetingId = connection.guestMeetingId;
    if (!meetingId || !(await isGuestAlive(this.db, connection.userId, meetingId))) throw guestGone();
    const channel = await findMeetingChannel(this.db, meetingId);
    if (!channel || channel.id !== frame.channelId) throw notFound('Channel');
    if (frame.replyToId) throw forbidden('Guests cannot reply in threads');
    const result = await postMessage(this.db, { channel, authorId: connection.userId, clientId: frame.clientId, body: frame.body, mentions: [] });
    if ('conflict' in result) throw conflict('clientId: this client id was already used for a message in another channel');
    const message = result.duplicate ? (await toChatMessages(this.db, [result.message]))[0]! : toChatMessage(result.message);
    if (!result.duplicate) this.options.realtime.sendToChannel(channel.id, { type: 'chat.message', message });
    connection.send({
      type: 'chat.ack',
      clientId: frame.clientId,
      channelId: message.channelId,
      messageId: message.id,
      seq: message.seq,
      eventSeq: message.eventSeq,
      duplicate: result.duplicate,
    });
  }
}
