import { describeCallLine, type Call, type CallLine, type CallOutcome, type CallStatus } from '@collaro/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { ChatService } from '../chat/service.js';
import type { Database } from '../../db/client.js';
import { conflict, forbidden, DomainError, unprocessable } from '../../domain-errors.js';
import type { MeetingService } from '../meetings/service.js';
import { requireCallableConversation, requireCallMember } from '../../policy/policy.js';
import type { RealtimeService } from '../../realtime/gateway.js';
import {
  findCall,
  findOpenCall,
  insertCall,
  listCallMembers,
  listDueCalls,
  listOpenCallsOf,
  markCallOver,
  missRinging,
  moveMember,
  settleCall,
  type CallMemberRow,
  type CallRow,
} from './repository.js';
import { listChannelMemberIds } from '../channels/repository.js';
import { listUsersByIds } from '../meetings/repository.js';

export interface CallServiceOptions {
  meetings: MeetingService;
  chat: ChatService;
  realtime: RealtimeService;
  ringMs: number;
  /** Most people one call may hold (the built-in mesh's limit); unlimited on Stream. */
  maxMembers: number;
  now: () => Date;
  log: FastifyBaseLogger;
}

const NO_ANSWER: readonly CallOutcome[] = ['declined', 'missed', 'cancelled'];

/** What a call looks like now, from its stored state and its meeting's. */
export function callStatusOf(row: CallRow, members: CallMemberRow[]): CallStatus {
  if (row.endedAt || row.meetingStatus === 'ended' || row.meetingStatus === 'cancelled') return 'ended';
  if (row.outcome && NO_ANSWER.includes(row.outcome)) return 'ended';
  return members.some((member) => member.state === 'accepted') ? 'ongoing' : 'ringing';
}

/**
 * Ringing calls from direct messages. A call is a meeting underneath (kind `call`, created and
 * joined through the meetings module on the server's video provider); this service keeps who is
 * rung, who answered, and when ringing stops, and tells every member's connections on every
 * instance (`call.updated`) after each change. All state is in the database: any instance may
 * answer any request, and a sweep on every instance ends ringing that outlived its instance.
 */
export class CallService {
  constructor(
    private readonly db: Database,
    private readonly options: CallServiceOptions,
  ) {}

  private now() {
    return this.options.now();
  }

  private async view(row: CallRow): Promise<Call> {
    const members = (await listCallMembers(this.db, [row.id])).get(row.id) ?? [];
    return this.toCall(row, members);
  }

  private toCall(row: CallRow, members: CallMemberRow[]): Call {
    return {
      id: row.id,
      orgId: row.orgId,
      channelId: row.channelId,
      meetingId: row.meetingId,
      callerId: row.callerId,
      provider: row.provider,
      status: callStatusOf(row, members),
      outcome: row.outcome,
      members,
      ringsUntil: row.ringsUntil.toISOString(),
      createdAt: row.createdAt.toISOString(),
    };
  }

  /** Sends the call's state to every member and returns it. */
  private async publish(callId: string): Promise<Call> {
    const row = await findCall(this.db, callId);
    if (!row) throw new DomainError('not_found', 'Call not found');
    const call = await this.view(row);
    this.options.realtime.sendToUsers(
      call.members.map((member) => member.userId),
      { type: 'call.updated', call },
    );
    return call;
  }

  /** The conversation's call that is still on, after marking one that has quietly ended as over. */
  private async openCall(channelId: string): Promise<CallRow | undefined> {
    const row = await findOpenCall(this.db, channelId);
    if (!row) return undefined;
    const members = (await listCallMembers(this.db, [row.id])).get(row.id) ?? [];
    if (callStatusOf(row, members) !== 'ended') return row;
    await markCallOver(this.db, row.id, this.now());
    return undefined;
  }

  /**
   * Rings the other members of a direct message. When the conversation already has a call on (or
   * ringing: both people pressed Call at once), the caller is answered with that call instead,
   * and if it was ringing them, they have answered it.
   */
  async start(userId: string, channelId: string): Promise<{ call: Call; created: boolean }> {
    const { orgId, channel } = await requireCallableConversation(this.db, userId, channelId);
    const existing = await this.openCall(channelId);
    if (existing) return { call: await this.answerExisting(existing, userId), created: false };
    const memberIds = await listChannelMemberIds(this.db, channel);
    const calleeIds = memberIds.filter((id) => id !== userId);
    if (calleeIds.length === 0) throw unprocessable('channelId: there is nobody else in this conversation to call');
    if (memberIds.length > this.options.maxMembers) {
      throw unprocessable(
        `channelId: this conversation has ${memberIds.length} people; Collaro's built-in video connects at most ${this.options.maxMembers}. ` +
          'Larger calls need Stream video (STREAM_API_KEY and STREAM_API_SECRET on the server).',
      );
    }
    const people = new Map((await listUsersByIds(this.db, memberIds)).map((person) => [person.id, person.name]));
    const title = `Call: ${[userId, ...calleeIds].map((id) => people.get(id) ?? 'Someone').join(', ')}`.slice(0, 200);
    const meeting = await this.options.meetings.createCallMeeting(userId, orgId, title, calleeIds);
    const now = this.now();
    const inserted = await insertCall(
      this.db,
      { orgId, channelId, meetingId: meeting.id, callerId: userId, ringsUntil: new Date(now.getTime() + this.options.ringMs) },
      [{ userId, state: 'caller' }, ...calleeIds.map((id) => ({ userId: id, state: 'ringing' as const }))],
    );
    if (!inserted) {
      // Someone else's call in this conversation got there first: join theirs, drop ours.
      await this.options.meetings.discardCallMeeting(meeting);
      const winner = await this.openCall(channelId);
      if (!winner) throw conflict('Another call in this conversation just started and ended; try again');
      return { call: await this.answerExisting(winner, userId), created: false };
    }
    this.armTimeout(this.options.ringMs);
    return { call: await this.publish(inserted.id), created: true };
  }

  private async answerExisting(row: CallRow, userId: string): Promise<Call> {
    const members = (await listCallMembers(this.db, [row.id])).get(row.id) ?? [];
    if (members.some((member) => member.userId === userId && member.state === 'ringing')) return this.accept(userId, row.id);
    return this.view(row);
  }

  async get(userId: string, callId: string): Promise<Call> {
    return this.view(await requireCallMember(this.db, userId, callId));
  }

  /** Calls that are ringing, rung by or on for the user: what a device that connects now should show. */
  async active(userId: string): Promise<Call[]> {
    const rows = await listOpenCallsOf(this.db, userId);
    const members = await listCallMembers(
      this.db,
      rows.map((row) => row.id),
    );
    return rows.map((row) => this.toCall(row, members.get(row.id) ?? [])).filter((call) => call.status !== 'ended');
  }

  /** Answers a call ringing the user; a member who declined or missed it may still join it while it is on. */
  async accept(userId: string, callId: string): Promise<Call> {
    const call = await this.get(userId, callId);
    if (call.status === 'ended') throw conflict('This call has ended');
    const state = call.members.find((member) => member.userId === userId)?.state;
    if (state === 'caller' || state === 'accepted') return call;
    if (!(await moveMember(this.db, callId, userId, ['ringing', 'declined', 'missed'], 'accepted', this.now()))) return this.get(userId, callId);
    await this.settle(callId);
    return this.publish(callId);
  }

  async decline(userId: string, callId: string): Promise<Call> {
    const call = await this.get(userId, callId);
    const state = call.members.find((member) => member.userId === userId)?.state;
    if (state === 'caller') throw unprocessable('You started this call: cancel it instead');
    if (call.status === 'ended') throw conflict('This call has ended');
    if (!(await moveMember(this.db, callId, userId, ['ringing'], 'declined', this.now()))) {
      throw conflict(state === 'accepted' ? 'You already answered this call' : 'This call is no longer ringing you');
    }
    await this.settle(callId);
    return this.publish(callId);
  }

  /** The caller hangs up before anyone answered: ringing stops everywhere and the call is over. */
  async cancel(userId: string, callId: string): Promise<Call> {
    const call = await this.get(userId, callId);
    if (call.callerId !== userId) throw forbidden('Only the caller can cancel a call; decline it instead');
    if (call.status === 'ended') return call;
    if (call.status === 'ongoing') throw conflict('Someone has answered; leave the call instead');
    await missRinging(this.db, [callId], this.now());
    await this.settle(callId, { cancelled: true });
    // Someone may have answered in the same moment: the call is then on, and the caller told so.
    return this.publish(callId);
  }

  /** Leaving a one-to-one call ends it for both people; in a group call the others carry on. */
  async hangUp(userId: string, callId: string): Promise<Call> {
    const call = await this.get(userId, callId);
    if (call.status === 'ringing' && call.callerId === userId) return this.cancel(userId, callId);
    if (call.status !== 'ongoing' || call.members.length > 2) return call;
    await this.endMeeting(call.callerId, call.meetingId);
    await markCallOver(this.db, callId, this.now());
    return this.publish(callId);
  }

  private async endMeeting(hostId: string, meetingId: string) {
    try {
      await this.options.meetings.end(hostId, meetingId);
    } catch (error) {
      // Already over (everyone left, or another instance ended it): nothing left to end.
      if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
    }
  }

  /**
   * Once nobody is being rung any more: writes the outcome (exactly once), ends the call's meeting
   * when nobody answered, and leaves one line in the conversation when anyone declined or missed it.
   */
  private async settle(callId: string, options: { cancelled?: boolean } = {}): Promise<void> {
    const members = (await listCallMembers(this.db, [callId])).get(callId) ?? [];
    if (members.some((member) => member.state === 'ringing')) return;
    const callees = members.filter((member) => member.state !== 'caller');
    const idsIn = (state: CallMemberRow['state']) => callees.filter((member) => member.state === state).map((member) => member.userId);
    const outcome: CallOutcome = callees.some((member) => member.state === 'accepted')
      ? 'answered'
      : options.cancelled
        ? 'cancelled'
        : callees.every((member) => member.state === 'declined')
          ? 'declined'
          : 'missed';
    const now = this.now();
    if (!(await settleCall(this.db, callId, outcome, now, outcome !== 'answered'))) return;
    const row = await findCall(this.db, callId);
    if (!row) return;
    if (outcome !== 'answered') await this.endMeeting(row.callerId, row.meetingId);
    const line: CallLine = { type: 'call', callId, callerId: row.callerId, outcome, declinedIds: idsIn('declined'), missedIds: idsIn('missed') };
    if (line.declinedIds.length === 0 && line.missedIds.length === 0) return;
    const names = new Map(
      (
        await listUsersByIds(
          this.db,
          members.map((member) => member.userId),
        )
      ).map((person) => [person.id, person.name]),
    );
    await this.options.chat.postSystemLine(
      { id: row.channelId, orgId: row.orgId },
      { authorId: row.callerId, clientId: callId, body: describeCallLine(line, (id) => names.get(id) ?? 'Someone'), system: line },
    );
  }

  /** Ends the ringing of every call whose time is up; returns how many this run settled or tried to. */
  async expireDue(): Promise<number> {
    const due = await listDueCalls(this.db, this.now());
    await missRinging(this.db, due, this.now());
    for (const callId of due) {
      await this.settle(callId);
      await this.publish(callId);
    }
    return due.length;
  }

  private timers = new Set<NodeJS.Timeout>();
  private sweeping: Promise<unknown> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;

  /** Ringing ends on time on the instance that started it; the sweep catches what another instance left. */
  private armTimeout(ms: number) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.sweep();
    }, ms + 50);
    timer.unref();
    this.timers.add(timer);
  }

  private sweep() {
    if (this.sweeping) return;
    this.sweeping = this.expireDue()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'ending unanswered calls failed'))
      .finally(() => {
        this.sweeping = undefined;
      });
  }

  startSweeping() {
    this.sweepTimer = setInterval(() => this.sweep(), Math.min(5_000, Math.max(250, this.options.ringMs / 4)));
    this.sweepTimer.unref();
  }

  async stopSweeping() {
    clearInterval(this.sweepTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.sweeping;
  }
}
