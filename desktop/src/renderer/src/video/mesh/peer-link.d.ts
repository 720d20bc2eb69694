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
export declare class PeerLink {
    private readonly options;
    readonly pc: RTCPeerConnection;
    readonly remoteStream: any;
    private makingOffer;
    private ignoreOffer;
    private settingRemoteAnswer;
    private sendersReady;
    private audioSender;
    private videoSender;
    private closed;
    /** Signals are applied strictly in arrival order; WebRTC calls must not interleave. */
    private queue;
    constructor(options: PeerLinkOptions);
    private offer;
    /** Takes over the transceivers the remote offer created, sending our tracks on them. */
    private attachToOfferedTransceivers;
    handleSignal(signal: RtcSignal): Promise<void>;
    private apply;
    /** Sends another track (camera <-> screen, or none) without renegotiating. */
    replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void>;
    close(): void;
}
