import type { StreamClient } from '@stream-io/node-sdk';
import type { MeetingRecording, StreamJoinResponse } from '@collaro/shared';
import { DomainError } from '../../../domain-errors.js';
import type { MeetingRow } from '../repository.js';
import type { CallMember, VideoProvider } from '../video-provider.js';

/** Stream tokens live no longer than this; the client asks to join again for a fresh one. */
export const STREAM_TOKEN_VALIDITY_SECONDS = 60 * 60;
export const STREAM_CALL_TYPE = 'default';

export interface StreamProviderOptions {
  apiKey: string;
  apiSecret: string;
  /** A stand-in server's address in contract tests; Stream's own otherwise. */
  baseUrl?: string;
  now: () => Date;
}

/** What a guest is at Stream: a user of their own, apart from the organization's people, who may join only the calls they are a member of. */
const STREAM_GUEST_ROLE = 'guest';
const STREAM_CALL_MEMBER_ROLE = 'call_member';

/** A member is their Collaro id at Stream; a guest gets an id of their own, so Stream never takes one for the other. */
export const streamUserIdOf = (member: Pick<CallMember, 'id' | 'isGuest'>) => (member.isGuest ? `guest-${member.id}` : member.id);

const streamUnavailable = (cause: unknown) => {
  const error = new DomainError('service_unavailable', 'Stream video could not be reached; try again shortly');
  error.cause = cause;
  return error;
};

/** Stream Video: Collaro creates the call and mints tokens; media goes through Stream's servers. */
export class StreamProvider implements VideoProvider {
  readonly name = 'stream' as const;

  /** Stream's SDK is loaded here, when Stream is configured, not with every server. */
  static async create(options: StreamProviderOptions): Promise<StreamProvider> {
    const { StreamClient } = await import('@stream-io/node-sdk');
    const client = new StreamClient(options.apiKey, options.apiSecret, {
      ...(options.baseUrl ? { basePath: options.baseUrl } : {}),
      timeout: 5000,
    });
    return new StreamProvider(options, client);
  }

  private constructor(
    private readonly options: StreamProviderOptions,
    readonly client: StreamClient,
  ) {}

  private call(meeting: MeetingRow) {
    return this.client.video.call(STREAM_CALL_TYPE, meeting.providerCallId ?? meeting.id);
  }

  private async upsertUsers(members: CallMember[]) {
    await this.client.upsertUsers(
      members.map((member) => ({ id: streamUserIdOf(member), name: member.name, ...(member.isGuest ? { role: STREAM_GUEST_ROLE } : {}) })),
    );
  }

  private static memberRequests(members: CallMember[]) {
    return members.map((member) => ({ user_id: streamUserIdOf(member), role: member.isHost ? 'host' : STREAM_CALL_MEMBER_ROLE }));
  }

  async createCall(meeting: MeetingRow, members: CallMember[]): Promise<string> {
    const host = members.find((member) => member.isHost);
    try {
      // Stream refuses members it does not know, so the users go first.
      await this.upsertUsers(members);
      await this.call(meeting).getOrCreate({
        data: {
          created_by_id: host?.id ?? meeting.hostId,
          starts_at: meeting.startsAt,
          members: StreamProvider.memberRequests(members),
          custom: { meetingId: meeting.id, orgId: meeting.orgId },
        },
      });
    } catch (error) {
      throw streamUnavailable(error);
    }
    return meeting.id;
  }

  async rescheduleCall(meeting: MeetingRow): Promise<void> {
    try {
      await this.call(meeting).update({ starts_at: meeting.startsAt, custom: { meetingId: meeting.id, orgId: meeting.orgId } });
    } catch (error) {
      throw streamUnavailable(error);
    }
  }

  async join(meeting: MeetingRow, user: CallMember): Promise<StreamJoinResponse> {
    try {
      await this.upsertUsers([user]);
      await this.call(meeting).updateCallMembers({ update_members: StreamProvider.memberRequests([user]) });
    } catch (error) {
      throw streamUnavailable(error);
    }
    const issuedAt = Math.floor(this.options.now().getTime() / 1000);
    const userId = streamUserIdOf(user);
    const callId = meeting.providerCallId ?? meeting.id;
    const validity = { user_id: userId, iat: issuedAt, validity_in_seconds: STREAM_TOKEN_VALIDITY_SECONDS };
    // A guest's token names this one call: Stream accepts it for nothing else, whatever call id the guest tries.
    const token = user.isGuest
      ? this.client.generateCallToken({ ...validity, call_cids: [`${STREAM_CALL_TYPE}:${callId}`], role: STREAM_CALL_MEMBER_ROLE })
      : this.client.generateUserToken(validity);
    return {
      provider: 'stream',
      meetingId: meeting.id,
      apiKey: this.options.apiKey,
      token,
      tokenExpiresAt: issuedAt + STREAM_TOKEN_VALIDITY_SECONDS,
      userId,
      callType: STREAM_CALL_TYPE,
      callId,
      isHost: user.isHost,
    };
  }

  async endCall(meeting: MeetingRow): Promise<void> {
    try {
      await this.call(meeting).end();
    } catch (error) {
      throw streamUnavailable(error);
    }
  }

  async listRecordings(meeting: MeetingRow): Promise<MeetingRecording[]> {
    try {
      const response = await this.call(meeting).listRecordings();
      return response.recordings.map((recording) => ({
        filename: recording.filename,
        url: recording.url,
        startTime: new Date(recording.start_time).toISOString(),
        endTime: new Date(recording.end_time).toISOString(),
      }));
    } catch (error) {
      throw streamUnavailable(error);
    }
  }

  /** True when `signature` is Stream's HMAC of exactly these bytes under the API secret. */
  verifyWebhook(rawBody: Buffer, signature: string): boolean {
    try {
      return this.client.verifyWebhook(rawBody, signature);
    } catch {
      return false;
    }
  }
}
