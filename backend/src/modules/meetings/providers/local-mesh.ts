import type { IceServer, LocalJoinResponse } from '@collaro/shared';
import type { Database } from '../../../db/client.js';
import { conflict } from '../../../domain-errors.js';
import type { MeetingRow } from '../repository.js';
import { claimPlace } from '../rooms-repository.js';
import type { CallMember, VideoProvider } from '../video-provider.js';

/** How long a join over HTTP holds a place before its WebSocket has to enter the room. */
export const MESH_JOIN_GRACE_SECONDS = 60;

export function meshFullMessage(limit: number): string {
  return (
    `This meeting already has ${limit} participants, the most Collaro's built-in video can connect to each other. ` +
    'Larger meetings need Stream video: set STREAM_API_KEY and STREAM_API_SECRET on the server.'
  );
}

/**
 * Collaro's own video: every participant connects directly to every other (a full mesh), with
 * signaling over the realtime gateway. Nothing to set up at a provider, so each upload is sent
 * once per peer, which is why the mesh has a participant limit.
 */
export class LocalMeshProvider implements VideoProvider {
  readonly name = 'local' as const;

  constructor(
    private readonly db: Database,
    private readonly options: { iceServers: IceServer[]; participantLimit: number; now: () => Date },
  ) {}

  async createCall(): Promise<string | null> {
    return null;
  }

  async rescheduleCall(): Promise<void> {}

  async join(meeting: MeetingRow, user: CallMember): Promise<LocalJoinResponse> {
    const limit = this.options.participantLimit;
    const now = this.options.now();
    const graceStart = now.getTime() - MESH_JOIN_GRACE_SECONDS * 1000;
    // A place is held by whoever is in the room, or joined over HTTP moments ago and is connecting now.
    const open = await claimPlace(
      this.db,
      meeting,
      user.id,
      now,
      (held) => held.filter((p) => p.userId !== user.id && (p.connectionId !== null || p.joinedAt.getTime() > graceStart)).length < limit,
    );
    if (!open) throw conflict(meshFullMessage(limit));
    const inRoom = open.filter((p) => p.connectionId !== null);
    return {
      provider: 'local',
      meetingId: meeting.id,
      participantId: user.id,
      iceServers: this.options.iceServers,
      participantLimit: limit,
      isHost: user.isHost,
      participants: inRoom
        .filter((participant) => participant.userId !== user.id)
        .map(({ connectionId: _connectionId, joinedAt: _joinedAt, ...participant }) => participant),
    };
  }

  /** The mesh has no server-side call; the meeting service tells the room it ended. */
  async endCall(): Promise<void> {}

  async listRecordings(): Promise<never> {
    throw conflict("Recordings are only made for meetings on Stream video; this meeting uses Collaro's built-in video");
  }
}
