/**
 * A test page for the mesh client in real Chromium: bundled by backend/test/meetings and
 * bench/join-time, it joins a meeting through the real HTTP API and the real gateway, and reports
 * what a user would see: the other participant's decoded video frames.
 */
import { browserSocket, JoinMeetingResponseSchema, RealtimeClient, type RtcSignal } from '@collaro/shared';
import { MeshCall, PreparedOffer, type MeshSignaling } from '../../../src/renderer/src/features/meetings/mesh/client/index.js';

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
  milestones: Partial<Record<JoinMilestone, number>>;
} = { client: null, call: null, localStream: null, firstFrames: [], joinStartedAt: null, events: [], milestones: {} };

/** The steps of a join that bench/join-time times, each the first time it happens. */
export type JoinMilestone = 'join response' | 'offer sent' | 'in the room' | 'answer received' | 'connected' | 'first remote frame';

function wsUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/** Notes a step of the join with its time since the join request, for diagnosing slow joins. */
function mark(what: string) {
  const since = state.joinStartedAt === null ? 0 : performance.now() - state.joinStartedAt;
  state.events.push(`${since.toFixed(0)} ms ${what}`);
}

function milestone(what: JoinMilestone) {
  if (state.joinStartedAt === null || state.milestones[what] !== undefined) return;
  state.milestones[what] = performance.now() - state.joinStartedAt;
  mark(what);
}

/** The realtime client as the mesh's signaling, noting when this side's offer leaves and the answer arrives. */
function signalingOf(client: RealtimeClient): MeshSignaling {
  return {
    send: (frame) => {
      if (frame.type === 'rtc.signal' && frame.signal.kind === 'description' && frame.signal.description.type === 'offer') milestone('offer sent');
      return client.send(frame);
    },
    on: (type, listener) =>
      client.on(type, (frame) => {
        const signal = (frame as { signal?: RtcSignal }).signal;
        if (type === 'rtc.signal' && signal?.kind === 'description' && signal.description.type === 'answer') milestone('answer received');
        listener(frame);
      }),
  };
}

/** Plays a participant's shared screen in a <video> of its own. */
function watchScreen(userId: string, stream: MediaStream) {
  const id = `screen-${userId}`;
  let video = document.getElementById(id) as HTMLVideoElement | null;
  if (!video) {
    video = document.createElement('video');
    video.id = id;
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    document.body.append(video);
  }
  if (video.srcObject !== stream) video.srcObject = stream;
  void video.play().catch(() => {});
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
        milestone('first remote frame');
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
    state.milestones = {};
    // The offer is made while the join request is on its way (a server without ICE_SERVERS answers with none).
    const prepared = new PreparedOffer({
      iceServers: [],
      tracks: { audio: localStream.getAudioTracks()[0] ?? null, video: localStream.getVideoTracks()[0] ?? null, screen: null },
      stream: localStream,
    });
    const response = await fetch(`/api/meetings/${meetingId}/join`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
    if (!response.ok) {
      prepared.discard();
      throw new Error(`join answered ${response.status}: ${await response.text()}`);
    }
    const joined = JoinMeetingResponseSchema.parse(await response.json());
    milestone('join response');
    if (joined.provider !== 'local') {
      prepared.discard();
      throw new Error('expected the built-in mesh');
    }
    const call = new MeshCall({
      meetingId,
      selfId: joined.participantId,
      iceServers: joined.iceServers,
      participants: joined.participants,
      signaling: signalingOf(client),
      prepared,
      localStream,
    });
    state.call = call;
    call.on('remote-stream', ({ userId, stream, screen }) => {
      watchRemote(userId, stream);
      if (screen.getVideoTracks().length > 0) watchScreen(userId, screen);
    });
    call.on('error', ({ message }) => state.events.push(`error: ${message}`));
    call.on('connection-state', ({ userId, state: connection }) => {
      mark(`${userId.slice(0, 8)} ${connection}`);
      if (connection === 'connected') milestone('connected');
    });
    call.on('remote-stream', ({ stream }) =>
      mark(
        `remote tracks: ${stream
          .getTracks()
          .map((track) => track.kind)
          .join('+')}`,
      ),
    );
    const participants = await call.join();
    milestone('in the room');
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

  /** Shares a fake screen beside the camera, as the UI's "Share screen" does. */
  async shareScreen() {
    const screen = await navigator.mediaDevices.getDisplayMedia({ video: true });
    await state.call?.startScreenShare(screen.getVideoTracks()[0]!);
    return state.call?.media;
  },

  /** The resolution of the camera video this page receives from `userId` (the fake camera and screen differ). */
  remoteVideoSize(userId: string) {
    const video = document.getElementById(`remote-${userId}`) as HTMLVideoElement | null;
    return video ? { width: video.videoWidth, height: video.videoHeight } : null;
  },

  /** The resolution of the screen video this page receives from `userId`. */
  remoteScreenSize(userId: string) {
    const video = document.getElementById(`screen-${userId}`) as HTMLVideoElement | null;
    return video ? { width: video.videoWidth, height: video.videoHeight } : null;
  },

  events: () => state.events,

  /** Milliseconds from the join request to each step of the join reached so far. */
  milestones: () => state.milestones,

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
