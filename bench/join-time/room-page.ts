/**
 * The Collaro side of bench/join-time: what the meeting screen does when the user clicks Join on
 * the built-in mesh, with the app's own modules and nothing else. It sends
 * `POST /api/meetings/:id/join` and makes the offer ahead (prepareMeshOffer) a task later, while
 * the request is on its way (as the meeting flow does), waits a task as the room
 * component does, then enters the room through createMeshCallSession, the session behind the real
 * room screen, over an already-open realtime connection. Left out: React's rendering of the room
 * and the download of the room's code (the pre-join screen fetches it ahead).
 */
import { browserSocket, JoinMeetingResponseSchema, RealtimeClient, type RtcSignal } from '@collaro/shared';
import type { CallSession } from '../../desktop/src/renderer/src/features/meetings/room/call-session.js';
import { createMeshCallSession } from '../../desktop/src/renderer/src/features/meetings/mesh/mesh-call-session.js';
import { prepareMeshOffer, rememberIceServers } from '../../desktop/src/renderer/src/features/meetings/mesh/mesh-join.js';

type Milestone = 'join response' | 'offer sent' | 'in the room' | 'answer received' | 'connected' | 'first remote frame';

const state: {
  client: RealtimeClient | null;
  session: CallSession | null;
  localStream: MediaStream | null;
  joinStartedAt: number | null;
  firstFrameAt: number | null;
  events: string[];
  milestones: Partial<Record<Milestone, number>>;
  /** When each description left or arrived, on the clock all pages share, so the run can split the hand-shake into its legs. */
  signalTimes: Partial<Record<SignalStep, number>>;
} = { client: null, session: null, localStream: null, joinStartedAt: null, firstFrameAt: null, events: [], milestones: {}, signalTimes: {} };

type SignalStep = 'offer sent' | 'offer received' | 'answer sent' | 'answer received';

function signalStep(step: SignalStep) {
  state.signalTimes[step] ??= performance.timeOrigin + performance.now();
}

function milestone(what: Milestone) {
  if (state.joinStartedAt === null || state.milestones[what] !== undefined) return;
  const at = performance.now() - state.joinStartedAt;
  state.milestones[what] = at;
  state.events.push(`${at.toFixed(0)} ms ${what}`);
}

/** Notes when this side's offer leaves and the answer and the room's welcome arrive, without changing what is sent. */
function watchSignaling(client: RealtimeClient) {
  const send = client.send.bind(client);
  client.send = (frame) => {
    if (frame.type === 'rtc.signal' && frame.signal.kind === 'description') {
      if (frame.signal.description.type === 'offer') milestone('offer sent');
      signalStep(frame.signal.description.type === 'offer' ? 'offer sent' : 'answer sent');
    }
    return send(frame);
  };
  client.on('rtc.signal', (frame) => {
    const signal = frame.signal as RtcSignal;
    if (signal.kind === 'description' && signal.description.type === 'answer') milestone('answer received');
    if (signal.kind === 'description') signalStep(signal.description.type === 'offer' ? 'offer received' : 'answer received');
  });
  client.on('meeting.joined', () => milestone('in the room'));
}

/** Plays each other participant's camera as the room's tiles do, noting the first frame shown. */
function watchSession(session: CallSession) {
  const shown = new Set<string>();
  session.subscribe(() => {
    for (const participant of session.getSnapshot().participants) {
      if (participant.isLocal) continue;
      if (participant.link === 'connected') milestone('connected');
      if (!participant.camera || participant.camera.getVideoTracks().length === 0 || shown.has(participant.id)) continue;
      shown.add(participant.id);
      const video = document.createElement('video');
      video.muted = true;
      video.autoplay = true;
      video.playsInline = true;
      video.srcObject = participant.camera;
      document.body.append(video);
      video.requestVideoFrameCallback(() => {
        state.firstFrameAt ??= performance.now();
        milestone('first remote frame');
      });
      void video.play().catch(() => {});
    }
  });
}

const api = {
  async prepareMedia() {
    state.localStream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: true });
  },

  /** The realtime connection the signed-in app keeps open anyway. */
  async connect(accessToken: string) {
    const client = new RealtimeClient({ url: `ws://${location.host}/ws`, getToken: async () => accessToken, createSocket: browserSocket });
    state.client = client;
    watchSignaling(client);
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

  /** The Join button: offer ahead, the join request, then the room a task later. Resolves once in the room. */
  async join({ meetingId, accessToken, offerAhead = true }: { meetingId: string; accessToken: string; offerAhead?: boolean }) {
    const { client, localStream } = state;
    if (!client || !localStream) throw new Error('connect() and prepareMedia() first');
    state.joinStartedAt = performance.now();
    state.firstFrameAt = null;
    state.milestones = {};
    state.signalTimes = {};
    const request = () => fetch(`/api/meetings/${meetingId}/join`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
    const answered = request();
    // As the meeting flow does: the offer is made a task later, once the request is on its way.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const prepared = offerAhead ? prepareMeshOffer('', localStream) : null;
    const response = await answered;
    if (!response.ok) {
      prepared?.discard();
      throw new Error(`join answered ${response.status}: ${await response.text()}`);
    }
    const joined = JoinMeetingResponseSchema.parse(await response.json());
    milestone('join response');
    if (joined.provider !== 'local') throw new Error('expected the built-in mesh');
    rememberIceServers('', joined.iceServers);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const session = createMeshCallSession({
      realtime: client,
      join: joined,
      media: { stream: localStream, audioDeviceId: null, videoDeviceId: null, micOn: true, cameraOn: true, audioOutputId: null },
      prepared,
      rejoin: async () => JoinMeetingResponseSchema.parse(await (await request()).json()) as typeof joined,
    });
    state.session = session;
    watchSession(session);
    await new Promise<void>((resolve) => {
      const off = session.subscribe(() => {
        if (session.getSnapshot().connection !== 'connected') return;
        off();
        resolve();
      });
    });
    return { participants: session.getSnapshot().participants.map((participant) => participant.id) };
  },

  joinToFirstFrameMs(): number | null {
    return state.firstFrameAt !== null && state.joinStartedAt !== null ? state.firstFrameAt - state.joinStartedAt : null;
  },

  events: () => state.events,
  milestones: () => state.milestones,
  signalTimes: () => state.signalTimes,

  leave() {
    state.session?.leave();
    state.session?.dispose();
    state.client?.close();
    for (const track of state.localStream?.getTracks() ?? []) track.stop();
  },
};

declare global {
  interface Window {
    collaroMesh: typeof api;
  }
}

window.collaroMesh = api;
