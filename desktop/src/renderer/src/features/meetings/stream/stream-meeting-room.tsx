import {
  CallControls,
  CallingState,
  CallParticipantsList,
  PaginatedGridLayout,
  SpeakerLayout,
  StreamCall,
  StreamTheme,
  StreamVideo,
  StreamVideoClient,
  SfuModels,
  useCallStateHooks,
  type Call,
} from '@stream-io/video-react-sdk';
import '@stream-io/video-react-sdk/dist/css/styles.css';
import { endpoints } from '@collaro/shared';
import { useEffect, useState } from 'react';
import { useServices } from '../../../app/services.js';
import { ErrorBanner } from '../../../ui/error-banner.js';
import { FullPageSpinner } from '../../../ui/spinner.js';
import type { StreamRoomProps } from '../call/call-types.js';
import { useMiniWindowSpeaker } from '../call/mini-window-speaker.js';
import { PushToTalkStatus } from '../call/push-to-talk-status.js';
import { useEndMeeting } from '../meetings-api.js';
import { MeetingChatPanel } from '../room/meeting-chat-panel.js';
import { GuestLink } from '../room/participants-panel.js';

/**
 * The meeting room on Stream video, built from Stream's own React components. This module (and
 * with it the SDK) is only imported when a join answers `provider: "stream"`.
 */
export function StreamMeetingRoom({ meeting, join, media, isHost, guest, onStatus, bindCommands, onExit }: StreamRoomProps) {
  const { api } = useServices();
  const [client, setClient] = useState<StreamVideoClient | null>(null);
  const [call, setCall] = useState<Call | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // Stream opens the devices itself; the pre-join preview has done its job.
    media.stream?.getTracks().forEach((track) => track.stop());
    const videoClient = new StreamVideoClient({
      apiKey: join.apiKey,
      // A guest's Stream user is made by the server with their name; it is given again so the call shows it at once.
      user: guest ? { id: join.userId, name: guest.name } : { id: join.userId },
      token: join.token,
      // Tokens last at most an hour; a fresh join hands out a new one for long meetings.
      tokenProvider: async () => {
        const renewed = guest ? await guest.rejoin() : await api.call(endpoints.meetings.join, { params: { id: meeting.id } });
        if (renewed.provider !== 'stream') throw new Error('The meeting is no longer on Stream video');
        return renewed.token;
      },
    });
    const streamCall = videoClient.call(join.callType, join.callId);
    let cancelled = false;
    (async () => {
      if (media.audioDeviceId) await streamCall.microphone.select(media.audioDeviceId);
      if (media.videoDeviceId) await streamCall.camera.select(media.videoDeviceId);
      if (media.audioOutputId) streamCall.speaker.select(media.audioOutputId);
      if (!media.micOn) await streamCall.microphone.disable();
      if (!media.cameraOn) await streamCall.camera.disable();
      await streamCall.join();
      if (!cancelled) {
        setClient(videoClient);
        setCall(streamCall);
      }
    })().catch((reason: unknown) => {
      if (!cancelled) setError(reason instanceof Error ? reason.message : 'Stream video could not connect.');
    });
    const offEnded = streamCall.on('call.ended', () => onExit({ reason: 'ended' }));
    return () => {
      cancelled = true;
      offEnded();
      void streamCall.leave().catch(() => undefined);
      void videoClient.disconnectUser();
    };
  }, [api, guest, join, media, meeting.id, onExit]);

  useEffect(() => {
    if (!call) return;
    bindCommands({
      toggleMute: () => void call.microphone.toggle(),
      setMuted: (muted) => void (muted ? call.microphone.disable() : call.microphone.enable()),
      toggleCamera: () => void call.camera.toggle(),
      stopScreenShare: () => void call.screenShare.disable(),
      leave: () => void call.leave().then(() => onExit({ reason: 'left' })),
    });
    return () => bindCommands(null);
  }, [call, bindCommands, onExit]);

  if (error) {
    return (
      <main className="full-page-center">
        <div className="card narrow" role="alert">
          <h1>Stream video could not connect</h1>
          <p>{error}</p>
          <button type="button" className="button" onClick={() => onExit({ reason: 'failed', message: error })}>
            Back
          </button>
        </div>
      </main>
    );
  }
  if (!client || !call) return <FullPageSpinner label="Connecting to Stream video" />;
  return (
    <StreamVideo client={client}>
      <StreamCall call={call}>
        <StreamTheme className="room stream-room">
          <StreamRoomBody meetingId={meeting.id} title={meeting.title} isHost={isHost} withChat={!guest} onStatus={onStatus} onExit={onExit} />
        </StreamTheme>
      </StreamCall>
    </StreamVideo>
  );
}

function StreamRoomBody({
  meetingId,
  title,
  isHost,
  withChat,
  onStatus,
  onExit,
}: {
  meetingId: string;
  title: string;
  isHost: boolean;
  /**
   * The meeting chat, for members. A guest has none here: the server opens a meeting's chat when
   * someone enters its built-in room, which a Stream meeting never has.
   */
  withChat: boolean;
  onStatus: StreamRoomProps['onStatus'];
  onExit: StreamRoomProps['onExit'];
}) {
  const { useCallCallingState, useMicrophoneState, useCameraState, useScreenShareState, useHasOngoingScreenShare, useDominantSpeaker, useRemoteParticipants } =
    useCallStateHooks();
  const callingState = useCallCallingState();
  const microphone = useMicrophoneState();
  const camera = useCameraState();
  const screenShare = useScreenShareState();
  const someoneShares = useHasOngoingScreenShare();
  const end = useEndMeeting(meetingId);
  const [layout, setLayout] = useState<'grid' | 'speaker'>('grid');
  const [panel, setPanel] = useState<'participants' | 'chat' | null>(null);
  const sharing = screenShare.status === 'enabled';
  const dominant = useDominantSpeaker();
  const remote = useRemoteParticipants();
  const pictured = dominant && !dominant.isLocalParticipant ? dominant : (remote[0] ?? null);
  useMiniWindowSpeaker(
    pictured
      ? {
          name: pictured.name || pictured.userId,
          muted: !pictured.publishedTracks.includes(SfuModels.TrackType.AUDIO),
          camera: pictured.publishedTracks.includes(SfuModels.TrackType.VIDEO) ? (pictured.videoStream ?? null) : null,
        }
      : null,
  );

  useEffect(() => {
    onStatus({ muted: microphone.isMute, cameraOff: camera.isMute, sharing });
  }, [microphone.isMute, camera.isMute, sharing, onStatus]);

  const connection =
    callingState === CallingState.JOINED
      ? 'Connected'
      : callingState === CallingState.RECONNECTING
        ? 'Connection lost, reconnecting…'
        : callingState === CallingState.OFFLINE
          ? 'Offline'
          : 'Connecting…';

  return (
    <>
      <header className="room-header">
        <h1 className="room-title">{title}</h1>
        <span className="connection-pill" role="status" data-testid="connection-state">
          {connection}
        </span>
        {sharing ? (
          <span className="sharing-indicator" role="status">
            ● You are sharing your screen
          </span>
        ) : null}
        <PushToTalkStatus muted={microphone.isMute} />
        <span className="grow" />
        <div className="segmented" role="group" aria-label="Layout">
          <button type="button" aria-pressed={layout === 'grid'} onClick={() => setLayout('grid')}>
            Grid
          </button>
          <button type="button" aria-pressed={layout === 'speaker'} onClick={() => setLayout('speaker')}>
            Speaker
          </button>
        </div>
        <button type="button" className="button button-small" onClick={() => setPanel(panel === 'participants' ? null : 'participants')}>
          Participants
        </button>
        {withChat ? (
          <button type="button" className="button button-small" onClick={() => setPanel(panel === 'chat' ? null : 'chat')}>
            Chat
          </button>
        ) : null}
        {isHost ? (
          <button
            type="button"
            className="button button-small button-danger"
            disabled={end.isPending}
            onClick={() => {
              if (window.confirm('End the meeting for everyone?')) end.mutate(undefined, { onSuccess: () => onExit({ reason: 'ended' }) });
            }}
          >
            End for everyone
          </button>
        ) : null}
      </header>
      <ErrorBanner error={end.error} />
      <div className="room-body">
        <section className="stage">{layout === 'speaker' || someoneShares ? <SpeakerLayout /> : <PaginatedGridLayout />}</section>
        {panel === 'participants' ? (
          <aside className="side-panel">
            <CallParticipantsList onClose={() => setPanel(null)} />
            {isHost ? <GuestLink meetingId={meetingId} /> : null}
          </aside>
        ) : null}
        {panel === 'chat' && withChat ? (
          <aside className="side-panel" aria-label="Meeting chat">
            <MeetingChatPanel meetingId={meetingId} />
          </aside>
        ) : null}
      </div>
      <footer className="controls">
        <CallControls onLeave={() => onExit({ reason: 'left' })} />
      </footer>
    </>
  );
}
