import type { RtcSignal } from '@collaro/shared';

export interface LocalTracks {
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
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
  onRemoteTrack: (stream: MediaStream) => void;
  onStateChange: (state: RTCPeerConnectionState) => void;
  onError: (error: unknown) => void;
  createPeerConnection: (configuration: RTCConfiguration) => RTCPeerConnection;
}

/**
 * One participant-to-participant connection, negotiated the "perfect negotiation" way: either side
 * may offer at any time (a track change, an ICE restart) and a collision is settled by politeness,
 * so no offer is ever lost or answered twice.
 */
export class PeerLink {
  readonly pc: RTCPeerConnection;
  readonly remoteStream = new MediaStream();
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  private sendersReady: boolean;
  private audioSender: RTCRtpSender | null = null;
  private videoSender: RTCRtpSender | null = null;
  private closed = false;
  /** Signals are applied strictly in arrival order; WebRTC calls must not interleave. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: PeerLinkOptions) {
    this.pc = options.createPeerConnection(options.configuration);
    this.pc.onnegotiationneeded = () => void this.offer();
    this.pc.onicecandidate = ({ candidate }) => {
      options.sendSignal({ kind: 'candidate', candidate: candidate ? toCandidateInit(candidate) : null });
    };
    this.pc.ontrack = ({ track }) => {
      for (const old of this.remoteStream.getTracks()) if (old.kind === track.kind && old !== track) this.remoteStream.removeTrack(old);
      if (!this.remoteStream.getTracks().includes(track)) this.remoteStream.addTrack(track);
      options.onRemoteTrack(this.remoteStream);
    };
    this.pc.onconnectionstatechange = () => {
      const state = this.pc.connectionState;
      options.onStateChange(state);
      // A path that broke (network change, sleep) gets new candidates through a renegotiation.
      if (state === 'failed') this.pc.restartIce();
    };
    this.sendersReady = false;
    if (options.initiator) {
      // Both kinds are always negotiated, so a camera or screen can be switched on later by
      // replacing a track, without another offer.
      const audio = this.pc.addTransceiver(options.tracks.audio ?? 'audio', { direction: 'sendrecv', streams: [options.stream] });
      const video = this.pc.addTransceiver(options.tracks.video ?? 'video', { direction: 'sendrecv', streams: [options.stream] });
      this.audioSender = audio.sender;
      this.videoSender = video.sender;
      this.sendersReady = true;
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
      }
    }
    this.sendersReady = true;
  }

  handleSignal(signal: RtcSignal): Promise<void> {
    this.queue = this.queue.then(() => this.apply(signal)).catch((error: unknown) => this.options.onError(error));
    return this.queue;
  }

  private async apply(signal: RtcSignal) {
    if (this.closed) return;
    if (signal.kind === 'description') {
      const description = signal.description;
      const readyForOffer = !this.makingOffer && (this.pc.signalingState === 'stable' || this.settingRemoteAnswer);
      const collision = description.type === 'offer' && !readyForOffer;
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

  /** Sends another track (camera <-> screen, or none) without renegotiating. */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null) {
    this.options.tracks[kind] = track;
    const sender = kind === 'audio' ? this.audioSender : this.videoSender;
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

function toCandidateInit(candidate: RTCIceCandidate) {
  const json = candidate.toJSON();
  return {
    candidate: json.candidate ?? '',
    sdpMid: json.sdpMid ?? null,
    sdpMLineIndex: json.sdpMLineIndex ?? null,
    usernameFragment: json.usernameFragment ?? null,
  };
}
