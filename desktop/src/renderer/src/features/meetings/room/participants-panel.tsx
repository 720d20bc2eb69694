import { useEffect } from 'react';
import { Avatar } from '../../../ui/avatar.js';
import { ErrorBanner } from '../../../ui/error-banner.js';
import { CopyButton } from '../copy-button.js';
import { useCreateGuestLink, useLiftRemoval, useMeetingRemovals } from '../meetings-api.js';
import type { CallParticipant } from './call-session.js';
import { Mic, MicOff } from 'lucide-react';

export function ParticipantsPanel({
  meetingId,
  participants,
  canModerate,
  onMute,
  onRemove,
}: {
  meetingId: string;
  participants: CallParticipant[];
  canModerate: boolean;
  onMute: (participantId: string) => void;
  onRemove: (participantId: string) => void;
}) {
  return (
    <div className="participants-panel">
      <ul className="participants" aria-label="People in the call">
        {participants.map((participant) => (
          <li key={participant.id} className="participant-row" data-testid="participant">
            <Avatar name={participant.name} size={28} />
            <span className="grow">
              {participant.name}
              {participant.isLocal ? <span className="muted"> (you)</span> : null}
              {participant.isHost ? <span className="muted small"> · host</span> : null}
              {participant.link === 'connecting' ? <span className="muted small"> · connecting…</span> : null}
              {participant.link === 'failed' ? <span className="field-error small"> · no connection</span> : null}
            </span>
            <span className="small muted" aria-label={participant.audioMuted ? 'Microphone off' : 'Microphone on'}>
              {participant.audioMuted ? <MicOff size={16} aria-hidden="true" /> : <Mic size={16} aria-hidden="true" />}
            </span>
            {canModerate && !participant.isLocal ? (
              <span className="row">
                <button type="button" className="button button-small" disabled={participant.audioMuted} onClick={() => onMute(participant.id)}>
                  Mute
                </button>
                <button
                  type="button"
                  className="button button-small button-danger"
                  onClick={() => {
                    if (window.confirm(`Remove ${participant.name} from the call?`)) onRemove(participant.id);
                  }}
                >
                  Remove
                </button>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {canModerate ? <GuestLink meetingId={meetingId} /> : null}
      {canModerate ? <RemovedPeople meetingId={meetingId} roster={participants.map((participant) => participant.id).join(',')} /> : null}
    </div>
  );
}

/** The host lets people without an account in: a link for this meeting that dies when it ends. */
export function GuestLink({ meetingId }: { meetingId: string }) {
  const create = useCreateGuestLink(meetingId);
  return (
    <section className="removed-people" aria-label="Guests">
      <h3 className="small">Guests</h3>
      {create.data ? (
        <div className="row">
          <input
            className="grow"
            readOnly
            value={create.data.url}
            aria-label="Guest link"
            data-testid="guest-link"
            onFocus={(event) => event.currentTarget.select()}
          />
          <CopyButton text={create.data.url} label="Copy" />
        </div>
      ) : (
        <button type="button" className="button button-small" onClick={() => create.mutate()} disabled={create.isPending}>
          Create guest link
        </button>
      )}
      <p className="muted small">Anyone with the guest link can join this meeting without an account, until the meeting ends.</p>
      <ErrorBanner error={create.error} />
    </section>
  );
}

/** The host's list of people removed from this session, each with a way to let them back in. */
function RemovedPeople({ meetingId, roster }: { meetingId: string; roster: string }) {
  const removals = useMeetingRemovals(meetingId, true);
  const lift = useLiftRemoval(meetingId);
  const { refetch } = removals;
  // A removal shows up as someone leaving the room: look again whenever the room changes.
  useEffect(() => {
    void refetch();
  }, [roster, refetch]);
  const list = removals.data?.removals ?? [];
  if (list.length === 0 && !lift.error) return null;
  return (
    <section className="removed-people" aria-label="Removed from this session">
      <h3 className="small muted">Removed from this session</h3>
      <ErrorBanner error={lift.error} />
      <ul className="participants">
        {list.map((removal) => (
          <li key={removal.userId} className="participant-row" data-testid="removed-person">
            <Avatar name={removal.name} size={28} />
            <span className="grow">{removal.name}</span>
            <button type="button" className="button button-small" disabled={lift.isPending} onClick={() => lift.mutate(removal.userId)}>
              Let back in
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
