/**
 * A test page for the mesh client in real Chromium: bundled by backend/test/meetings and
 * bench/join-time, it joins a meeting through the real HTTP API and the real gateway, and reports
 * what a user would see: the other participant's decoded video frames.
 */
import { browserSocket, JoinMeetingResponseSchema, RealtimeClient } from '@collaro/shared';
import { MeshCall } from '../../../src/renderer/src/video/mesh/index.js';

export interface MeshPageJoin {
  meetingId: string;
  accessToken: string;
}

interface FirstFrame {
  userId: string;
  at: number;
}

const state: {
  client: RealtimeClient | null;
  call: MeshCall | null;
  localStream: MediaStream | null;
  firstFrames: FirstFrame[];
  joinStartedAt: number | null;
  events: string[];
} = { client: null, call: null, localStream: null, firstFrames: [], joinStartedAt: null, events: [] };

function wsUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/** Notes a step of the join with its time since the join request, for diagnosing slow joins. */
function mark(what: string) {
  const since = state.joinStartedAt === null ? 0 : performance.now() - state.joinStartedAt;
  state.events.push(`${since.toFixed(0)} ms ${what}`);
}

/** Watches a remote stream in a <video> and records when its first frame is shown. */
function watchRemote(userId: string, stream: MediaStream) {
  const id = `remote-${userId}`;
  let video = document.getElementById(id) as HTMLVideoElement | null;
  if (!video) {
    video = document.createElement('video');
    video.id = id;
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    document.body.append(video);
    const element = video;
    element.requestVideoFrameCallback(() => {
      if (!state.firstFrames.some((frame) => frame.userId === userId)) {
        state.firstFrames.push({ userId, at: performance.now() });
        mark('first remote frame');
      }
    });
  }
  if (video.srcObject !== stream) video.srcObject = stream;
  void video.play().catch(() => {});
}

const api = {
  /** Camera and microphone from Chromium's fake devices, taken before the clock starts. */
  async prepareMedia() {
    state.localStream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: true });
  },

  /** Opens and authenticates the realtime connection the app keeps open anyway. */
  async connect(accessToken: string) {
    const client = new RealtimeClient({
      url: wsUrl(),
      getToken: async () => accessToken,
      createSocket: browserSocket,
    });
    state.client = client;
    await new Promise<void>((resolve, reject) => {
      const off = client.onStateChange((connection, detail) => {
        if (connection === 'open') {
          off();
          resolve();
        } else if (connection === 'closed') {
          off();
          reject(new Error(`realtime connection closed: ${detail?.code} ${detail?.reason}`));
        }
      });
      client.connect();
    });
  },

  /** The join request (HTTP), then the room (gateway): what the app does when the user clicks Join. */
  async join({ meetingId, accessToken }: MeshPageJoin) {
    const client = state.client;
    const localStream = state.localStream;
    if (!client || !localStream) throw new Error('connect() and prepareMedia() first');
    state.joinStartedAt = performance.now();
    const response = await fetch(`/api/meetings/${meetingId}/join`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
    if (!response.ok) throw new Error(`join answered ${response.status}: ${await response.text()}`);
    const joined = JoinMeetingResponseSchema.parse(await response.json());
    mark('join response');
    if (joined.provider !== 'local') throw new Error('expected the built-in mesh');
    const call = new MeshCall({
      meetingId,
      selfId: joined.participantId,
      iceServers: joined.iceServers,
      participants: joined.participants,
      signaling: { send: (frame) => client.send(frame), on: (type, listener) => client.on(type, listener) },
      localStream,
    });
    state.call = call;
    call.on('remote-stream', ({ userId, stream }) => watchRemote(userId, stream));
    call.on('error', ({ message }) => state.events.push(`error: ${message}`));
    call.on('connection-state', ({ userId, state: connection }) => mark(`${userId.slice(0, 8)} ${connection}`));
    call.on('remote-stream', ({ stream }) => mark(`remote tracks: ${stream.getTracks().map((track) => track.kind).join('+')}`));
    const participants = await call.join();
    mark('in the room');
    return { participants: participants.map((participant) => participant.userId) };
  },

  /** Milliseconds from the join request to the first shown frame of any other participant. */
  joinToFirstFrameMs(): number | null {
    const first = state.firstFrames[0];
    return first && state.joinStartedAt !== null ? first.at - state.joinStartedAt : null;
  },

  /** Video frames this page decoded from each other participant, from WebRTC's own statistics. */
  async framesDecoded(): Promise<Record<string, number>> {
    const call = state.call;
    if (!call) return {};
    const result: Record<string, number> = {};
    for (const participant of call.participants) {
      const pc = call.peerConnection(participant.userId);
      let frames = 0;
      if (pc) {
        const stats = await pc.getStats();
        stats.forEach((report: { type: string; kind?: string; framesDecoded?: number }) => {
          if (report.type === 'inbound-rtp' && report.kind === 'video') frames += report.framesDecoded ?? 0;
        });
      }
      result[participant.userId] = frames;
    }
    return result;
  },

  /** Replaces the camera with a fake screen, as the UI's "Share screen" does. */
  async shareScreen() {
    const screen = await navigator.mediaDevices.getDisplayMedia({ video: true });
    await state.call?.startScreenShare(screen.getVideoTracks()[0]!);
    return state.call?.media;
  },

  /** The resolution of the video this page receives from `userId` (the fake camera and screen differ). */
  remoteVideoSize(userId: string) {
    const video = document.getElementById(`remote-${userId}`) as HTMLVideoElement | null;
    return video ? { width: video.videoWidth, height: video.videoHeight } : null;
  },

  events: () => state.events,

  leave() {
    state.call?.leave();
    state.client?.close();
    for (const track of state.localStream?.getTracks() ?? []) track.stop();
  },
};

export type MeshPageApi = typeof api;

declare global {
  interface Window {
    collaroMesh: MeshPageApi;
  }
}

window.collaroMesh = api;
