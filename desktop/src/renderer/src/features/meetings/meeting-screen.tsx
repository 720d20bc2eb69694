import type { Meeting } from '@collaro/shared';
import { Suspense, useEffect } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { paths } from '../../app/paths.js';
import { useServices } from '../../app/services.js';
import { useMe } from '../../api/queries.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { FullPageSpinner } from '../../ui/spinner.js';
import type { CallExit } from './call/call-types.js';
import { useCallBridge } from './call/use-call-bridge.js';
import { MeshMeetingRoom, preloadMeshMeetingRoom, StreamMeetingRoom } from './call/video-providers.js';
import { canRejoin, MeetingFlow } from './flow/meeting-flow.js';
import { browserDevices, useMeetingFlow, useMeetingFlowState } from './flow/meeting-flow-hooks.js';
import { prepareMeshOffer, rememberIceServers } from './mesh/mesh-join.js';
import { useJoinMeeting, useMeeting } from './meetings-api.js';
import { formatMeetingTime, STATUS_LABEL } from './meeting-time.js';
import { PreJoin } from './prejoin/pre-join.js';
import './meetings.css';

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
  return <MeetingStages key={meetingId} meeting={meeting.data} userName={me.data?.user.name ?? ''} />;
}

function MeetingStages({ meeting, userName }: { meeting: Meeting; userName: string }) {
  const navigate = useNavigate();
  const { api, config } = useServices();
  const { mutateAsync: requestJoin } = useJoinMeeting(meeting.id);
  const flow = useMeetingFlow(
    () =>
      new MeetingFlow({
        requestJoin: () => requestJoin(),
        devices: browserDevices(),
        // The built-in mesh starts its offer on Join, alongside the join request, not after its answer.
        prepareOffer: config.video === 'local' ? (stream) => prepareMeshOffer(api.baseUrl, stream) : null,
        onJoined: (response) => {
          if (response.provider === 'local') rememberIceServers(api.baseUrl, response.iceServers);
        },
      }),
  );
  const { phase } = useMeetingFlowState(flow);
  useCallBridge(meeting.id, flow.callStatus(), flow.commands);

  const meshJoin = config.video === 'local' && phase.kind !== 'in-call' && phase.kind !== 'after';
  useEffect(() => {
    if (meshJoin) preloadMeshMeetingRoom();
  }, [meshJoin]);

  if (meeting.status === 'ended' || meeting.status === 'cancelled') {
    if (phase.kind !== 'after') return <AfterCall meeting={meeting} exit={{ reason: 'ended' }} onRejoin={null} />;
  }

  switch (phase.kind) {
    case 'lobby':
    case 'awaiting-devices':
    case 'joining':
      return (
        <PreJoin
          title={meeting.title}
          subtitle={`${meeting.kind === 'personal' ? 'Personal room' : formatMeetingTime(meeting)} · ${STATUS_LABEL[meeting.status]}`}
          userName={userName}
          flow={flow}
          onCancel={() => void navigate(paths.meetings)}
        />
      );
    case 'in-call': {
      const common = { meeting, media: phase.media, isHost: phase.join.isHost, onStatus: flow.setStatus, bindCommands: flow.bindCommands, onExit: flow.exit };
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
      return <AfterCall meeting={meeting} exit={phase.exit} onRejoin={canRejoin(phase.exit) ? () => flow.rejoin() : null} />;
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
