/**
 * A test page for the mesh client in real Chromium: two participants of one meeting, each a
 * MeshCall with its own fake camera, joined through a stand-in for the gateway that this page
 * controls, so the order in which the room's frames reach each of them is the test's choice. It
 * reports what a user would see: whether each one's picture of the other moves.
 */
import type { MeetingParticipant, RtcSignal, ServerFrame, ServerFrameOf } from '@collaro/shared';
import { MeshCall, PreparedOffer, type MeshSignaling } from '../../../src/renderer/src/features/meetings/mesh/client/index.js';

import { ALICE, BOB, type Who } from './two-joiners-ids.js';

const MEETING = 'cccccccc-0000-4000-8000-000000000003';

/**
 * How the room answers two `meeting.join` frames that left at the same moment:
 * - `in-turn`: Alice is let in alone, then Bob, whose `meeting.joined` lists her (the usual case);
 * - `both-see-both`: each one's `meeting.joined` lists the other, so both offer and the offers cross;
 * - `offer-before-joined`: `first` is let in and offers at once, and its offer (and candidates)
 *   reach the other before the other's own `meeting.joined`, which lists `first` too.
 */
export type Arrival = { kind: 'in-turn' } | { kind: 'both-see-both' } | { kind: 'offer-before-joined'; first: Who };

export interface TwoJoinersOptions {
  arrival: Arrival;
  /** Whether each one made its offer ahead of the join (as the app does), or offers once in the room. */
  prepared: boolean;
}

type Listener = (frame: never) => void;

/** The gateway's side of one participant's connection. */
class Connection implements MeshSignaling {
  readonly connectionId = crypto.randomUUID();
  private readonly listeners = new Map<string, Set<Listener>>();
  joinSent = false;
  joined = false;
  constructor(
    readonly userId: Who,
    private readonly onSend: (from: Connection, frame: Parameters<MeshSignaling['send']>[0]) => void,
  ) {}

  send(frame: Parameters<MeshSignaling['send']>[0]) {
    this.onSend(this, frame);
    return true;
  }

  on: MeshSignaling['on'] = (type, listener) => {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  };

  /** Delivers a frame as the socket would: in a task of its own, in order. */
  deliver(frame: ServerFrame) {
    setTimeout(() => {
      for (const listener of this.listeners.get(frame.type) ?? []) (listener as (frame: unknown) => void)(frame);
    }, 0);
  }
}

function participant(userId: Who): MeetingParticipant {
  return { userId, name: userId === ALICE ? 'Alice' : 'Bob', isHost: userId === ALICE, audioMuted: false, videoMuted: false, screenSharing: false };
}

/** Frames the page's <video> of `userId`'s camera showed since it started. */
function watch(userId: Who, stream: MediaStream) {
  let video = document.getElementById(`camera-of-${userId}`) as HTMLVideoElement | null;
  if (!video) {
    video = document.createElement('video');
    video.id = `camera-of-${userId}`;
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    document.body.append(video);
  }
  if (video.srcObject !== stream) video.srcObject = stream;
  void video.play().catch(() => {});
}

const calls: MeshCall[] = [];
const streams: MediaStream[] = [];
const events: string[] = [];

const api = {
  async start({ arrival, prepared }: TwoJoinersOptions) {
    const joinedFrame = (connection: Connection, alone = false): ServerFrameOf<'meeting.joined'> => ({
      type: 'meeting.joined',
      meetingId: MEETING,
      connectionId: connection.connectionId,
      participants: alone ? [participant(connection.userId)] : [participant(ALICE), participant(BOB)],
    });
    const relay = (from: Connection, to: Connection, signal: RtcSignal) => {
      events.push(`${from.userId === ALICE ? 'Alice' : 'Bob'} -> ${signal.kind === 'description' ? signal.description.type : 'candidate'}`);
      to.deliver({ type: 'rtc.signal', meetingId: MEETING, from: from.userId, connectionId: to.connectionId, signal });
    };
    const onSend = (from: Connection, frame: Parameters<MeshSignaling['send']>[0]) => {
      const other = from === alice ? bob : alice;
      if (frame.type === 'meeting.join') {
        from.joinSent = true;
        if (!alice.joinSent || !bob.joinSent) return;
        if (arrival.kind === 'in-turn') {
          alice.deliver(joinedFrame(alice, true));
          bob.deliver(joinedFrame(bob));
        } else if (arrival.kind === 'both-see-both') {
          for (const connection of [alice, bob]) connection.deliver(joinedFrame(connection));
        } else {
          const first = arrival.first === ALICE ? alice : bob;
          first.deliver(joinedFrame(first));
        }
      } else if (frame.type === 'rtc.signal') {
        relay(from, other, frame.signal);
        // The room lets the second one in only once the first one's offer is on its way to it.
        if (arrival.kind === 'offer-before-joined' && from.userId === arrival.first && !other.joined) {
          other.joined = true;
          setTimeout(() => other.deliver(joinedFrame(other)), 300);
        }
      }
    };
    const alice: Connection = new Connection(ALICE, onSend);
    const bob: Connection = new Connection(BOB, onSend);
    const joins = [alice, bob].map(async (connection) => {
      const localStream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: true });
      streams.push(localStream);
      const ahead = prepared
        ? new PreparedOffer({
            iceServers: [],
            tracks: { audio: localStream.getAudioTracks()[0] ?? null, video: localStream.getVideoTracks()[0] ?? null, screen: null },
            stream: localStream,
          })
        : undefined;
      const call = new MeshCall({
        meetingId: MEETING,
        selfId: connection.userId,
        iceServers: [],
        // Nobody was in the room when each one's join request was answered.
        participants: [],
        signaling: connection,
        localStream,
        ...(ahead ? { prepared: ahead } : {}),
      });
      calls.push(call);
      call.on('remote-stream', ({ userId, stream }) => watch(userId as Who, stream));
      call.on('error', ({ message }) => events.push(`${connection.userId === ALICE ? 'Alice' : 'Bob'} error: ${message}`));
      return call;
    });
    for (const call of await Promise.all(joins)) void call.join();
  },

  /** Frames each one's <video> of the other shows in a second (0 when there is no such video). */
  async framesShown(): Promise<{ atAlice: number; atBob: number }> {
    const count = (userId: Who) => (document.getElementById(`camera-of-${userId}`) as HTMLVideoElement | null)?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
    const before = { atAlice: count(BOB), atBob: count(ALICE) };
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return { atAlice: count(BOB) - before.atAlice, atBob: count(ALICE) - before.atBob };
  },

  /** What each peer connection looks like, for a failure message. */
  describe() {
    return {
      events,
      links: calls.map((call) =>
        call.participants.map((remote) => {
          const pc = call.peerConnection(remote.userId);
          return `${remote.userId.slice(0, 4)}: ${pc?.signalingState}/${pc?.connectionState}, ${pc?.getTransceivers().length} transceivers`;
        }),
      ),
    };
  },

  stop() {
    for (const call of calls.splice(0)) call.leave();
    for (const stream of streams.splice(0)) for (const track of stream.getTracks()) track.stop();
  },
};

export type TwoJoinersPageApi = typeof api;

declare global {
  interface Window {
    collaroTwoJoiners: TwoJoinersPageApi;
  }
}

window.collaroTwoJoiners = api;
