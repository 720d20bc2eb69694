import type { JoinMeetingResponse } from '@collaro/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallCommands } from '../../../src/renderer/src/features/meetings/call/call-types.js';
import { canRejoin, MeetingFlow, type MeetingFlowOptions } from '../../../src/renderer/src/features/meetings/flow/meeting-flow.js';
import type { PreparedOffer } from '../../../src/renderer/src/features/meetings/mesh/client/index.js';

// Node has no MediaStream: the flow only lists a stream's tracks and stops them.
interface FakeTrack {
  kind: 'audio' | 'video';
  stopped: boolean;
  stop(): void;
}
function fakeStream(kinds: ('audio' | 'video')[] = ['audio', 'video']) {
  const tracks = kinds.map((kind) => {
    const track: FakeTrack = {
      kind,
      stopped: false,
      stop: () => {
        track.stopped = true;
      },
    };
    return track;
  });
  const stream = {
    tracks,
    getTracks: () => tracks,
    getAudioTracks: () => tracks.filter((track) => track.kind === 'audio'),
    getVideoTracks: () => tracks.filter((track) => track.kind === 'video'),
  };
  return stream as typeof stream & MediaStream;
}
const stopped = (stream: { tracks: FakeTrack[] }) => stream.tracks.every((track) => track.stopped);

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

function fakeOffer() {
  const offer = { discarded: false, discard: () => (offer.discarded = true) };
  return offer as typeof offer & PreparedOffer;
}

const MESH_JOIN: JoinMeetingResponse = {
  provider: 'local',
  meetingId: 'm1',
  participantId: 'u1',
  isHost: false,
  iceServers: [],
  participantLimit: 8,
  participants: [],
};
const STREAM_JOIN = {
  provider: 'stream',
  apiKey: 'k',
  token: 't',
  userId: 'u1',
  callType: 'default',
  callId: 'm1',
  isHost: false,
} as unknown as JoinMeetingResponse;
const CHOICE = { audioDeviceId: null, videoDeviceId: null, micOn: true, cameraOn: true, audioOutputId: null };
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A flow whose devices and join requests the test answers by hand. */
function setUp(overrides: Partial<MeetingFlowOptions> = {}) {
  const openings: ReturnType<typeof deferred<MediaStream>>[] = [];
  const joins: ReturnType<typeof deferred<JoinMeetingResponse>>[] = [];
  const offers: ReturnType<typeof fakeOffer>[] = [];
  const open = vi.fn(() => {
    const opening = deferred<MediaStream>();
    openings.push(opening);
    return opening.promise;
  });
  const requestJoin = vi.fn(() => {
    const join = deferred<JoinMeetingResponse>();
    joins.push(join);
    return join.promise;
  });
  const prepareOffer = vi.fn((_stream: MediaStream | null) => {
    const offer = fakeOffer();
    offers.push(offer);
    return offer;
  });
  const onJoined = vi.fn();
  const flow = new MeetingFlow({
    requestJoin,
    devices: { open, describeError: (error) => (error ? 'Your camera or microphone is in use by another application.' : 'No devices here.') },
    prepareOffer,
    onJoined,
    ...overrides,
  });
  return { flow, openings, joins, offers, open, requestJoin, prepareOffer, onJoined };
}

/** Opens the devices, joins and enters the call on the mesh; returns the camera the call took. */
async function enterCall({ flow, openings, joins }: ReturnType<typeof setUp>) {
  flow.openDevices(null, null);
  const camera = fakeStream();
  openings[0]!.resolve(camera);
  await flush();
  const joined = flow.join(CHOICE);
  joins[0]!.resolve(MESH_JOIN);
  await joined;
  return camera;
}

afterEach(() => vi.useRealTimers());

describe('meeting flow', () => {
  it('joining before the devices have started waits for them, then publishes their tracks in the call', async () => {
    const { flow, openings, joins, requestJoin, prepareOffer } = setUp();
    flow.openDevices(null, null);
    const joined = flow.join(CHOICE);
    expect(flow.getState().phase.kind).toBe('awaiting-devices');
    expect(requestJoin).not.toHaveBeenCalled();

    const camera = fakeStream();
    openings[0]!.resolve(camera);
    await flush();
    expect(flow.getState().phase.kind).toBe('joining');
    await flush();
    expect(prepareOffer).toHaveBeenCalledWith(camera);
    joins[0]!.resolve(MESH_JOIN);
    await joined;

    const { phase } = flow.getState();
    expect(phase.kind).toBe('in-call');
    if (phase.kind !== 'in-call') return;
    expect(phase.media.stream).toBe(camera);
    expect(phase.media).toMatchObject({ micOn: true, cameraOn: true });
    expect(stopped(camera)).toBe(false);
  });

  it('joins with the devices chosen last when the choice changed while waiting, and stops the ones superseded', async () => {
    const { flow, openings, joins } = setUp();
    flow.openDevices(null, null);
    const joined = flow.join(CHOICE);
    flow.openDevices('mic-2', null);
    const first = fakeStream();
    const second = fakeStream(['audio']);
    openings[0]!.resolve(first);
    openings[1]!.resolve(second);
    await flush();
    joins[0]!.resolve(MESH_JOIN);
    await joined;

    const { phase } = flow.getState();
    if (phase.kind !== 'in-call') throw new Error(`expected in-call, was ${phase.kind}`);
    expect(phase.media.stream).toBe(second);
    // Without a camera there is nothing to turn on, whatever the pre-join chose.
    expect(phase.media.cameraOn).toBe(false);
    expect(stopped(first)).toBe(true);
  });

  it('leaving the screen during a pending join does not enter the call and lets go of the devices and the offer', async () => {
    vi.useFakeTimers();
    const { flow, openings, joins, offers } = setUp();
    flow.openDevices(null, null);
    const camera = fakeStream();
    openings[0]!.resolve(camera);
    await vi.advanceTimersByTimeAsync(0);
    const release = flow.retain();
    const joined = flow.join(CHOICE);
    await vi.advanceTimersByTimeAsync(0);
    expect(flow.getState().phase.kind).toBe('joining');

    release();
    await vi.advanceTimersByTimeAsync(0);
    joins[0]!.resolve(MESH_JOIN);
    await joined;
    expect(flow.getState().phase.kind).toBe('joining');
    expect(stopped(camera)).toBe(true);
    expect(offers[0]!.discarded).toBe(true);
  });

  it('keeps the devices through an immediate remount of the screen', async () => {
    vi.useFakeTimers();
    const { flow, openings } = setUp();
    flow.openDevices(null, null);
    const camera = fakeStream();
    openings[0]!.resolve(camera);
    await vi.advanceTimersByTimeAsync(0);
    flow.retain()();
    const release = flow.retain();
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped(camera)).toBe(false);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped(camera)).toBe(true);
  });

  it('a refused join goes back to the pre-join with the reason, keeps the preview, and a retry joins', async () => {
    const { flow, openings, joins, offers, requestJoin } = setUp();
    flow.openDevices(null, null);
    const camera = fakeStream();
    openings[0]!.resolve(camera);
    await flush();
    const refused = new Error('The meeting is full.');
    const first = flow.join(CHOICE);
    joins[0]!.reject(refused);
    await first;
    expect(flow.getState().phase).toEqual({ kind: 'lobby', joinError: refused });
    expect(offers[0]!.discarded).toBe(true);
    expect(stopped(camera)).toBe(false);

    const retry = flow.join(CHOICE);
    expect(requestJoin).toHaveBeenCalledTimes(2);
    expect(flow.getState().phase).toEqual({ kind: 'joining' });
    joins[1]!.resolve(MESH_JOIN);
    await retry;
    expect(flow.getState().phase.kind).toBe('in-call');
  });

  it('sends the join request first and makes the offer ahead a task later, while the request is on its way', async () => {
    const { flow, openings, requestJoin, prepareOffer } = setUp();
    flow.openDevices(null, null);
    openings[0]!.resolve(fakeStream());
    await flush();
    void flow.join(CHOICE);
    expect(requestJoin).toHaveBeenCalledTimes(1);
    expect(prepareOffer).not.toHaveBeenCalled();
    await flush();
    expect(prepareOffer).toHaveBeenCalledTimes(1);
  });

  it('a second Join while one is under way sends no second request', async () => {
    const { flow, openings, requestJoin } = setUp();
    flow.openDevices(null, null);
    openings[0]!.resolve(fakeStream());
    await flush();
    void flow.join(CHOICE);
    void flow.join(CHOICE);
    expect(requestJoin).toHaveBeenCalledTimes(1);
  });

  it('hands the offer made ahead to the mesh room, and drops it when the meeting is on Stream', async () => {
    const mesh = setUp();
    await enterCall(mesh);
    expect(mesh.flow.getState().phase).toMatchObject({ kind: 'in-call', prepared: mesh.offers[0] });
    expect(mesh.onJoined).toHaveBeenCalledWith(MESH_JOIN);

    const stream = setUp();
    stream.flow.openDevices(null, null);
    stream.openings[0]!.resolve(fakeStream());
    await flush();
    const onStream = stream.flow.join(CHOICE);
    stream.joins[0]!.resolve(STREAM_JOIN);
    await onStream;
    expect(stream.flow.getState().phase).toMatchObject({ kind: 'in-call', prepared: null });
    expect(stream.offers[0]!.discarded).toBe(true);
  });

  it('joins without devices when the browser refuses them, and says why on the pre-join', async () => {
    const { flow, openings, joins } = setUp();
    flow.openDevices(null, null);
    openings[0]!.reject(new DOMException('busy', 'NotReadableError'));
    await flush();
    expect(flow.getState().devices.error).toBe('Your camera or microphone is in use by another application.');
    const joined = flow.join(CHOICE);
    joins[0]!.resolve(MESH_JOIN);
    await joined;
    const { phase } = flow.getState();
    if (phase.kind !== 'in-call') throw new Error(`expected in-call, was ${phase.kind}`);
    expect(phase.media).toMatchObject({ stream: null, micOn: false, cameraOn: false });
  });

  it('reports the call to the shell while in it, and nothing after it', async () => {
    const flowed = setUp();
    const { flow } = flowed;
    expect(flow.callStatus()).toBeNull();
    await enterCall(flowed);
    expect(flow.callStatus()).toEqual({ muted: false, cameraOff: false, sharing: false });
    flow.setStatus({ muted: true, cameraOff: false, sharing: true });
    expect(flow.callStatus()).toEqual({ muted: true, cameraOff: false, sharing: true });
    const commands = { leave: vi.fn() } as unknown as CallCommands;
    flow.bindCommands(commands);
    expect(flow.commands.current).toBe(commands);
    flow.exit({ reason: 'left' });
    expect(flow.callStatus()).toBeNull();
  });

  it('a removal ends the flow: the devices stop and there is no way back in', async () => {
    const flowed = setUp();
    const { flow, requestJoin } = flowed;
    const camera = await enterCall(flowed);
    const seen: string[] = [];
    flow.subscribe(() => seen.push(flow.getState().phase.kind));

    flow.exit({ reason: 'removed' });
    expect(flow.getState().phase).toEqual({ kind: 'after', exit: { reason: 'removed' } });
    expect(stopped(camera)).toBe(true);
    expect(canRejoin({ reason: 'removed' })).toBe(false);
    flow.rejoin();
    // A second report of the same end (the room's exit after the host's End) changes nothing.
    flow.exit({ reason: 'left' });
    expect(flow.getState().phase).toEqual({ kind: 'after', exit: { reason: 'removed' } });
    await flow.join(CHOICE);
    expect(requestJoin).toHaveBeenCalledTimes(1);
    expect(seen).toEqual(['after']);
  });

  it('after leaving, or a failed call, Rejoin goes back to the pre-join to open the devices again', async () => {
    const flowed = setUp();
    const { flow, open } = flowed;
    await enterCall(flowed);
    flow.exit({ reason: 'failed', message: 'Could not rejoin the meeting.' });
    expect(canRejoin({ reason: 'failed', message: '' })).toBe(true);

    flow.rejoin();
    expect(flow.getState()).toEqual({ phase: { kind: 'lobby', joinError: null }, devices: { stream: null, error: null } });
    flow.openDevices(null, null);
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('without a way to ask for devices says so and joins without them', async () => {
    const { flow, joins } = setUp({ devices: { open: null, describeError: () => 'This browser cannot use a camera or microphone here.' } });
    flow.openDevices(null, null);
    expect(flow.getState().devices.error).toBe('This browser cannot use a camera or microphone here.');
    const joined = flow.join(CHOICE);
    expect(flow.getState().phase.kind).toBe('joining');
    joins[0]!.resolve(MESH_JOIN);
    await joined;
    expect(flow.getState().phase).toMatchObject({ kind: 'in-call', media: { stream: null } });
  });
});
