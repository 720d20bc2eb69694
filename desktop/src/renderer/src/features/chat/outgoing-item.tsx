import { Avatar } from '../../ui/avatar.js';
import type { OutgoingMessage } from './chat-session.js';
import { MessageBody } from './message-body.js';
import type { People } from './people.js';

/** A message of the viewer's the server has not stored yet: sending (or waiting for the connection), or failed with Retry and Discard. */
export function OutgoingItem({
  pending,
  people,
  offline,
  onRetry,
  onDiscard,
}: {
  pending: OutgoingMessage;
  people: People;
  offline: boolean;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  return (
    <li className={`message outgoing ${pending.state}`} data-testid="outgoing-message" data-state={pending.state}>
      <Avatar name={people.nameOf(people.selfId)} size={36} />
      <div className="message-main">
        <div className="message-meta">
          <strong>{people.nameOf(people.selfId)}</strong>
          <span className="small outgoing-state" role="status">
            {pending.state === 'sending' ? (offline ? 'Waiting for connection…' : 'Sending…') : `Failed: ${pending.error ?? 'not sent'}`}
          </span>
        </div>
        <MessageBody body={pending.body} nameOf={people.nameOf} />
        {pending.state === 'failed' ? (
          <div className="row">
            {pending.retryable === false ? null : (
              <button type="button" className="button button-small" onClick={onRetry}>
                Retry
              </button>
            )}
            <button type="button" className="button button-small button-ghost" onClick={onDiscard}>
              Discard
            </button>
          </div>
        ) : null}
      </div>
    </li>
  );
}
