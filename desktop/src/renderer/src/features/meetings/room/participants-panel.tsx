import { Avatar } from '../../../ui/avatar.js';
import type { CallParticipant } from './call-session.js';

export function ParticipantsPanel({
  participants,
  canModerate,
  onMute,
  onRemove,
}: {
  participants: CallParticipant[];
  canModerate: boolean;
  onMute: (participantId: string) => void;
  onRemove: (participantId: string) => void;
}) {
  return (
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
            {participant.audioMuted ? '🔇' : '🎙'}
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
  );
}
