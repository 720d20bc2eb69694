import type { JoinMeetingResponse, Meeting } from '@collaro/shared';
import { Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { paths } from '../../app/paths.js';
import { useServices } from '../../app/services.js';
import { useMe } from '../../api/queries.js';
import type { PreparedOffer } from './mesh/client/index.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { FullPageSpinner } from '../../ui/spinner.js';
import type { CallCommands, CallExit, CallStatus, MediaChoice } from './call/call-types.js';
import { useCallBridge } from './call/use-call-bridge.js';
import { MeshMeetingRoom, preloadMeshMeetingRoom, StreamMeetingRoom } from './call/video-providers.js';
import { prepareMeshOffer, rememberIceServers } from './mesh/mesh-join.js';
import { useJoinMeeting, useMeeting } from './meetings-api.js';
import { formatMeetingTime, STATUS_LABEL } from './meeting-time.js';
import { PreJoin } from './prejoin/pre-join.js';
import './meetings.css';

type Phase =
  { kind: 'prejoin' } | { kind: 'in-call'; join: JoinMeetingResponse; media: MediaChoice; prepared: PreparedOffer | null } | { kind: 'after'; exit: CallExit };

/** `/meetings/:meetingId`, where deep links, the tray and invite links land: pre-join, then the room. */
export function MeetingScreen() {
  const { meetingId = '' } = useParams();
  const meeting = useMeeting(meetingId);
  const me = useMe();
  if (meeting.isLoading || me.isLoading) return <FullPageSpinner label="Opening the meeting" />;
  if (meeting.error || !meeting.data) {
    return (
      <main className="full-page-center">
        <div className="card narrow">
          <h1>This meeting cannot be opened</h1>
          <ErrorBanner error={meeting.error} onRetry={() => void meeting.refetch()} />
          <Link className="button" to={paths.meetings}>
            Back to meetings
          </Link>
        </div>
      </main>
    );
  }
  return <MeetingFlow key={meetingId} meeting={meeting.data} userName={me.data?.user.name ?? ''} />;
}

function MeetingFlow({ meeting, userName }: { meeting: Meeting; userName: string }) {
  const navigate = useNavigate();
  const { api, config } = useServices();
  const join = useJoinMeeting(meeting.id);
  // Made on Join, before the server answers; the room's mesh takes it, or it is closed here.
  const prepared = useRef<PreparedOffer | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'prejoin' });
  const [status, setStatus] = useState<CallStatus | null>(null);
  const commands = useRef<CallCommands | null>(null);
  // The camera and microphone opened on the pre-join belong to this screen until the call is over.
  const media = useRef<MediaStream | null>(null);
  const mounted = useRef(true);
  useCallBridge(meeting.id, phase.kind === 'in-call' ? (status ?? { muted: false, cameraOff: false, sharing: false }) : null, commands);

  const bindCommands = useCallback((bound: CallCommands | null) => {
    commands.current = bound;
  }, []);
  const onExit = useCallback((exit: CallExit) => {
    media.current?.getTracks().forEach((track) => track.stop());
    media.current = null;
    setStatus(null);
    setPhase({ kind: 'after', exit });
  }, []);

  const meshJoin = config.video === 'local' && phase.kind === 'prejoin';
  useEffect(() => {
    if (meshJoin) preloadMeshMeetingRoom();
  }, [meshJoin]);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      prepared.current?.discard();
      const stream = media.current;
      // Development's StrictMode unmounts and remounts at once; only a real unmount lets go of the devices.
      setTimeout(() => {
        if (!mounted.current) stream?.getTracks().forEach((track) => track.stop());
      }, 0);
    };
  }, []);

  if (meeting.status === 'ended' || meeting.status === 'cancelled') {
    if (phase.kind !== 'after') return <AfterCall meeting={meeting} exit={{ reason: 'ended' }} onRejoin={null} />;
  }

  switch (phase.kind) {
    case 'prejoin':
      return (
        <PreJoin
          title={meeting.title}
          subtitle={`${meeting.kind === 'personal' ? 'Personal room' : formatMeetingTime(meeting)} · ${STATUS_LABEL[meeting.status]}`}
          userName={userName}
          joining={join.isPending}
          joinError={join.error}
          onCancel={() => void navigate(paths.meetings)}
          onJoin={(choice) => {
            prepared.current?.discard();
            // The built-in mesh starts its offer now, alongside the join request, not after its answer.
            const ahead = config.video === 'local' ? prepareMeshOffer(api.baseUrl, choice.stream) : null;
            prepared.current = ahead;
            join.mutate(undefined, {
              onSuccess: (response) => {
                media.current = choice.stream;
                if (response.provider === 'local') rememberIceServers(api.baseUrl, response.iceServers);
                else ahead?.discard();
                setPhase({ kind: 'in-call', join: response, media: choice, prepared: response.provider === 'local' ? ahead : null });
              },
              onError: () => ahead?.discard(),
            });
          }}
        />
      );
    case 'in-call': {
      const common = { meeting, media: phase.media, isHost: phase.join.isHost, onStatus: setStatus, bindCommands, onExit };
      return (
        <Suspense fallback={<FullPageSpinner label="Connecting to the call" />}>
          {phase.join.provider === 'local' ? (
            <MeshMeetingRoom {...common} join={phase.join} prepared={phase.prepared} />
          ) : (
            <StreamMeetingRoom {...common} join={phase.join} />
          )}
        </Suspense>
      );
    }
    case 'after':
      return (
        <AfterCall
          meeting={meeting}
          exit={phase.exit}
          onRejoin={phase.exit.reason === 'left' || phase.exit.reason === 'failed' ? () => setPhase({ kind: 'prejoin' }) : null}
        />
      );
  }
}

const EXIT_TITLE: Record<CallExit['reason'], string> = {
  left: 'You left the meeting',
  ended: 'The meeting has ended',
  removed: 'The host removed you from the meeting',
  failed: 'The call was interrupted',
};

function AfterCall({ meeting, exit, onRejoin }: { meeting: Meeting; exit: CallExit; onRejoin: (() => void) | null }) {
  return (
    <main className="full-page-center">
      <section className="card narrow after-call" data-testid="after-call" data-reason={exit.reason}>
        <h1>{EXIT_TITLE[exit.reason]}</h1>
        <p className="muted">
          {meeting.title}
          {meeting.status === 'cancelled' ? ' was cancelled.' : ''}
        </p>
        {exit.reason === 'failed' ? <p className="banner banner-error">{exit.message}</p> : null}
        <div className="row">
          {onRejoin ? (
            <button type="button" className="button button-primary" onClick={onRejoin}>
              Rejoin
            </button>
          ) : null}
          <Link className="button" to={paths.meetings}>
            Meetings
          </Link>
          <Link className="button button-ghost" to={paths.home}>
            Home
          </Link>
        </div>
      </section>
    </main>
  );
}
