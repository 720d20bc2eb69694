import type { RtcSignal } from '@collaro/shared';
import type { LocalTracks } from './peer-link.js';

type Candidate = Extract<RtcSignal, { kind: 'candidate' }>['candidate'];

/**
 * A peer connection that starts offering before it knows to whom: made while the join request is
 * on its way, so the offer (and the gathering of this side's candidates) is ready when the answer
 * names who is already in the room. The mesh hands it to the first link it opens, if the ICE
 * servers the join answered with are the ones it was made with; otherwise it is closed unused.
 */
export class PreparedOffer {
  readonly pc: RTCPeerConnection;
  readonly audioSender: RTCRtpSender;
  readonly videoSender: RTCRtpSender;
  readonly screenSender: RTCRtpSender;
  /** Settles once the offer is the local description (rejects if it could not be made). */
  readonly ready: Promise<void>;
  private readonly iceServers: string;
  private candidates: Candidate[] = [];
  private taken = false;

  constructor(options: {
    iceServers: RTCIceServer[];
    tracks: LocalTracks;
    stream: MediaStream;
    createPeerConnection?: (configuration: RTCConfiguration) => RTCPeerConnection;
  }) {
    this.iceServers = JSON.stringify(options.iceServers);
    const create = options.createPeerConnection ?? ((configuration) => new RTCPeerConnection(configuration));
    this.pc = create({ iceServers: options.iceServers });
    // The same transceivers a link that offers itself makes (see PeerLink).
    this.audioSender = this.pc.addTransceiver(options.tracks.audio ?? 'audio', { direction: 'sendrecv', streams: [options.stream] }).sender;
    this.videoSender = this.pc.addTransceiver(options.tracks.video ?? 'video', { direction: 'sendrecv', streams: [options.stream] }).sender;
    this.screenSender = this.pc.addTransceiver(options.tracks.screen ?? 'video', { direction: 'sendrecv' }).sender;
    this.pc.onicecandidate = ({ candidate }) => this.candidates.push(candidate ? toCandidateInit(candidate) : null);
    this.ready = this.pc.setLocalDescription();
    this.ready.catch(() => undefined);
  }

  /** Whether it was made for these ICE servers (the join's answer may name others). */
  suits(iceServers: RTCIceServer[]): boolean {
    return !this.taken && JSON.stringify(iceServers) === this.iceServers;
  }

  /** Hands the connection over: the candidates found so far, in order; later ones go to `onCandidate`. */
  take(onCandidate: (candidate: Candidate) => void): Candidate[] {
    this.taken = true;
    const found = this.candidates;
    this.candidates = [];
    this.pc.onicecandidate = ({ candidate }) => onCandidate(candidate ? toCandidateInit(candidate) : null);
    return found;
  }

  /** Closes it unless a link took it. */
  discard(): void {
    if (this.taken) return;
    this.taken = true;
    this.pc.onicecandidate = null;
    this.pc.close();
  }
}

export function toCandidateInit(candidate: RTCIceCandidate): NonNullable<Candidate> {
  const json = candidate.toJSON();
  return {
    candidate: json.candidate ?? '',
    sdpMid: json.sdpMid ?? null,
    sdpMLineIndex: json.sdpMLineIndex ?? null,
    usernameFragment: json.usernameFragment ?? null,
  };
}
