import type { Call, PresenceStatus } from '@collaro/shared';
import { useState } from 'react';
import { describeError } from '../../api/api-error.js';

const PRESENCE_HINT: Partial<Record<PresenceStatus, string>> = {
  dnd: 'has do not disturb on',
  offline: 'is offline',
  in_meeting: 'is in another call',
};

function joinNames(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** How a call nobody answered ended, as the caller or a callee reads it. */
export function unansweredMessage(call: Call, selfId: string, nameOf: (userId: string) => string): string {
  const callees = call.members.filter((member) => member.state !== 'caller');
  const declined = callees.filter((member) => member.state === 'declined').map((member) => nameOf(member.userId));
  if (call.callerId !== selfId) return call.outcome === 'cancelled' ? `${nameOf(call.callerId)} cancelled the call` : 'The call has ended';
  if (call.outcome === 'cancelled') return 'You cancelled the call';
  if (call.outcome === 'declined') return `${joinNames(declined)} declined the call`;
  return declined.length > 0 ? `No answer (${joinNames(declined)} declined)` : 'No answer';
}

/** The caller's view while the others are being rung: "Calling Bob…", what is known of them, and Cancel. */
export function OutgoingCallBanner(props: {
  call: Call;
  nameOf: (userId: string) => string;
  presenceOf: (userId: string) => PresenceStatus;
  onCancel: () => Promise<unknown>;
}) {
  const { call, nameOf } = props;
  const [error, setError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const ringing = call.members.filter((member) => member.state === 'ringing');
  const declined = call.members.filter((member) => member.state === 'declined');
  const hints = ringing.flatMap((member) => {
    const hint = PRESENCE_HINT[props.presenceOf(member.userId)];
    return hint ? [`${nameOf(member.userId)} ${hint}`] : [];
  });
  return (
    <section className="outgoing-call card" role="status" aria-live="polite" data-testid="outgoing-call">
      <h2>Calling {joinNames(ringing.map((member) => nameOf(member.userId)))}…</h2>
      {hints.map((hint) => (
        <p key={hint} className="small muted">
          {hint}
        </p>
      ))}
      {declined.length > 0 ? <p className="small muted">{joinNames(declined.map((member) => nameOf(member.userId)))} declined</p> : null}
      {error ? (
        <p className="banner banner-error" role="alert">
          {describeError(error)}
        </p>
      ) : null}
      <button
        type="button"
        className="button button-danger-solid"
        disabled={cancelling}
        onClick={() => {
          setCancelling(true);
          props.onCancel().then(
            () => setCancelling(false),
            (caught: unknown) => {
              setError(caught);
              setCancelling(false);
            },
          );
        }}
      >
        Cancel
      </button>
    </section>
  );
}
