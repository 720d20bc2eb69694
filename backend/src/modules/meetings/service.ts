import {
  DEFAULT_MEETING_DURATION_MINUTES,
  meetingDeepLink,
  meetingJoinUrl,
  permissionsFor,
  type CreateMeetingBody,
  type JoinMeetingResponse,
  type Meeting,
  type MeetingRecording,
  type MeetingScope,
  type UpdateMeetingBody,
  type VideoProviderName,
} from '@collaro/shared';
import type { Database } from '../../db/client.js';
import { conflict, forbidden, DomainError, unprocessable } from '../../domain-errors.js';
import {
  requireMeetingAccess,
  requireMeetingCanceller,
  requireMeetingHost,
  requireMeetingModerator,
  requireOrgAccess,
  type MeetingAccess,
} from '../../policy/policy.js';
import {
  cancelMeeting,
  deleteMeeting,
  endMeeting,
  findMeeting,
  findOrCreatePersonalRoom,
  insertMeeting,
  listInviteeIds,
  listUsersByIds,
  listVisibleMeetings,
  markMeetingLive,
  markRecordingReady,
  setProviderCallId,
  updateMeeting,
  type MeetingRow,
} from './repository.js';
import { openParticipation } from './rooms-repository.js';
import { orgMembersAmong } from '../orgs/memberships-repository.js';
import { sessionStartOf, wasRemovedInSession } from './sessions-repository.js';
import { findTeamWithAccess } from '../teams/repository.js';
import { meetingInviteIcs } from '../calendar/calendar.js';
import { calendarEntries, calendarFeedIcs, issueCalendarToken } from '../calendar/calendar-feed.js';
import type { CallMember, VideoProvider } from './video-provider.js';

/** How far in the past a new meeting may start, to forgive clocks and slow forms. */
const START_IN_PAST_TOLERANCE_MS = 5 * 60 * 1000;

/** What the meeting service tells the people in (or invited to) a meeting. */
export interface MeetingRoomEvents {
  /** The meeting ended or was cancelled: everyone in its room is told and let go. */
  meetingEnded(meetingId: string, reason: 'ended' | 'cancelled'): Promise<void>;
  /** Someone joined a meeting whose call is not in a room here (Stream video): they join its chat. */
  joinedCallElsewhere(meeting: MeetingRow, userId: string): Promise<void>;
}

export class MeetingService {
  private roomEvents: MeetingRoomEvents | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: {
      publicUrl: string;
      providers: Partial<Record<VideoProviderName, VideoProvider>>;
      /** The provider new meetings use: Stream when configured, the mesh otherwise. */
      defaultProvider: VideoProviderName;
      now: () => Date;
    },
  ) {}

  /** The realtime side registers here once it is up; until then there is nobody to tell. */
  setRoomEvents(events: MeetingRoomEvents) {
    this.roomEvents = events;
  }

  get now() {
    return this.options.now;
  }

  provider(meeting: MeetingRow): VideoProvider {
    const provider = this.options.providers[meeting.provider];
    if (!provider) {
      throw new DomainError(
        'service_unavailable',
        'This meeting uses Stream video, which this server no longer has configured (STREAM_API_KEY, STREAM_API_SECRET)',
      );
    }
    return provider;
  }

  async toMeetings(rows: MeetingRow[]): Promise<Meeting[]> {
    const invitees = await listInviteeIds(
      this.db,
      rows.map((row) => row.id),
    );
    return rows.map((row) => this.toMeeting(row, invitees.get(row.id) ?? []));
  }

  toMeeting(row: MeetingRow, inviteeIds: string[]): Meeting {
    return {
      id: row.id,
      orgId: row.orgId,
      teamId: row.teamId,
      kind: row.kind,
      title: row.title,
      description: row.description,
      startsAt: row.startsAt.toISOString(),
      endsAt: new Date(row.startsAt.getTime() + row.durationMinutes * 60 * 1000).toISOString(),
      durationMinutes: row.durationMinutes,
      hostId: row.hostId,
      status: row.status,
      provider: row.provider,
      inviteeIds,
      inviteesOnly: row.inviteesOnly,
      sequence: row.sequence,
      joinUrl: meetingJoinUrl(this.options.publicUrl, row.id),
      deepLink: meetingDeepLink(row.id),
    };
  }

  private async checkInvitees(orgId: string, hostId: string, inviteeIds: readonly string[]) {
    const wanted = inviteeIds.filter((id) => id !== hostId);
    const members = await orgMembersAmong(this.db, orgId, wanted);
    const outsider = wanted.find((id) => !members.has(id));
    if (outsider) throw unprocessable(`body.inviteeIds: ${outsider} is not a member of this organization`);
    return wanted;
  }

  private async callMembers(meeting: MeetingRow, inviteeIds: readonly string[]): Promise<CallMember[]> {
    const people = await listUsersByIds(this.db, [meeting.hostId, ...inviteeIds]);
    return people.map((person) => ({ id: person.id, name: person.name, isHost: person.id === meeting.hostId }));
  }

  async create(userId: string, body: CreateMeetingBody): Promise<Meeting> {
    const { orgId } = body;
    await requireOrgAccess(this.db, userId, orgId, 'org:meetings:create');
    const now = this.options.now();
    if (body.teamId) {
      const team = await findTeamWithAccess(this.db, body.teamId, userId);
      if (!team || team.orgId !== orgId) throw unprocessable('body.teamId: there is no such team in this organization');
      const seesAllTeams = team.orgRole ? permissionsFor(team.orgRole, null, team.grantedPermissions ?? []).has('org:teams:read_all') : false;
      if (!team.teamRole && !seesAllTeams) throw forbidden('You can only hold team meetings for a team you are on');
    }
    const startsAt = body.startsAt ? new Date(body.startsAt) : now;
    if (startsAt.getTime() < now.getTime() - START_IN_PAST_TOLERANCE_MS) {
      throw unprocessable('body.startsAt: the meeting cannot start in the past');
    }
    const inviteeIds = await this.checkInvitees(orgId, userId, body.inviteeIds ?? []);
    const providerName = this.options.defaultProvider;
    const row = await insertMeeting(
      this.db,
      {
        orgId,
        teamId: body.teamId ?? null,
        kind: body.startsAt ? 'scheduled' : 'instant',
        title: body.title,
        description: body.description ?? '',
        startsAt,
        durationMinutes: body.durationMinutes ?? DEFAULT_MEETING_DURATION_MINUTES,
        hostId: userId,
        inviteesOnly: body.inviteesOnly ?? false,
        // An instant meeting is on from the moment it exists; a scheduled one when someone joins.
        status: body.startsAt ? 'scheduled' : 'live',
        provider: providerName,
      },
      inviteeIds,
    );
    await this.setUpAtProvider(row, inviteeIds);
    return this.toMeeting(row, inviteeIds);
  }

  /** Creates the call at the video provider; a meeting the provider refused is deleted again. */
  private async setUpAtProvider(row: MeetingRow, inviteeIds: readonly string[]) {
    let callId: string | null;
    try {
      callId = await this.provider(row).createCall(row, await this.callMembers(row, inviteeIds));
    } catch (error) {
      await deleteMeeting(this.db, row.id);
      throw error;
    }
    if (callId) {
      await setProviderCallId(this.db, row.id, callId);
      row.providerCallId = callId;
    }
  }

  /**
   * The meeting a ringing call runs as (see modules/calls/service.ts): live at once, hosted by the
   * caller, with the people rung as invitees; only they can see or join it. The caller's right to
   * ring them is checked by the calls module.
   */
  async createCallMeeting(callerId: string, orgId: string, title: string, calleeIds: readonly string[]): Promise<MeetingRow> {
    const row = await insertMeeting(
      this.db,
      {
        orgId,
        teamId: null,
        kind: 'call',
        title,
        description: '',
        inviteesOnly: true,
        startsAt: this.options.now(),
        durationMinutes: DEFAULT_MEETING_DURATION_MINUTES,
        hostId: callerId,
        status: 'live',
        provider: this.options.defaultProvider,
      },
      calleeIds,
    );
    await this.setUpAtProvider(row, calleeIds);
    return row;
  }

  /** Undoes `createCallMeeting` for a call that lost the race to another one in the same conversation. */
  async discardCallMeeting(row: MeetingRow): Promise<void> {
    await this.provider(row).endCall(row);
    await deleteMeeting(this.db, row.id);
  }

  async personalRoom(userId: string, orgId: string): Promise<Meeting> {
    await requireOrgAccess(this.db, userId, orgId);
    const user = (await listUsersByIds(this.db, [userId]))[0];
    const row = await findOrCreatePersonalRoom(this.db, {
      orgId,
      teamId: null,
      kind: 'personal',
      title: `${user?.name ?? 'My'}'s room`,
      description: '',
      startsAt: this.options.now(),
      durationMinutes: 60,
      hostId: userId,
      inviteesOnly: false,
      status: 'scheduled',
      provider: this.options.defaultProvider,
    });
    if (!row.providerCallId) {
      const callId = await this.provider(row).createCall(row, await this.callMembers(row, []));
      if (callId) {
        await setProviderCallId(this.db, row.id, callId);
        row.providerCallId = callId;
      }
    }
    return this.toMeeting(row, []);
  }

  async list(userId: string, orgId: string, scope: MeetingScope): Promise<Meeting[]> {
    const access = await requireOrgAccess(this.db, userId, orgId);
    const rows = await listVisibleMeetings(this.db, {
      orgId,
      userId,
      seesAll: access.permissions.has('org:meetings:manage'),
      scope,
      now: this.options.now(),
    });
    return this.toMeetings(rows);
  }

  async access(userId: string, meetingId: string): Promise<MeetingAccess> {
    return requireMeetingAccess(this.db, userId, meetingId);
  }

  async get(userId: string, meetingId: string): Promise<Meeting> {
    const { meeting } = await this.access(userId, meetingId);
    return (await this.toMeetings([meeting]))[0]!;
  }

  async update(userId: string, meetingId: string, body: UpdateMeetingBody): Promise<Meeting> {
    const access = await this.access(userId, meetingId);
    requireMeetingHost(access);
    const { meeting } = access;
    if (meeting.status === 'ended' || meeting.status === 'cancelled')
      throw conflict(`This meeting has ${meeting.status === 'ended' ? 'ended' : 'been cancelled'}`);
    if (meeting.kind === 'personal' && (body.startsAt || body.durationMinutes || body.inviteeIds || body.inviteesOnly !== undefined)) {
      throw unprocessable('body: a personal room has no schedule or invitees; only its title and description change');
    }
    const startsAt = body.startsAt ? new Date(body.startsAt) : undefined;
    if (startsAt && meeting.status === 'live') throw conflict('A meeting that is on cannot be rescheduled');
    if (startsAt && startsAt.getTime() < this.options.now().getTime() - START_IN_PAST_TOLERANCE_MS) {
      throw unprocessable('body.startsAt: the meeting cannot start in the past');
    }
    const inviteeIds = body.inviteeIds ? await this.checkInvitees(meeting.orgId, meeting.hostId, body.inviteeIds) : undefined;
    const row = await updateMeeting(
      this.db,
      meetingId,
      { title: body.title, description: body.description, startsAt, durationMinutes: body.durationMinutes, inviteesOnly: body.inviteesOnly },
      inviteeIds,
    );
    if (!row) throw conflict('This meeting has already ended');
    if (startsAt) await this.provider(row).rescheduleCall(row);
    return (await this.toMeetings([row]))[0]!;
  }

  async cancel(userId: string, meetingId: string): Promise<void> {
    const access = await this.access(userId, meetingId);
    await requireMeetingCanceller(this.db, access);
    if (access.meeting.kind === 'personal') throw conflict('A personal room cannot be cancelled; end it instead');
    const wasLive = access.meeting.status === 'live';
    const row = await cancelMeeting(this.db, meetingId, this.options.now());
    if (!row) throw conflict('This meeting has already ended');
    if (wasLive) await this.provider(row).endCall(row);
    await this.roomEvents?.meetingEnded(meetingId, 'cancelled');
  }

  async end(userId: string, meetingId: string): Promise<Meeting> {
    const access = await this.access(userId, meetingId);
    requireMeetingModerator(access);
    if (access.meeting.status !== 'live')
      throw conflict(access.meeting.status === 'scheduled' ? 'This meeting has not started' : 'This meeting is already over');
    const row = await endMeeting(this.db, meetingId, this.options.now());
    if (!row) throw conflict('This meeting is already over');
    await this.provider(row).endCall(row);
    await this.roomEvents?.meetingEnded(meetingId, 'ended');
    return (await this.toMeetings([row]))[0]!;
  }

  async join(userId: string, meetingId: string): Promise<JoinMeetingResponse> {
    const { meeting, isHost } = await this.access(userId, meetingId);
    if (meeting.status === 'ended') throw conflict('This meeting has ended');
    if (meeting.status === 'cancelled') throw conflict('This meeting was cancelled');
    // Only Stream needs the name (to register the user); the mesh reads names with the room.
    const name = meeting.provider === 'stream' ? ((await listUsersByIds(this.db, [userId]))[0]?.name ?? '') : '';
    return this.admit(meeting, { id: userId, name, isHost });
  }

  /** A place in the meeting's call for someone allowed in (a member or a guest), unless the host removed them. */
  async admit(meeting: MeetingRow, person: CallMember): Promise<JoinMeetingResponse> {
    const sessionStart = sessionStartOf(meeting);
    // A removal lasts for the session it happened in; a meeting not on yet starts a fresh one.
    if (!person.isHost && sessionStart && (await wasRemovedInSession(this.db, meeting.id, person.id, sessionStart))) {
      throw forbidden('The host removed you from this meeting');
    }
    const userId = person.id;
    // Taken before the provider's join, which may record the place itself: the session starts no
    // later than its first participation, so the empty-meeting sweep counts that participation.
    const now = this.options.now();
    const response = await this.provider(meeting).join(meeting, person);
    await Promise.all([
      // The mesh claimed the place in its own transaction (the participant limit); Stream did not.
      response.provider === 'local' ? undefined : openParticipation(this.db, meeting, userId, now),
      meeting.status === 'scheduled' ? markMeetingLive(this.db, meeting.id, now) : undefined,
      // A mesh room opens the chat when its joiner enters it; a Stream call never reaches the room.
      response.provider === 'local' ? undefined : this.roomEvents?.joinedCallElsewhere(meeting, userId),
    ]);
    return response;
  }

  async recordings(userId: string, meetingId: string): Promise<MeetingRecording[]> {
    const { meeting } = await this.access(userId, meetingId);
    return this.provider(meeting).listRecordings(meeting);
  }

  async inviteIcs(userId: string, meetingId: string): Promise<string> {
    const { meeting } = await this.access(userId, meetingId);
    const [entry] = await calendarEntries(this.db, [meeting]);
    return meetingInviteIcs(entry!, this.options.publicUrl);
  }

  rotateCalendarToken(userId: string) {
    return issueCalendarToken(this.db, this.options.publicUrl, userId);
  }

  feedIcs(token: string): Promise<string | undefined> {
    return calendarFeedIcs(this.db, this.options.publicUrl, this.options.now(), token);
  }

  /** Applies a verified Stream webhook event to the meeting it names; unknown calls are ignored. */
  async applyStreamEvent(type: string, callCid: string | undefined): Promise<'applied' | 'ignored'> {
    if (!callCid) return 'ignored';
    const [, callId] = callCid.split(':', 2);
    if (!callId || !/^[0-9a-f-]{36}$/i.test(callId)) return 'ignored';
    const meeting = await findMeeting(this.db, callId);
    if (!meeting || meeting.provider !== 'stream') return 'ignored';
    const now = this.options.now();
    switch (type) {
      case 'call.session_started':
        return (await markMeetingLive(this.db, meeting.id, now)) ? 'applied' : 'ignored';
      case 'call.session_ended': {
        const row = await endMeeting(this.db, meeting.id, now);
        if (!row) return 'ignored';
        await this.roomEvents?.meetingEnded(meeting.id, 'ended');
        return 'applied';
      }
      case 'call.recording_ready':
        return (await markRecordingReady(this.db, meeting.id, now)) ? 'applied' : 'ignored';
      default:
        return 'ignored';
    }
  }
}
