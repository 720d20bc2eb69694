import type { ClientFrame, IceServer, MeetingParticipant, RtcSignal, ServerFrameOf, ServerFrameType } from '@collaro/shared';
import { PeerLink } from './peer-link.js';
import type { PreparedOffer } from './prepared-offer.js';

type MeshFrameType =
  'ready' | 'meeting.joined' | 'meeting.participants' | 'rtc.signal' | 'meeting.mute_requested' | 'meeting.removed' | 'meeting.ended' | 'error';
type MeshClientFrame = Extract<ClientFrame, { type: 'meeting.join' | 'meeting.leave' | 'rtc.signal' | 'meeting.media' | 'meeting.mute' | 'meeting.remove' }>;

/** The two things the mesh needs from the realtime connection (RealtimeClient's `send` and `on` fit). */
export interface MeshSignaling {
  send(frame: MeshClientFrame): boolean | void;
  on<T extends MeshFrameType & ServerFrameType>(type: T, listener: (frame: ServerFrameOf<T>) => void): () => void;
}

export interface RemoteParticipant extends MeetingParticipant {
  /** The participant's voice and camera, once their first track arrived. */
  stream: MediaStream | null;
  /** The screen they share (its track only plays while `screenSharing` says so). */
  screenStream: MediaStream | null;
  connectionState: RTCPeerConnectionState | 'new';
}

export type MeshCallState = 'idle' | 'joining' | 'joined' | 'left' | 'removed' | 'ended' | 'disconnected';

export interface MeshCallEvents {
  state: MeshCallState;
  participants: MeetingParticipant[];
  'remote-stream': { userId: string; stream: MediaStream; screen: MediaStream };
  'participant-left': { userId: string };
  'connection-state': { userId: string; state: RTCPeerConnectionState };
  /** The host asked this user to mute; the microphone has already been muted. */
  'mute-requested': { byUserId: string };
  removed: { reason: ServerFrameOf<'meeting.removed'>['reason']; byUserId?: string };
  ended: { reason: 'ended' | 'cancelled' };
  /**
   * The realtime connection dropped and came back as a new connection: the server let go of this
   * room place with the old one, so the call is over here and the UI should offer to join again.
   */
  disconnected: Record<string, never>;
  error: { message: string; cause?: unknown };
}

export interface MeshCallOptions {
  meetingId: string;
  /** `participantId` from the join response: this user's id in the room. */
  selfId: string;
  /** `iceServers` from the join response. */
  iceServers: IceServer[];
  /**
   * `participants` from the join response: offers to them start at once, alongside the
   * `meeting.join` frame, instead of a round trip later.
   */
  participants?: MeetingParticipant[];
  signaling: MeshSignaling;
  /** Camera and microphone (either may be missing). */
  localStream: MediaStream;
  /** Injected in tests; `new RTCPeerConnection` otherwise. */
  createPeerConnection?: (configuration: RTCConfiguration) => RTCPeerConnection;
  /**
   * An offer made while the join request was on its way (see PreparedOffer): the first participant
   * already in the room gets it instead of waiting for a new one. Closed if unused.
   */
  prepared?: PreparedOffer;
}

type Listener<K extends keyof MeshCallEvents> = (payload: MeshCallEvents[K]) => void;

/**
 * A meeting on Collaro's own WebRTC mesh: one RTCPeerConnection per other participant, signaled
 * through the gateway's `rtc.signal` frames. The newcomer offers to everyone already in the room;
 * everyone else answers, so each pair negotiates once; two let in at the same moment may both
 * offer, and then the polite one of the pair answers the other's offer instead. Camera and screen
 * have a video sender each per peer, so others see the presenter beside the screen, and starting
 * or stopping a share replaces a track without renegotiating.
 */
export class MeshCall {
  private readonly links = new Map<string, PeerLink>();
  private readonly remote = new Map<string, RemoteParticipant>();
  private readonly listeners = new Map<keyof MeshCallEvents, Set<Listener<keyof MeshCallEvents>>>();
  private readonly unsubscribe: (() => void)[] = [];
  private connectionId: string | null = null;
  /**
   * Signals that came while joining: someone let into the room at the same moment may offer
   * before our `meeting.joined` arrives. Kept until then, and answered instead of offered to.
   */
  private early: ServerFrameOf<'rtc.signal'>[] = [];
  private prepared: PreparedOffer | null;
  private currentState: MeshCallState = 'idle';
  private audioMuted = false;
  private videoMuted = false;
  /** What the room last said of this user's media: a change it already knows is not sent again. */
  private roomMedia = { audioMuted: false, videoMuted: false, screenSharing: false };
  private screenTrack: MediaStreamTrack | null = null;
  private readonly cameraTrack: MediaStreamTrack | null;
  private readonly audioTrack: MediaStreamTrack | null;
  private readonly outgoing: MediaStream;

  constructor(private readonly options: MeshCallOptions) {
    this.cameraTrack = options.localStream.getVideoTracks()[0] ?? null;
    this.audioTrack = options.localStream.getAudioTracks()[0] ?? null;
    this.outgoing = new MediaStream(options.localStream.getTracks());
    this.prepared = options.prepared ?? null;
  }

  get state() {
    return this.currentState;
  }

  /** Everyone else in the room, with their media. */
  get participants(): RemoteParticipant[] {
    return [...this.remote.values()];
  }

  get media() {
    return { audioMuted: this.audioMuted, videoMuted: this.videoMuted, screenSharing: this.screenTrack !== null };
  }

  /** The RTCPeerConnection to one participant, for statistics. */
  peerConnection(userId: string): RTCPeerConnection | undefined {
    return this.links.get(userId)?.pc;
  }

  on<K extends keyof MeshCallEvents>(event: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<keyof MeshCallEvents>);
    return () => set.delete(listener as Listener<keyof MeshCallEvents>);
  }

  private emit<K extends keyof MeshCallEvents>(event: K, payload: MeshCallEvents[K]) {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as Listener<K>)(payload);
      } catch (error) {
        console.error('mesh call listener failed', error);
      }
    }
  }

  private setState(state: MeshCallState) {
    if (this.currentState === state) return;
    this.currentState = state;
    this.emit('state', state);
  }

  /** Frames for this meeting and this connection only; another tab's frames are not ours. */
  private mine(frame: { meetingId: string; connectionId?: string }) {
    if (frame.meetingId !== this.options.meetingId) return false;
    return frame.connectionId === undefined || frame.connectionId === this.connectionId;
  }

  /** Enters the room: resolves once the server confirmed, with who is already there. */
  join(): Promise<MeetingParticipant[]> {
    if (this.currentState !== 'idle') return Promise.reject(new Error(`cannot join from state ${this.currentState}`));
    this.setState('joining');
    const { signaling, meetingId } = this.options;
    return new Promise((resolve, reject) => {
      this.unsubscribe.push(
        signaling.on('meeting.joined', (frame) => {
          if (frame.meetingId !== meetingId || this.currentState !== 'joining') return;
          this.connectionId = frame.connectionId;
          this.setState('joined');
          for (const early of this.early.splice(0)) if (this.mine(early)) this.onSignal(early.from, early.signal);
          this.applyParticipants(frame.participants, true);
          this.discardPrepared();
          resolve(frame.participants);
        }),
        signaling.on('error', (frame) => {
          if (this.currentState === 'joining' && frame.ref?.type === 'meeting.join') {
            this.teardown('left');
            reject(new Error(frame.message));
          } else if (frame.ref?.type?.startsWith('meeting.') || frame.ref?.type === 'rtc.signal') {
            this.emit('error', { message: frame.message });
          }
        }),
        signaling.on('meeting.participants', (frame) => {
          if (this.mine(frame) && this.currentState === 'joined') this.applyParticipants(frame.participants, false);
        }),
        signaling.on('rtc.signal', (frame) => {
          if (frame.meetingId !== meetingId) return;
          if (this.currentState === 'joining') this.early.push(frame);
          else if (this.mine(frame) && this.currentState === 'joined') this.onSignal(frame.from, frame.signal);
        }),
        signaling.on('meeting.mute_requested', (frame) => {
          if (!this.mine(frame) || this.currentState !== 'joined') return;
          this.setAudioMuted(true);
          this.emit('mute-requested', { byUserId: frame.byUserId });
        }),
        signaling.on('meeting.removed', (frame) => {
          if (!this.mine(frame) || this.currentState !== 'joined') return;
          this.teardown('removed');
          this.emit('removed', { reason: frame.reason, ...(frame.byUserId ? { byUserId: frame.byUserId } : {}) });
        }),
        signaling.on('ready', (frame) => {
          if (frame.reauthenticated || (this.currentState !== 'joined' && this.currentState !== 'joining')) return;
          const wasJoining = this.currentState === 'joining';
          this.teardown('disconnected');
          this.emit('disconnected', {});
          if (wasJoining) reject(new Error('The realtime connection dropped while joining'));
        }),
        signaling.on('meeting.ended', (frame) => {
          if (frame.meetingId !== meetingId || (this.currentState !== 'joined' && this.currentState !== 'joining')) return;
          this.teardown('ended');
          this.emit('ended', { reason: frame.reason });
        }),
      );
      const sent = signaling.send({ type: 'meeting.join', meetingId });
      if (sent === false) {
        this.teardown('left');
        reject(new Error('The realtime connection is not open'));
        return;
      }
      // The gateway handles this connection's frames in order, so offers sent now reach the
      // others only after the room has let us in.
      if (this.options.participants) this.applyParticipants(this.options.participants, true);
    });
  }

  private applyParticipants(list: MeetingParticipant[], joining: boolean) {
    const self = list.find((participant) => participant.userId === this.options.selfId);
    if (self) this.roomMedia = { audioMuted: self.audioMuted, videoMuted: self.videoMuted, screenSharing: self.screenSharing };
    const present = new Set(list.map((p) => p.userId));
    for (const userId of [...this.remote.keys()]) {
      if (!present.has(userId)) this.dropPeer(userId);
    }
    for (const participant of list) {
      if (participant.userId === this.options.selfId) continue;
      const known = this.remote.get(participant.userId);
      this.remote.set(participant.userId, {
        ...participant,
        stream: known?.stream ?? null,
        screenStream: known?.screenStream ?? null,
        connectionState: known?.connectionState ?? 'new',
      });
      // The newcomer offers to everyone already there; the others wait for its offer.
      if (joining && !this.links.has(participant.userId)) this.createLink(participant.userId, true);
    }
    this.emit('participants', list);
  }

  private discardPrepared() {
    this.prepared?.discard();
    this.prepared = null;
  }

  /** Of each pair exactly one side is polite: it yields when both offer at once. */
  private polite(remoteId: string): boolean {
    return this.options.selfId > remoteId;
  }

  private createLink(remoteId: string, initiator: boolean): PeerLink {
    const iceServers = this.options.iceServers as RTCIceServer[];
    const prepared = initiator && this.prepared?.suits(iceServers) ? this.prepared : undefined;
    if (prepared) this.prepared = null;
    const link = new PeerLink({
      ...(prepared ? { prepared } : {}),
      remoteId,
      polite: this.polite(remoteId),
      initiator,
      configuration: { iceServers },
      tracks: { audio: this.audioTrack, video: this.cameraTrack, screen: this.screenTrack },
      stream: this.outgoing,
      createPeerConnection: this.options.createPeerConnection ?? ((configuration) => new RTCPeerConnection(configuration)),
      sendSignal: (signal) => this.options.signaling.send({ type: 'rtc.signal', meetingId: this.options.meetingId, to: remoteId, signal }),
      onRemoteTrack: ({ stream, screen }) => {
        const participant = this.remote.get(remoteId);
        if (participant) {
          participant.stream = stream;
          participant.screenStream = screen;
        }
        this.emit('remote-stream', { userId: remoteId, stream, screen });
      },
      onStateChange: (state) => {
        const participant = this.remote.get(remoteId);
        if (participant) participant.connectionState = state;
        this.emit('connection-state', { userId: remoteId, state });
      },
      onError: (cause) => this.emit('error', { message: `Connection to a participant failed: ${String(cause)}`, cause }),
    });
    this.links.set(remoteId, link);
    return link;
  }

  private onSignal(from: string, signal: RtcSignal) {
    if (from === this.options.selfId) return;
    let link = this.links.get(from);
    if (link?.crossesFirstOffer(signal) && this.polite(from)) {
      // We both offered first (let into the room at the same moment): the polite side answers theirs on a new connection.
      link.close();
      this.links.delete(from);
      link = undefined;
    }
    if (!link) {
      // Only an offer opens a connection; stray candidates from a closed one are dropped.
      if (signal.kind !== 'description' || signal.description.type !== 'offer') return;
      link = this.createLink(from, false);
    }
    void link.handleSignal(signal);
  }

  private dropPeer(userId: string) {
    this.links.get(userId)?.close();
    this.links.delete(userId);
    if (this.remote.delete(userId)) this.emit('participant-left', { userId });
  }

  private sendMedia() {
    if (this.currentState !== 'joined') return;
    const media = this.media;
    const known = this.roomMedia;
    // Each frame costs the server a write and everyone a new roster; the joiner's candidates queue behind it.
    if (media.audioMuted === known.audioMuted && media.videoMuted === known.videoMuted && media.screenSharing === known.screenSharing) return;
    this.roomMedia = media;
    this.options.signaling.send({ type: 'meeting.media', meetingId: this.options.meetingId, ...media });
  }

  /** Microphone and camera together, told to the room in one frame (none if it already knows). */
  setMedia({ audioMuted, videoMuted }: { audioMuted: boolean; videoMuted: boolean }) {
    this.audioMuted = audioMuted;
    this.videoMuted = videoMuted;
    if (this.audioTrack) this.audioTrack.enabled = !audioMuted;
    if (this.cameraTrack) this.cameraTrack.enabled = !videoMuted;
    this.sendMedia();
  }

  setAudioMuted(muted: boolean) {
    this.audioMuted = muted;
    if (this.audioTrack) this.audioTrack.enabled = !muted;
    this.sendMedia();
  }

  setVideoMuted(muted: boolean) {
    this.videoMuted = muted;
    if (this.cameraTrack) this.cameraTrack.enabled = !muted;
    this.sendMedia();
  }

  /**
   * Sends `track` (from getDisplayMedia) to everyone beside the camera, until sharing stops here
   * or from the browser's own "stop sharing" control.
   */
  async startScreenShare(track: MediaStreamTrack) {
    if (this.screenTrack) this.screenTrack.onended = null;
    this.screenTrack = track;
    track.onended = () => void this.stopScreenShare();
    await Promise.all([...this.links.values()].map((link) => link.replaceTrack('screen', track)));
    this.sendMedia();
  }

  async stopScreenShare() {
    const track = this.screenTrack;
    if (!track) return;
    track.onended = null;
    this.screenTrack = null;
    track.stop();
    await Promise.all([...this.links.values()].map((link) => link.replaceTrack('screen', null)));
    this.sendMedia();
  }

  /** Host (or organization admin): ask a participant to mute. */
  askToMute(userId: string) {
    this.options.signaling.send({ type: 'meeting.mute', meetingId: this.options.meetingId, userId });
  }

  /** Host (or organization admin): remove a participant from the meeting. */
  remove(userId: string) {
    this.options.signaling.send({ type: 'meeting.remove', meetingId: this.options.meetingId, userId });
  }

  /** Leaves the room and closes every connection; the local camera and microphone stay with the caller. */
  leave() {
    if (this.currentState === 'joined' || this.currentState === 'joining') {
      this.options.signaling.send({ type: 'meeting.leave', meetingId: this.options.meetingId });
    }
    this.teardown('left');
  }

  private teardown(state: MeshCallState) {
    for (const off of this.unsubscribe.splice(0)) off();
    this.early = [];
    this.discardPrepared();
    for (const link of this.links.values()) link.close();
    this.links.clear();
    this.remote.clear();
    if (this.screenTrack) {
      this.screenTrack.onended = null;
      this.screenTrack.stop();
      this.screenTrack = null;
    }
    this.setState(state);
  }
}
