import type { ClientFrame, IceServer, MeetingParticipant, ServerFrameOf, ServerFrameType } from '@collaro/shared';
type MeshFrameType = 'meeting.joined' | 'meeting.participants' | 'rtc.signal' | 'meeting.mute_requested' | 'meeting.removed' | 'meeting.ended' | 'error';
type MeshClientFrame = Extract<ClientFrame, {
    type: 'meeting.join' | 'meeting.leave' | 'rtc.signal' | 'meeting.media' | 'meeting.mute' | 'meeting.remove';
}>;
/** The two things the mesh needs from the realtime connection (RealtimeClient's `send` and `on` fit). */
export interface MeshSignaling {
    send(frame: MeshClientFrame): boolean | void;
    on<T extends MeshFrameType & ServerFrameType>(type: T, listener: (frame: ServerFrameOf<T>) => void): () => void;
}
export interface RemoteParticipant extends MeetingParticipant {
    /** The participant's audio and video, once their first track arrived. */
    stream: MediaStream | null;
    connectionState: RTCPeerConnectionState | 'new';
}
export type MeshCallState = 'idle' | 'joining' | 'joined' | 'left' | 'removed' | 'ended';
export interface MeshCallEvents {
    state: MeshCallState;
    participants: MeetingParticipant[];
    'remote-stream': {
        userId: string;
        stream: MediaStream;
    };
    'participant-left': {
        userId: string;
    };
    'connection-state': {
        userId: string;
        state: RTCPeerConnectionState;
    };
    /** The host asked this user to mute; the microphone has already been muted. */
    'mute-requested': {
        byUserId: string;
    };
    removed: {
        reason: 'removed_by_host' | 'joined_elsewhere';
        byUserId?: string;
    };
    ended: {
        reason: 'ended' | 'cancelled';
    };
    error: {
        message: string;
        cause?: unknown;
    };
}
export interface MeshCallOptions {
    meetingId: string;
    /** `participantId` from the join response: this user's id in the room. */
    selfId: string;
    /** `iceServers` from the join response. */
    iceServers: IceServer[];
    signaling: MeshSignaling;
    /** Camera and microphone (either may be missing). */
    localStream: MediaStream;
    /** Injected in tests; `new RTCPeerConnection` otherwise. */
    createPeerConnection?: (configuration: RTCConfiguration) => RTCPeerConnection;
}
type Listener<K extends keyof MeshCallEvents> = (payload: MeshCallEvents[K]) => void;
/**
 * A meeting on Collaro's own WebRTC mesh: one RTCPeerConnection per other participant, signaled
 * through the gateway's `rtc.signal` frames. The newcomer offers to everyone already in the room;
 * everyone else answers, so each pair negotiates once. Camera and screen share one video sender
 * per peer, swapped with replaceTrack, so switching never renegotiates.
 */
export declare class MeshCall {
    private readonly options;
    private readonly links;
    private readonly remote;
    private readonly listeners;
    private readonly unsubscribe;
    private connectionId;
    private currentState;
    private audioMuted;
    private videoMuted;
    private screenTrack;
    private readonly cameraTrack;
    private readonly audioTrack;
    private readonly outgoing;
    constructor(options: MeshCallOptions);
    get state(): MeshCallState;
    /** Everyone else in the room, with their media. */
    get participants(): RemoteParticipant[];
    get media(): {
        audioMuted: boolean;
        videoMuted: boolean;
        screenSharing: boolean;
    };
    /** The RTCPeerConnection to one participant, for statistics. */
    peerConnection(userId: string): RTCPeerConnection | undefined;
    on<K extends keyof MeshCallEvents>(event: K, listener: Listener<K>): () => void;
    private emit;
    private setState;
    /** Frames for this meeting and this connection only; another tab's frames are not ours. */
    private mine;
    /** Enters the room: resolves once the server confirmed, with who is already there. */
    join(): Promise<MeetingParticipant[]>;
    private applyParticipants;
    private createLink;
    private onSignal;
    private dropPeer;
    private sendMedia;
    setAudioMuted(muted: boolean): void;
    setVideoMuted(muted: boolean): void;
    /**
     * Sends `track` (from getDisplayMedia) instead of the camera to everyone. The camera comes back
     * when sharing stops, here or from the browser's own "stop sharing" control.
     */
    startScreenShare(track: MediaStreamTrack): Promise<void>;
    stopScreenShare(): Promise<void>;
    /** Host (or organization admin): ask a participant to mute. */
    askToMute(userId: string): void;
    /** Host (or organization admin): remove a participant from the meeting. */
    remove(userId: string): void;
    /** Leaves the room and closes every connection; the local camera and microphone stay with the caller. */
    leave(): void;
    private teardown;
}
export {};
