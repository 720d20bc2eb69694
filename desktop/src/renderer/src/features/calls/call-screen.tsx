import { endpoints, memberState, type Call, type JoinMeetingResponse } from '@collaro/shared';
import { useQuery } from '@tanstack/react-query';
import { Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { paths } from '../../app/paths.js';
import { usePresenceLookup } from '../chat/chat-session-hooks.js';
import { useServices } from '../../app/services.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { FullPageSpinner } from '../../ui/spinner.js';
import type { CallCommands, CallExit, CallStatus as RoomStatus, MediaChoice } from '../meetings/call/call-types.js';
import { useCallBridge } from '../meetings/call/use-call-bridge.js';
import { MeshMeetingRoom, StreamMeetingRoom } from '../meetings/call/video-providers.js';
import { useJoinMeeting, useMeeting } from '../meetings/meetings-api.js';
import { describeMediaError } from '../meetings/prejoin/use-media-devices.js';
import { actOnCall, useCalls, usePeopleNames } from './calls-api.js';
import { OutgoingCallBanner, unansweredMessage } from './outgoing-call.js';
import { callKeys } from './query-keys.js';
import '../meetings/meetings.css';
import './calls.css';

/** Camera and microphone if there are both, the microphone alone if not, and nothing rather than no call. */
async function openMedia(): Promise<{ choice: MediaChoice; problem: string | null }> {
  const none: MediaChoice = { stream: null, audioDeviceId: null, videoDeviceId: null, micOn: false, cameraOn: false, audioOutputId: null };
  if (!navigator.mediaDevices?.getUserMedia) return { choice: none, problem: describeMediaError(null) };
  for (const constraints of [{ audio: true, video: { width: { ideal: 1280 }, height: { ideal: 720 } } }, { audio: true }]) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia(constraints);
      const choice = { ...none, stream, micOn: stream.getAudioTracks().length > 0, cameraOn: stream.getVideoTracks().length > 0 };
      return { choice, problem: null };
    } catch (error) {
      if (!('video' in constraints)) return { choice: none, problem: describeMediaError(error) };
    }
  }
  return { choice: none, problem: null };
}

/**
 * `/calls/:callId`: a call started from a direct message, straight into its room (no pre-join:
 * the person already chose to call or answer). Underneath it is the call's meeting, joined through
 * the meetings module's join path and rooms, on whichever video provider the server runs.
 */
export function CallScreen() {
  const { callId = '' } = useParams();
  const { api } = useServices();
  const store = useCalls();
  const fetched = useQuery({ queryKey: callKeys.one(callId), queryFn: ({ signal }) => api.call(endpoints.calls.get, { params: { callId }, signal }) });
  useEffect(() => {
    if (fetched.data) store?.put(fetched.data);
  }, [fetched.data, store]);
  const call = store?.get(callId) ?? fetched.data;
  if (!call) {
    if (fetched.isLoading || !store) return <FullPageSpinner label="Opening the call" />;
    return (
      <main className="full-page-center">
        <div className="card narrow">
          <h1>This call cannot be opened</h1>
          <ErrorBanner error={fetched.error} onRetry={() => void fetched.refetch()} />
          <Link className="button" to={paths.chat}>
            Back to chat
          </Link>
        </div>
      </main>
    );
  }
  return <CallFlow key={call.id} call={call} selfId={store?.selfId ?? ''} />;
}

type Phase = { kind: 'connecting' } | { kind: 'in-call'; join: JoinMeetingResponse; media: MediaChoice } | { kind: 'after'; exit: CallExit };

function CallFlow({ call, selfId }: { call: Call; selfId: string }) {
  const { api } = useServices();
  const store = useCalls();
  const navigate = useNavigate();
  const meeting = useMeeting(call.meetingId);
  const join = useJoinMeeting(call.meetingId);
  const [phase, setPhase] = useState<Phase>({ kind: 'connecting' });
  const [mediaProblem, setMediaProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<RoomStatus | null>(null);
  const commands = useRef<CallCommands | null>(null);
  const media = useRef<MediaStream | null>(null);
  const nameOf = usePeopleNames(call.orgId);
  const presenceOf = usePresenceLookup();
  useCallBridge(call.meetingId, phase.kind === 'in-call' ? (status ?? { muted: false, cameraOff: false, sharing: false }) : null, commands);

  const unanswered = call.status === 'ended' && call.outcome !== null && call.outcome !== 'answered';
  // Nobody answered: let go of the camera and microphone while the outcome is shown.
  useEffect(() => {
    if (!unanswered) return;
    media.current?.getTracks().forEach((track) => track.stop());
    media.current = null;
  }, [unanswered]);

  // Into the room at once: open the devices, then join the call's meeting.
  useEffect(() => {
    let cancelled = false;
    void openMedia().then(({ choice, problem }) => {
      if (cancelled) {
        choice.stream?.getTracks().forEach((track) => track.stop());
        return;
      }
      media.current = choice.stream;
      setMediaProblem(problem);
      join.mutate(undefined, { onSuccess: (response) => !cancelled && setPhase({ kind: 'in-call', join: response, media: choice }) });
    });
    return () => {
      cancelled = true;
      const stream = media.current;
      // Development's StrictMode remounts at once; the devices go only with the screen.
      setTimeout(() => {
        if (cancelled) stream?.getTracks().forEach((track) => track.stop());
      }, 0);
    };
    // `join` is a fresh object every render; joining once per screen is the point.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [call.meetingId]);

  // Leaving the screen (Back, a link, a closed window) while the others are still being rung is hanging up.
  const latest = useRef(call);
  latest.current = call;
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      // Development's StrictMode unmounts and remounts at once: only a real departure cancels.
      setTimeout(() => {
        const current = latest.current;
        if (mounted.current || current.status !== 'ringing' || current.callerId !== selfId) return;
        void actOnCall(api, store, current.id, 'cancel').catch(() => undefined);
      }, 0);
    };
  }, [api, store, selfId]);

  const bindCommands = useCallback((bound: CallCommands | null) => {
    commands.current = bound;
  }, []);
  const onExit = useCallback(
    (exit: CallExit) => {
      media.current?.getTracks().forEach((track) => track.stop());
      media.current = null;
      setStatus(null);
      setPhase({ kind: 'after', exit });
      // Leaving a one-to-one call hangs it up for both; the server decides what a group call does.
      if (exit.reason === 'left') void actOnCall(api, store, call.id, 'hang-up').catch(() => undefined);
    },
    [api, store, call.id],
  );

  const backToConversation = () => void navigate(paths.channel(call.channelId));
  if (unanswered || phase.kind === 'after') {
    const exit = phase.kind === 'after' ? phase.exit : null;
    const title = unanswered
      ? unansweredMessage(call, selfId, nameOf)
      : exit?.reason === 'left'
        ? 'You left the call'
        : exit?.reason === 'failed'
          ? 'The call was interrupted'
          : 'The call has ended';
    return (
      <main className="full-page-center">
        <section className="card narrow after-call" data-testid="call-ended" data-outcome={call.outcome ?? ''}>
          <h1>{title}</h1>
          {exit?.reason === 'failed' ? <p className="banner banner-error">{exit.message}</p> : null}
          <div className="row">
            <button type="button" className="button button-primary" onClick={backToConversation}>
              Back to the conversation
            </button>
          </div>
        </section>
      </main>
    );
  }

  if (phase.kind === 'connecting' || !meeting.data) {
    return (
      <main className="full-page-center">
        <section className="card narrow" aria-busy={!join.error}>
          {join.error ? (
            <>
              <h1>The call could not be joined</h1>
              <ErrorBanner error={join.error} />
              <button type="button" className="button" onClick={backToConversation}>
                Back to the conversation
              </button>
            </>
          ) : (
            <FullPageSpinner label="Connecting to the call" />
          )}
        </section>
      </main>
    );
  }

  const ringingOthers = call.status === 'ringing' && call.callerId === selfId;
  const common = { meeting: meeting.data, media: phase.media, isHost: phase.join.isHost, onStatus: setStatus, bindCommands, onExit };
  return (
    <div className="call-screen" data-testid="call-screen" data-call-status={call.status} data-my-state={memberState(call, selfId) ?? ''}>
      {ringingOthers ? (
        <OutgoingCallBanner call={call} nameOf={nameOf} presenceOf={presenceOf} onCancel={() => actOnCall(api, store, call.id, 'cancel')} />
      ) : null}
      {mediaProblem ? (
        <p className="banner banner-forbidden call-media-problem" role="status">
          {mediaProblem} You are in the call without them.
        </p>
      ) : null}
      <Suspense fallback={<FullPageSpinner label="Connecting to the call" />}>
        {phase.join.provider === 'local' ? <MeshMeetingRoom {...common} join={phase.join} /> : <StreamMeetingRoom {...common} join={phase.join} />}
      </Suspense>
    </div>
  );
}
