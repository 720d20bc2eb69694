import type { LocalJoinResponse, MeetingParticipant, RealtimeClient, ServerFrameOf } from '@collaro/shared';
import { MeshCall, type PreparedOffer } from './client/index.js';
import type { CallExit, MediaChoice } from '../call/call-types.js';
import type { CallParticipant, CallSession, CallSnapshot, CallConnectionState } from '../room/call-session.js';

/** Why the server let this connection go from the room, as the screen after the call says it. */
const REMOVED_EXIT: Record<ServerFrameOf<'meeting.removed'>['reason'], CallExit> = {
  removed_by_host: { reason: 'removed' },
  joined_elsewhere: { reason: 'failed', message: 'You joined this meeting from another window, so this one left the call.' },
  removed_from_organization: { reason: 'failed', message: "You are no longer a member of this meeting's organization, so you left the call." },
};

export interface MeshCallSessionOptions {
  realtime: RealtimeClient;
  join: LocalJoinResponse;
  media: MediaChoice;
  /** Asks the server for a place again (`POST /join`), needed before re-entering after a reconnect. */
  rejoin: () => Promise<LocalJoinResponse>;
  /** The offer made while the join request was on its way (see mesh-join.ts), for the first entry only. */
  prepared?: PreparedOffer | null;
}

/**
 * The room's CallSession on the built-in mesh. It owns the MeshCall (rejoining after the realtime
 * connection comes back, since the server lets go of a room member whose socket closed) and the
 * screen track; the camera and microphone belong to the meeting screen, which stops them on exit.
 */
export function createMeshCallSession({ realtime, join, media, rejoin, prepared = null }: MeshCallSessionOptions): CallSession {
  const localStream = media.stream ?? new MediaStream();
  const listeners = new Set<() => void>();
  let mesh: MeshCall | null = null;
  let offMesh: (() => void)[] = [];
  let roster: MeetingParticipant[] = [];
  const hasMicrophone = localStream.getAudioTracks().length > 0;
  const hasCamera = localStream.getVideoTracks().length > 0;
  // Without a device there is nothing to turn on: the call shows it off, whatever was chosen.
  let muted = !media.micOn || !hasMicrophone;
  let cameraOff = !media.cameraOn || !hasCamera;
  let screenStream: MediaStream | null = null;
  let notice: string | null = null;
  let exit: CallExit | null = null;
  let joined = false;
  let disposed = false;
  let snapshot: CallSnapshot;

  localStream.getAudioTracks().forEach((track) => (track.enabled = !muted));
  localStream.getVideoTracks().forEach((track) => (track.enabled = !cameraOff));

  const connection = (): CallConnectionState => {
    if (exit) return 'disconnected';
    if (realtime.state === 'reconnecting' || (realtime.state === 'connecting' && joined)) return 'reconnecting';
    if (!mesh || mesh.state !== 'joined') return 'connecting';
    return 'connected';
  };

  const nameOf = (userId: string) => roster.find((participant) => participant.userId === userId)?.name ?? 'Someone';

  const build = (): CallSnapshot => {
    const self = roster.find((participant) => participant.userId === join.participantId);
    const me: CallParticipant = {
      id: join.participantId,
      name: self?.name ?? 'You',
      isLocal: true,
      isHost: join.isHost,
      audioMuted: muted,
      videoOff: cameraOff || localStream.getVideoTracks().length === 0,
      camera: localStream.getVideoTracks().length > 0 ? localStream : null,
      screen: screenStream,
      audio: null,
      link: 'connected',
    };
    const others: CallParticipant[] = (mesh?.participants ?? []).map((remote) => ({
      id: remote.userId,
      name: remote.name,
      isLocal: false,
      isHost: remote.isHost,
      audioMuted: remote.audioMuted,
      videoOff: remote.videoMuted,
      camera: remote.stream,
      // The screen's track stays negotiated between shares; it is shown only while they share.
      screen: remote.screenSharing ? remote.screenStream : null,
      audio: remote.stream,
      link: remote.connectionState === 'connected' ? 'connected' : remote.connectionState === 'failed' ? 'failed' : 'connecting',
    }));
    return {
      connection: connection(),
      participants: [me, ...others],
      muted,
      cameraOff,
      hasMicrophone,
      hasCamera,
      sharing: screenStream !== null,
      notice,
      exit,
    };
  };

  const changed = () => {
    snapshot = build();
    for (const listener of listeners) listener();
  };

  const finish = (result: CallExit) => {
    if (exit) return;
    exit = result;
    stopScreen();
    changed();
  };

  const stopScreen = () => {
    screenStream?.getTracks().forEach((track) => track.stop());
    screenStream = null;
  };

  let preparedOffer = prepared;
  const enterRoom = (admitted: LocalJoinResponse) => {
    for (const off of offMesh.splice(0)) off();
    mesh?.leave();
    // Only the first entry can use it: a rejoin comes after a new join request, long after it was made.
    const ahead = preparedOffer;
    preparedOffer = null;
    const call = new MeshCall({
      ...(ahead ? { prepared: ahead } : {}),
      meetingId: join.meetingId,
      selfId: join.participantId,
      iceServers: admitted.iceServers,
      // Offers to those already in the room go out with our meeting.join instead of after its answer.
      participants: admitted.participants,
      signaling: realtime,
      localStream,
    });
    mesh = call;
    offMesh = [
      call.on('state', changed),
      call.on('participants', (list) => {
        roster = list;
        changed();
      }),
      call.on('remote-stream', changed),
      call.on('participant-left', changed),
      call.on('connection-state', changed),
      call.on('mute-requested', ({ byUserId }) => {
        muted = true;
        notice = `${nameOf(byUserId)} muted your microphone. Unmute when you want to speak.`;
        changed();
      }),
      call.on('removed', ({ reason }) => finish(REMOVED_EXIT[reason])),
      call.on('ended', () => finish({ reason: 'ended' })),
    ];
    call.join().then(
      () => {
        joined = true;
        // The room learns our microphone and camera state only once we are in it (one frame, and
        // none when it matches the room's start: unmuted, camera on).
        call.setMedia({ audioMuted: muted, videoMuted: cameraOff });
        const screenTrack = screenStream?.getVideoTracks()[0];
        if (screenTrack) void call.startScreenShare(screenTrack);
        changed();
      },
      (error: unknown) => {
        if (call !== mesh || exit) return;
        finish({ reason: 'failed', message: error instanceof Error ? error.message : 'Could not enter the meeting room.' });
      },
    );
    changed();
  };

  const offRealtime = realtime.onStateChange((state) => {
    if (disposed || exit) return;
    if (state !== 'open') {
      changed();
      return;
    }
    if (mesh === null) {
      enterRoom(join);
      return;
    }
    if (!joined) return;
    // The server let go of us with the old socket: ask for a place again, then enter anew.
    for (const off of offMesh.splice(0)) off();
    // Closes the peer connections of the old room membership before the new one offers again.
    mesh.leave();
    mesh = null;
    changed();
    rejoin().then(
      (renewed) => {
        if (!disposed && !exit) enterRoom(renewed);
      },
      (error: unknown) => finish({ reason: 'failed', message: error instanceof Error ? error.message : 'Could not rejoin the meeting.' }),
    );
  });

  snapshot = build();
  if (realtime.state === 'open') enterRoom(join);

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setMuted(value) {
      if (!hasMicrophone) return;
      muted = value;
      if (mesh?.state === 'joined') mesh.setAudioMuted(value);
      else localStream.getAudioTracks().forEach((track) => (track.enabled = !value));
      notice = null;
      changed();
    },
    setCameraOff(value) {
      if (!hasCamera) return;
      cameraOff = value;
      if (mesh?.state === 'joined') mesh.setVideoMuted(value);
      else localStream.getVideoTracks().forEach((track) => (track.enabled = !value));
      changed();
    },
    async startScreenShare() {
      // In the desktop app the shell answers this with its own source picker.
      const display = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
      const track = display.getVideoTracks()[0];
      if (!track || exit || disposed) {
        display.getTracks().forEach((each) => each.stop());
        return;
      }
      stopScreen();
      screenStream = display;
      track.addEventListener('ended', () => {
        if (screenStream !== display) return;
        screenStream = null;
        changed();
      });
      if (mesh?.state === 'joined') await mesh.startScreenShare(track);
      changed();
    },
    stopScreenShare() {
      if (!screenStream) return;
      stopScreen();
      if (mesh?.state === 'joined') void mesh.stopScreenShare();
      changed();
    },
    muteParticipant(participantId) {
      mesh?.askToMute(participantId);
    },
    removeParticipant(participantId) {
      mesh?.remove(participantId);
    },
    leave() {
      mesh?.leave();
      finish({ reason: 'left' });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      preparedOffer?.discard();
      preparedOffer = null;
      offRealtime();
      for (const off of offMesh.splice(0)) off();
      mesh?.leave();
      mesh = null;
      stopScreen();
      listeners.clear();
    },
  };
}
