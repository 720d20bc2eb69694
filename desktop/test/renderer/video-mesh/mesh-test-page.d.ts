export interface MeshPageJoin {
    meetingId: string;
    accessToken: string;
}
declare const api: {
    /** Camera and microphone from Chromium's fake devices, taken before the clock starts. */
    prepareMedia(): Promise<void>;
    /** Opens and authenticates the realtime connection the app keeps open anyway. */
    connect(accessToken: string): Promise<void>;
    /** The join request (HTTP), then the room (gateway): what the app does when the user clicks Join. */
    join({ meetingId, accessToken }: MeshPageJoin): Promise<{
        participants: string[];
    }>;
    /** Milliseconds from the join request to the first shown frame of any other participant. */
    joinToFirstFrameMs(): number | null;
    /** Video frames this page decoded from each other participant, from WebRTC's own statistics. */
    framesDecoded(): Promise<Record<string, number>>;
    /** Replaces the camera with a fake screen, as the UI's "Share screen" does. */
    shareScreen(): Promise<{
        audioMuted: boolean;
        videoMuted: boolean;
        screenSharing: boolean;
    } | undefined>;
    /** The resolution of the video this page receives from `userId` (the fake camera and screen differ). */
    remoteVideoSize(userId: string): {
        width: any;
        height: any;
    } | null;
    events: () => string[];
    leave(): void;
};
export type MeshPageApi = typeof api;
declare global {
    interface Window {
        collaroMesh: MeshPageApi;
    }
}
export {};
