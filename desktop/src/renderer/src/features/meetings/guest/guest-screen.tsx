import { endpoints, type GuestEntry } from '@collaro/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { useServices } from '../../../app/services.js';
import { ErrorBanner } from '../../../ui/error-banner.js';
import { FullPageSpinner } from '../../../ui/spinner.js';
import type { CallExit } from '../call/call-types.js';
import { canRejoin, MeetingFlow } from '../flow/meeting-flow.js';
import { browserDevices, useMeetingFlow, useMeetingFlowState } from '../flow/meeting-flow-hooks.js';
import { prepareMeshOffer, rememberIceServers } from '../mesh/mesh-join.js';
import { PreJoin } from '../prejoin/pre-join.js';
import { guestApiClient, savedGuestEntry, saveGuestEntry } from './guest-api.js';
import { GuestRoom, GuestStreamRoom } from './guest-room.js';
import '../meetings.css';
import { meetingKeys } from '../query-keys.js';

/**
 * `/guest/:token`, a host's guest link: someone without an account gives a name, then goes through
 * the pre-join into the meeting's room, with its chat and nothing else of the organization.
 */
export function GuestScreen() {
  const { token = '' } = useParams();
  const { api } = useServices();
  const [entry, setEntry] = useState<GuestEntry | null>(() => savedGuestEntry(token));
  const info = useQuery({
    queryKey: meetingKeys.guestLink(token),
    queryFn: ({ signal }) => api.call(endpoints.guests.linkInfo, { params: { token }, signal }),
    enabled: entry === null,
    retry: false,
  });
  const [name, setName] = useState('');
  const enter = useMutation({
    mutationFn: () => api.call(endpoints.guests.enter, { params: { token }, body: { name }, anonymous: true }),
    onSuccess: (created) => {
      saveGuestEntry(token, created);
      setEntry(created);
    },
  });

  if (entry)
    return (
      <GuestMeeting
        linkToken={token}
        entry={entry}
        onGone={() => {
          saveGuestEntry(token, null);
          setEntry(null);
        }}
      />
    );
  if (info.isLoading) return <FullPageSpinner label="Opening the meeting" />;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    enter.mutate();
  };
  return (
    <main className="full-page-center">
      <section className="card narrow" aria-labelledby="guest-title">
        {info.data ? (
          <>
            <h1 id="guest-title">{info.data.meetingTitle}</h1>
            <p className="muted">{info.data.hostName} invited you to this meeting as a guest. You need no account: tell the others your name.</p>
            <form onSubmit={submit} className="stack">
              <label className="field">
                Your name
                <input value={name} onChange={(event) => setName(event.target.value)} maxLength={80} autoFocus autoComplete="name" />
              </label>
              <ErrorBanner error={enter.error} />
              <button type="submit" className="button button-primary" disabled={enter.isPending || name.trim() === ''}>
                {enter.isPending ? 'Joining…' : 'Continue'}
              </button>
            </form>
          </>
        ) : (
          <>
            <h1 id="guest-title">This guest link does not work</h1>
            <ErrorBanner error={info.error} />
          </>
        )}
      </section>
    </main>
  );
}

const EXIT_TITLE: Record<CallExit['reason'], string> = {
  left: 'You left the meeting',
  ended: 'The meeting has ended',
  removed: 'The host removed you from the meeting',
  failed: 'The call was interrupted',
};

function GuestMeeting({ linkToken, entry, onGone }: { linkToken: string; entry: GuestEntry; onGone: () => void }) {
  const { api: memberApi } = useServices();
  const api = useMemo(() => guestApiClient(memberApi.baseUrl, entry.token), [memberApi.baseUrl, entry.token]);
  const { mutateAsync: requestJoin } = useMutation({
    mutationFn: () => api.call(endpoints.guests.join),
  });
  const flow = useMeetingFlow(
    () =>
      new MeetingFlow({
        requestJoin: () => requestJoin(),
        devices: browserDevices(),
        // As for members: the offer is made while the join request is on its way. A guest cannot
        // know the meeting's video provider before it answers; on Stream the offer goes unused.
        prepareOffer: (stream) => prepareMeshOffer(api.baseUrl, stream),
        onJoined: (response) => {
          if (response.provider === 'local') rememberIceServers(api.baseUrl, response.iceServers);
        },
      }),
  );
  const { phase } = useMeetingFlowState(flow);
  // Once the meeting is over the guest token is dead: forgotten before the screen after the call
  // shows, so that opening the link again (even at once) says it no longer works.
  const exit = useCallback(
    (ended: CallExit) => {
      if (ended.reason === 'ended') saveGuestEntry(linkToken, null);
      flow.exit(ended);
    },
    [flow, linkToken],
  );

  switch (phase.kind) {
    case 'lobby':
    case 'awaiting-devices':
    case 'joining':
      return <PreJoin title={entry.meeting.title} subtitle="You are joining as a guest" userName={entry.name} flow={flow} onCancel={onGone} />;
    case 'in-call':
      return phase.join.provider === 'local' ? (
        <GuestRoom api={api} entry={entry} join={phase.join} media={phase.media} prepared={phase.prepared} onExit={exit} />
      ) : (
        <GuestStreamRoom api={api} entry={entry} join={phase.join} media={phase.media} onExit={exit} />
      );
    case 'after':
      return (
        <main className="full-page-center">
          <section className="card narrow after-call" data-testid="after-call" data-reason={phase.exit.reason}>
            <h1>{EXIT_TITLE[phase.exit.reason]}</h1>
            <p className="muted">{entry.meeting.title}</p>
            {phase.exit.reason === 'failed' ? <p className="banner banner-error">{phase.exit.message}</p> : null}
            {canRejoin(phase.exit) ? (
              <button type="button" className="button button-primary" onClick={() => flow.rejoin()}>
                Rejoin
              </button>
            ) : null}
          </section>
        </main>
      );
  }
}
