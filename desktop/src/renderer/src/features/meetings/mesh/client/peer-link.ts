import type { RtcSignal } from '@collaro/shared';
import { toCandidateInit, type PreparedOffer } from './prepared-offer.js';

export interface LocalTracks {
  audio: MediaStreamTrack | null;
  /** The camera. */
  video: MediaStreamTrack | null;
  /** A shared screen, sent beside the camera so others keep seeing the presenter. */
  screen: MediaStreamTrack | null;
}

/** What one participant sends: voice and camera on one stream, the shared screen on another. */
export interface RemoteMedia {
  stream: MediaStream;
  screen: MediaStream;
}

export interface PeerLinkOptions {
  remoteId: string;
  /** In a collision the polite side yields: exactly one of each pair is polite. */
  polite: boolean;
  /** The side that makes the first offer (the newcomer); the other answers with its tracks. */
  initiator: boolean;
  configuration: RTCConfiguration;
  tracks: LocalTracks;
  stream: MediaStream;
  sendSignal: (signal: RtcSignal) => void;
  onRemoteTrack: (media: RemoteMedia) => void;
  onStateChange: (state: RTCPeerConnectionState) => void;
  onError: (error: unknown) => void;
  createPeerConnection: (configuration: RTCConfiguration) => RTCPeerConnection;
  /** An initiator's connection whose offer was made ahead (see PreparedOffer), used instead of a new one. */
  prepared?: PreparedOffer;
}

/**
 * One participant-to-participant connection, negotiated the "perfect negotiation" way: either side
 * may offer at any time (a track change, an ICE restart) and a collision is settled by politeness,
 * so no offer is ever lost or answered twice.
 */
export class PeerLink {
  readonly pc: RTCPeerConnection;
  readonly remoteStream = new MediaStream();
  readonly remoteScreen = new MediaStream();
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  /** Whether any description came from the other side yet (set as signals arrive, before they are applied). */
  private heardDescription = false;
  private sendersReady: boolean;
  private audioSender: RTCRtpSender | null = null;
  private videoSender: RTCRtpSender | null = null;
  private screenSender: RTCRtpSender | null = null;
  private closed = false;
  /** Signals are applied strictly in arrival order; WebRTC calls must not interleave. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: PeerLinkOptions) {
    const prepared = options.initiator ? options.prepared : undefined;
    this.pc = prepared?.pc ?? options.createPeerConnection(options.configuration);
    this.pc.onnegotiationneeded = () => void this.offer();
    if (!prepared) {
      this.pc.onicecandidate = ({ candidate }) => {
        options.sendSignal({ kind: 'candidate', candidate: candidate ? toCandidateInit(candidate) : null });
      };
    }
    this.pc.ontrack = ({ track, transceiver }) => {
      // The second video transceiver carries the screen, on either side (m-lines keep their order).
      const videos = this.pc.getTransceivers().filter((each) => each.receiver.track.kind === 'video');
      const target = track.kind === 'video' && videos.indexOf(transceiver) === 1 ? this.remoteScreen : this.remoteStream;
      for (const old of target.getTracks()) if (old.kind === track.kind && old !== track) target.removeTrack(old);
      if (!target.getTracks().includes(track)) target.addTrack(track);
      options.onRemoteTrack({ stream: this.remoteStream, screen: this.remoteScreen });
    };
    this.pc.onconnectionstatechange = () => {
      const state = this.pc.connectionState;
      options.onStateChange(state);
      // A path that broke (network change, sleep) gets new candidates through a renegotiation.
      if (state === 'failed') this.pc.restartIce();
    };
    this.sendersReady = false;
    if (prepared) {
      this.audioSender = prepared.audioSender;
      this.videoSender = prepared.videoSender;
      this.screenSender = prepared.screenSender;
      this.sendersReady = true;
      void this.sendPreparedOffer(prepared);
    } else if (options.initiator) {
      // Voice, camera and screen are always negotiated, so a camera or screen can be switched on
      // later by replacing a track, without another offer.
      const audio = this.pc.addTransceiver(options.tracks.audio ?? 'audio', { direction: 'sendrecv', streams: [options.stream] });
      const video = this.pc.addTransceiver(options.tracks.video ?? 'video', { direction: 'sendrecv', streams: [options.stream] });
      const screen = this.pc.addTransceiver(options.tracks.screen ?? 'video', { direction: 'sendrecv' });
      this.audioSender = audio.sender;
      this.videoSender = video.sender;
      this.screenSender = screen.sender;
      this.sendersReady = true;
    }
  }

  /** The offer made ahead goes out first, then the candidates found meanwhile, then the rest as they come. */
  private async sendPreparedOffer(prepared: PreparedOffer) {
    this.makingOffer = true;
    const early: RtcSignal[] = [];
    let sending = false;
    const found = prepared.take((candidate) => {
      const signal: RtcSignal = { kind: 'candidate', candidate };
      if (sending) this.options.sendSignal(signal);
      else early.push(signal);
    });
    try {
      await prepared.ready;
      if (this.closed) return;
      if (this.pc.localDescription) this.options.sendSignal({ kind: 'description', description: toDescriptionInit(this.pc.localDescription) });
      for (const candidate of found) this.options.sendSignal({ kind: 'candidate', candidate });
      for (const signal of early) this.options.sendSignal(signal);
      sending = true;
    } catch (error) {
      this.options.onError(error);
    } finally {
      this.makingOffer = false;
    }
  }

  private async offer() {
    if (this.closed) return;
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      if (this.pc.localDescription) this.options.sendSignal({ kind: 'description', description: toDescriptionInit(this.pc.localDescription) });
    } catch (error) {
      this.options.onError(error);
    } finally {
      this.makingOffer = false;
    }
  }

  /** Takes over the transceivers the remote offer created, sending our tracks on them. */
  private async attachToOfferedTransceivers() {
    if (this.sendersReady) return;
    for (const transceiver of this.pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind;
      if (kind === 'audio' && !this.audioSender) {
        transceiver.direction = 'sendrecv';
        await transceiver.sender.replaceTrack(this.options.tracks.audio);
        transceiver.sender.setStreams?.(this.options.stream);
        this.audioSender = transceiver.sender;
      } else if (kind === 'video' && !this.videoSender) {
        transceiver.direction = 'sendrecv';
        await transceiver.sender.replaceTrack(this.options.tracks.video);
        transceiver.sender.setStreams?.(this.options.stream);
        this.videoSender = transceiver.sender;
      } else if (kind === 'video' && !this.screenSender) {
        transceiver.direction = 'sendrecv';
        await transceiver.sender.replaceTrack(this.options.tracks.screen);
        this.screenSender = transceiver.sender;
      }
    }
    this.sendersReady = true;
  }

  /**
   * Whether `signal` is the other side's first offer crossing this side's own first one: both
   * offered first, as two people let into the room at the same moment do. The impolite side
   * ignores it; the polite side cannot answer it on this connection (a remote offer never takes
   * over transceivers added with addTransceiver, so the answer would carry none of its media and
   * the other side's tracks would land on the wrong transceivers), so it answers on a new one.
   */
  crossesFirstOffer(signal: RtcSignal): boolean {
    return this.options.initiator && !this.heardDescription && signal.kind === 'description' && signal.description.type === 'offer';
  }

  handleSignal(signal: RtcSignal): Promise<void> {
    const crossed = this.crossesFirstOffer(signal);
    if (signal.kind === 'description') this.heardDescription = true;
    this.queue = this.queue.then(() => this.apply(signal, crossed)).catch((error: unknown) => this.options.onError(error));
    return this.queue;
  }

  private async apply(signal: RtcSignal, crossed: boolean) {
    if (this.closed) return;
    if (signal.kind === 'description') {
      const description = signal.description;
      const readyForOffer = !this.makingOffer && (this.pc.signalingState === 'stable' || this.settingRemoteAnswer);
      // A crossing first offer collides even before this side's own offer is made.
      const collision = description.type === 'offer' && (crossed || !readyForOffer);
      this.ignoreOffer = !this.options.polite && collision;
      if (this.ignoreOffer) return;
      this.settingRemoteAnswer = description.type === 'answer';
      await this.pc.setRemoteDescription(description);
      this.settingRemoteAnswer = false;
      if (description.type === 'offer') {
        await this.attachToOfferedTransceivers();
        await this.pc.setLocalDescription();
        if (this.pc.localDescription) this.options.sendSignal({ kind: 'description', description: toDescriptionInit(this.pc.localDescription) });
      }
      return;
    }
    try {
      await this.pc.addIceCandidate(signal.candidate ?? undefined);
    } catch (error) {
      // Candidates for an offer we chose to ignore are expected to fail.
      if (!this.ignoreOffer) throw error;
    }
  }

  /** Sends another track (a screen, or none) without renegotiating. */
  async replaceTrack(kind: keyof LocalTracks, track: MediaStreamTrack | null) {
    this.options.tracks[kind] = track;
    const sender = kind === 'audio' ? this.audioSender : kind === 'video' ? this.videoSender : this.screenSender;
    if (sender) await sender.replaceTrack(track);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }
}

function toDescriptionInit(description: RTCSessionDescription): { type: RTCSdpType; sdp: string } {
  return { type: description.type, sdp: description.sdp };
}
