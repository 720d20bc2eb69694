import { SfuEvents, SfuModels } from '@stream-io/video-client';
import type { BrowserContext, Page, Route, WebSocketRoute } from 'playwright-core';

/**
 * Plays Stream Video's servers for the browser SDK, inside Chromium's own network stack (Playwright
 * routes), since the real ones cannot be reached here: the coordinator (REST and its WebSocket), the
 * location hint, and one SFU (its protobuf signalling WebSocket and its Twirp JSON API). Media is
 * real: the SFU's side of each peer connection is an RTCPeerConnection in a page of its own, so the
 * SDK publishes for real. It records what the SDK tells the SFU, which is what every other
 * participant would learn: tracks published, muted and unpublished.
 */

export const STREAM_COORDINATOR = 'https://video.stream-io-api.com';
export const STREAM_SFU = 'https://sfu-stand-in.stream-io-video.com';
const SFU_WS = 'wss://sfu-stand-in.stream-io-video.com/ws';

export interface SfuCall {
  method: string;
  body: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function callSettings(): Json {
  return {
    audio: {
      access_request_enabled: true,
      default_device: 'speaker',
      mic_default_on: true,
      noise_cancellation: { mode: 'available' },
      opus_dtx_enabled: true,
      redundant_coding_enabled: true,
      speaker_default_on: true,
    },
    backstage: { enabled: false },
    broadcasting: { enabled: false, hls: { auto_on: false, enabled: false, quality_tracks: [] }, rtmp: { enabled: false, quality: '720p' } },
    encryption: { enabled: false, mode: 'disabled' },
    frame_recording: { capture_interval_in_seconds: 0, mode: 'disabled' },
    geofencing: { names: [] },
    individual_recording: { mode: 'disabled' },
    limits: { max_participants_exclude_roles: [] },
    raw_recording: { mode: 'disabled' },
    recording: { audio_only: false, mode: 'available', quality: '720p' },
    ring: { auto_cancel_timeout_ms: 30000, incoming_call_timeout_ms: 30000, missed_call_timeout_ms: 30000 },
    screensharing: { access_request_enabled: true, enabled: true, target_resolution: { width: 1920, height: 1080, bitrate: 3000000 } },
    session: { inactivity_timeout_seconds: 0 },
    thumbnails: { enabled: false },
    transcription: { closed_caption_mode: 'disabled', language: 'auto', mode: 'disabled' },
    video: {
      access_request_enabled: true,
      camera_default_on: true,
      camera_facing: 'front',
      enabled: true,
      target_resolution: { width: 1280, height: 720, bitrate: 1500000 },
    },
  };
}

function callResponse(type: string, id: string, userId: string): Json {
  const now = new Date().toISOString();
  const user = { id: userId, name: userId, role: 'user', custom: {}, teams: [], created_at: now, updated_at: now, blocked_user_ids: [], language: '' };
  return {
    cid: `${type}:${id}`,
    id,
    type,
    backstage: false,
    blocked_user_ids: [],
    captioning: false,
    created_at: now,
    updated_at: now,
    created_by: user,
    current_session_id: 'session-stand-in',
    custom: {},
    egress: { broadcasting: false, rtmps: [] },
    ingress: { rtmp: { address: '' } },
    recording: false,
    settings: callSettings(),
    transcribing: false,
    translating: false,
  };
}

const OWN_CAPABILITIES = ['join-call', 'send-audio', 'send-video', 'screenshare', 'end-call', 'mute-users', 'read-call', 'update-call'];

export class StreamVideoStandIn {
  /** Every Twirp call the SDK made to the SFU, in order. */
  readonly sfuCalls: SfuCall[] = [];
  /** Every coordinator REST call, as "METHOD /path". */
  readonly coordinatorCalls: string[] = [];
  /** Who connected to the coordinator's WebSocket: the user the SDK named and the token it gave. */
  readonly connections: { userId: string; name: string | undefined; token: string }[] = [];
  #userId = 'unknown';
  /** The name the SDK gave for its user, which the SFU shows the call (as Stream shows the user's name). */
  #userName: string | undefined;
  #sessionId = '';
  #sfuSocket: WebSocketRoute | null = null;
  #answerer: Promise<Page> | null = null;
  #context: BrowserContext | null = null;

  /** Installs the routes on a browser context (the page a test drives lives in it). */
  async attach(context: BrowserContext): Promise<void> {
    this.#context = context;
    await context.route('https://hint.stream-io-video.com/**', (route) =>
      route.fulfill({ status: 200, headers: { ...this.#cors(route), 'x-amz-cf-pop': 'STAND-IN' }, body: '' }),
    );
    await context.route(`${STREAM_COORDINATOR}/**`, (route) => this.#coordinator(route));
    await context.route(`${STREAM_SFU}/**`, (route) => this.#sfu(route));
    await context.routeWebSocket(/^wss:\/\/video\.stream-io-api\.com\//, (socket) => this.#coordinatorSocket(socket));
    await context.routeWebSocket(new RegExp(`^${SFU_WS.replace(/[.]/g, '\\.')}`), (socket) => this.#sfuSignal(socket));
  }

  /** The SFU's latest word on a track type from the SDK's UpdateMuteStates calls. */
  lastMuteState(trackType: string): boolean | null {
    for (const call of [...this.sfuCalls].reverse()) {
      if (call.method !== 'UpdateMuteStates') continue;
      const state = (call.body['muteStates'] as { trackType: string; muted: boolean }[] | undefined)?.find((entry) => entry.trackType === trackType);
      if (state) return state.muted ?? false;
    }
    return null;
  }

  /** Track types the SDK announced in its latest SetPublisher call. */
  publishedTrackTypes(): string[] {
    const last = [...this.sfuCalls].reverse().find((call) => call.method === 'SetPublisher');
    return ((last?.body['tracks'] as { trackType: string }[] | undefined) ?? []).map((track) => track.trackType);
  }

  #cors(route: Route): Record<string, string> {
    const origin = route.request().headers()['origin'] ?? '*';
    return {
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': '*',
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      'access-control-expose-headers': '*',
    };
  }

  async #json(route: Route, body: unknown, status = 200): Promise<void> {
    await route.fulfill({ status, headers: { ...this.#cors(route), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  async #coordinator(route: Route): Promise<void> {
    const request = route.request();
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: this.#cors(route) });
    const url = new URL(request.url());
    this.coordinatorCalls.push(`${request.method()} ${url.pathname}`);
    const call = /^\/video\/call\/([^/]+)\/([^/]+)(\/[a-z_]+)?$/.exec(url.pathname);
    if (call) {
      const [, type, id, action] = call as unknown as [string, string, string, string | undefined];
      if (action === '/join') {
        return this.#json(route, {
          call: callResponse(type, id, this.#userId),
          members: [],
          own_capabilities: OWN_CAPABILITIES,
          stats_options: { reporting_interval_ms: 60_000, enable_rtc_stats: false },
          credentials: { server: { url: `${STREAM_SFU}/twirp`, ws_endpoint: SFU_WS, edge_name: 'stand-in' }, token: 'sfu-token', ice_servers: [] },
          duration: '1ms',
        });
      }
      if (!action)
        return this.#json(route, {
          call: callResponse(type, id, this.#userId),
          members: [],
          own_capabilities: OWN_CAPABILITIES,
          blocked_users: [],
          duration: '1ms',
          created: false,
        });
    }
    return this.#json(route, { duration: '1ms' });
  }

  #coordinatorSocket(socket: WebSocketRoute): void {
    socket.onMessage((message) => {
      const data = JSON.parse(String(message)) as Json | Json[];
      const first = Array.isArray(data) ? data[0] : data;
      if (first && typeof first['token'] === 'string') {
        const details = first['user_details'] as { id: string; name?: string };
        this.#userId = details.id;
        this.#userName = details.name;
        this.connections.push({ userId: details.id, name: details.name, token: first['token'] });
        const now = new Date().toISOString();
        socket.send(
          JSON.stringify({
            type: 'connection.ok',
            connection_id: 'connection-stand-in',
            created_at: now,
            me: {
              id: details.id,
              name: details.name ?? details.id,
              role: 'user',
              custom: {},
              teams: [],
              created_at: now,
              updated_at: now,
              devices: [],
              blocked_user_ids: [],
              language: '',
            },
          }),
        );
      } else if (first?.['type'] === 'health.check') {
        socket.send(JSON.stringify({ type: 'health.check', connection_id: 'connection-stand-in', created_at: new Date().toISOString() }));
      }
    });
  }

  #sfuSignal(socket: WebSocketRoute): void {
    this.#sfuSocket = socket;
    socket.onMessage((message) => {
      if (typeof message === 'string') return;
      const request = SfuEvents.SfuRequest.fromBinary(new Uint8Array(message));
      const payload = request.requestPayload;
      if (payload.oneofKind === 'joinRequest') {
        this.#sessionId = payload.joinRequest.sessionId;
        this.#sendEvent({ oneofKind: 'joinResponse', joinResponse: this.#joinResponse() });
      } else if (payload.oneofKind === 'healthCheckRequest') {
        this.#sendEvent({ oneofKind: 'healthCheckResponse', healthCheckResponse: { participantCount: { total: 1, anonymous: 0 } } });
      }
    });
  }

  #sendEvent(eventPayload: SfuEvents.SfuEvent['eventPayload']): void {
    this.#sfuSocket?.send(Buffer.from(SfuEvents.SfuEvent.toBinary(SfuEvents.SfuEvent.create({ eventPayload }))));
  }

  #joinResponse(): SfuEvents.JoinResponse {
    const codec = (name: string, clockRate: number, payloadType: number) =>
      SfuModels.Codec.create({ name, clockRate, payloadType, fmtp: '', encodingParameters: '' });
    return SfuEvents.JoinResponse.create({
      callState: SfuModels.CallState.create({
        participants: [
          SfuModels.Participant.create({
            userId: this.#userId,
            sessionId: this.#sessionId,
            trackLookupPrefix: 'stand-in',
            name: this.#userName ?? this.#userId,
            roles: ['host'],
            joinedAt: { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 },
          }),
        ],
        participantCount: { total: 1, anonymous: 0 },
        startedAt: { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 },
        pins: [],
      }),
      reconnected: false,
      fastReconnectDeadlineSeconds: 30,
      publishOptions: [
        SfuModels.PublishOption.create({
          id: 0,
          trackType: SfuModels.TrackType.VIDEO,
          codec: codec('vp8', 90000, 96),
          bitrate: 1_000_000,
          fps: 30,
          maxSpatialLayers: 3,
          maxTemporalLayers: 1,
          videoDimension: { width: 1280, height: 720 },
        }),
        SfuModels.PublishOption.create({
          id: 1,
          trackType: SfuModels.TrackType.SCREEN_SHARE,
          codec: codec('vp8', 90000, 96),
          bitrate: 1_500_000,
          fps: 15,
          maxSpatialLayers: 1,
          maxTemporalLayers: 1,
          videoDimension: { width: 1920, height: 1080 },
        }),
        SfuModels.PublishOption.create({ id: 2, trackType: SfuModels.TrackType.AUDIO, codec: codec('opus', 48000, 111), bitrate: 48_000 }),
        SfuModels.PublishOption.create({ id: 3, trackType: SfuModels.TrackType.SCREEN_SHARE_AUDIO, codec: codec('opus', 48000, 111), bitrate: 64_000 }),
      ],
    });
  }

  async #sfu(route: Route): Promise<void> {
    const request = route.request();
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: this.#cors(route) });
    const method = new URL(request.url()).pathname.split('/').at(-1) ?? '';
    const body = (request.postDataJSON() ?? {}) as Json;
    this.sfuCalls.push({ method, body });
    if (method === 'SetPublisher') {
      const answer = await this.#answer('publisher', String(body['sdp'] ?? ''));
      return this.#json(route, { sdp: answer, sessionId: this.#sessionId, iceRestart: false });
    }
    if (method === 'IceTrickle' && body['peerType'] !== 'PEER_TYPE_SUBSCRIBER' && this.#answerer) {
      await (
        await this.#answerer
      ).evaluate(
        (candidate) => (window as unknown as { addPublisherCandidate(c: string): Promise<void> }).addPublisherCandidate(candidate),
        String(body['iceCandidate'] ?? ''),
      );
    }
    return this.#json(route, {});
  }

  /**
   * The SFU's answer to the SDK's offer, made by a real peer connection in a blank page of its own
   * (in a context of its own, so the test's routes and the app's windows never see it).
   */
  async #answer(peer: 'publisher', offer: string): Promise<string> {
    const browser = this.#context?.browser();
    if (!browser) throw new Error('attach() first');
    this.#answerer ??= browser.newContext().then((context) => context.newPage());
    const answerer = await this.#answerer;
    return answerer.evaluate(
      async ({ offer }) => {
        const scope = window as unknown as { publisher?: RTCPeerConnection; addPublisherCandidate(c: string): Promise<void> };
        const connection = (scope.publisher ??= new RTCPeerConnection());
        scope.addPublisherCandidate = async (candidate) => {
          if (candidate) await connection.addIceCandidate(JSON.parse(candidate) as RTCIceCandidateInit).catch(() => undefined);
        };
        await connection.setRemoteDescription({ type: 'offer', sdp: offer });
        await connection.setLocalDescription(await connection.createAnswer());
        // Host candidates only, all in the answer: the stand-in does not trickle.
        if (connection.iceGatheringState !== 'complete') {
          await new Promise<void>((resolve) => {
            const done = () => connection.iceGatheringState === 'complete' && resolve();
            connection.addEventListener('icegatheringstatechange', done);
            setTimeout(resolve, 2_000);
          });
        }
        return connection.localDescription?.sdp ?? '';
      },
      { offer, peer },
    );
  }
}
