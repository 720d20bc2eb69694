import { describeCallLine, type ChatMessage, type SystemEvent } from '@collaro/shared';
import { PhoneMissed, PhoneIncoming } from 'lucide-react';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** A line Collaro wrote in a conversation (a declined or missed call), shown as an event rather than as someone's message. */
export function CallLineItem({ message, line, nameOf }: { message: ChatMessage; line: SystemEvent; nameOf: (userId: string) => string }) {
  const unanswered = line.outcome !== 'answered';
  return (
    <li className={`message system-line${unanswered ? ' missed' : ''}`} data-testid="call-line" data-outcome={line.outcome} data-message-id={message.id}>
      {unanswered ? <PhoneMissed size={14} aria-hidden className="system-line-icon" /> : <PhoneIncoming size={14} aria-hidden className="system-line-icon" />}
      <span className="system-line-text">{describeCallLine(line, nameOf)}</span>
      <time dateTime={message.createdAt} className="muted small">
        {timeFormat.format(new Date(message.createdAt))}
      </time>
    </li>
  );
}
