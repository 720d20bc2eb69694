import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { MESSAGE_BODY_MAX_LENGTH, type ChatMessage } from '@collaro/shared';
import { CornerUpLeft, Ellipsis } from 'lucide-react';
import { useState, type KeyboardEvent } from 'react';
import { Avatar } from '../../ui/avatar.js';
import { usePresence } from './chat-session-hooks.js';
import type { People } from './people.js';
import { MessageBody } from './message-body.js';
import { ReactionPicker } from './reaction-picker.js';

/** One tap for the most common reaction; every other emoji through the picker. */
const QUICK_REACTION = '👍';

export function isGrouped(previous: ChatMessage | undefined, message: ChatMessage): boolean {
  if (!previous || previous.system || previous.authorId !== message.authorId || message.replyToId) return false;
  if (!sameDay(new Date(previous.createdAt), new Date(message.createdAt))) return false;
  return new Date(message.createdAt).getTime() - new Date(previous.createdAt).getTime() < 5 * 60_000;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "Today", "Yesterday" or the full date, in the reader's time zone. */
export function dayLabel(date: Date, now = new Date()): string {
  if (sameDay(date, now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(date, yesterday)) return 'Yesterday';
  return dayFormat.format(date);
}

/** A separator before the first message of each day in the history. */
export function DaySeparator({ previous, message }: { previous: ChatMessage | undefined; message: ChatMessage }) {
  const date = new Date(message.createdAt);
  if (previous && sameDay(new Date(previous.createdAt), date)) return null;
  return (
    <li className="day-separator" data-testid="day-separator">
      <span role="separator" aria-label={dayLabel(date)}>
        {dayLabel(date)}
      </span>
    </li>
  );
}

export function MessageItem(props: {
  message: ChatMessage;
  parent: ChatMessage | null;
  grouped: boolean;
  people: People;
  canEdit: boolean;
  canDelete: boolean;
  editing: boolean;
  onEditStart: () => void;
  onEditEnd: () => void;
  onSaveEdit: (body: string) => Promise<void>;
  onDelete: () => void;
  onReact: (emoji: string, add: boolean) => void;
  onReply: () => void;
}) {
  const { message, people } = props;
  const author = people.nameOf(message.authorId);
  const presence = usePresence(message.authorId);
  const deleted = message.deletedAt !== null;
  const [picking, setPicking] = useState(false);
  return (
    <li className={`message${props.grouped ? ' grouped' : ''}${picking ? ' picking' : ''}`} data-testid="message" data-message-id={message.id}>
      {props.grouped ? <span className="message-gutter" /> : <Avatar name={author} presence={presence} size={36} />}
      <div className="message-main">
        {props.parent || message.replyToId ? (
          <div className="reply-quote">
            <CornerUpLeft size={12} aria-hidden="true" />{' '}
            {props.parent
              ? `${people.nameOf(props.parent.authorId)}: ${props.parent.deletedAt ? 'message deleted' : props.parent.body.slice(0, 120)}`
              : 'an earlier message'}
          </div>
        ) : null}
        {!props.grouped || props.parent ? (
          <div className="message-meta">
            <strong>{author}</strong>
            <time dateTime={message.createdAt} className="muted small">
              {timeFormat.format(new Date(message.createdAt))}
            </time>
          </div>
        ) : null}
        {deleted ? (
          <p className="muted deleted">This message was deleted.</p>
        ) : props.editing ? (
          <EditBox initial={message.body} onSave={props.onSaveEdit} onCancel={props.onEditEnd} />
        ) : (
          <>
            <MessageBody body={message.body} nameOf={people.nameOf} />
            {message.editedAt ? <span className="muted small"> (edited)</span> : null}
          </>
        )}
        {!deleted && message.reactions.length > 0 ? (
          <div className="reactions">
            {message.reactions.map((reaction) => {
              const mine = reaction.userIds.includes(people.selfId);
              return (
                <button
                  key={reaction.emoji}
                  type="button"
                  className={`reaction${mine ? ' mine' : ''}`}
                  aria-pressed={mine}
                  title={reaction.userIds.map(people.nameOf).join(', ')}
                  onClick={() => props.onReact(reaction.emoji, !mine)}
                >
                  {reaction.emoji} {reaction.userIds.length}
                </button>
              );
            })}
          </div>
        ) : null}
      </div>
      {!deleted && !props.editing ? (
        <div className="message-actions">
          <button type="button" className="icon-button" aria-label={`React with ${QUICK_REACTION}`} onClick={() => props.onReact(QUICK_REACTION, true)}>
            {QUICK_REACTION}
          </button>
          <ReactionPicker open={picking} onOpenChange={setPicking} onPick={(emoji) => props.onReact(emoji, true)} />
          <button type="button" className="icon-button" aria-label="Reply" title="Reply" onClick={props.onReply}>
            <CornerUpLeft size={16} aria-hidden="true" />
          </button>
          <DropdownMenu.Root>
            <DropdownMenu.Trigger className="icon-button" aria-label="More actions" title="More actions">
              <Ellipsis size={16} aria-hidden="true" />
            </DropdownMenu.Trigger>
            <DropdownMenu.Portal>
              <DropdownMenu.Content className="menu" align="end">
                <DropdownMenu.Item className="menu-item" onSelect={() => void navigator.clipboard?.writeText(message.body)}>
                  Copy text
                </DropdownMenu.Item>
                {props.canEdit ? (
                  <DropdownMenu.Item className="menu-item" onSelect={props.onEditStart}>
                    Edit
                  </DropdownMenu.Item>
                ) : null}
                {props.canDelete ? (
                  <DropdownMenu.Item className="menu-item danger" onSelect={props.onDelete}>
                    Delete
                  </DropdownMenu.Item>
                ) : null}
              </DropdownMenu.Content>
            </DropdownMenu.Portal>
          </DropdownMenu.Root>
        </div>
      ) : null}
    </li>
  );
}

function EditBox({ initial, onSave, onCancel }: { initial: string; onSave: (body: string) => Promise<void>; onCancel: () => void }) {
  const [body, setBody] = useState(initial);
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') onCancel();
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      if (body.trim()) void onSave(body);
    }
  };
  return (
    <div className="edit-box">
      <textarea
        aria-label="Edit message"
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={onKeyDown}
        autoFocus
        maxLength={MESSAGE_BODY_MAX_LENGTH}
        rows={Math.min(8, body.split('\n').length + 1)}
      />
      <div className="row small muted">
        <button type="button" className="button button-small button-primary" disabled={!body.trim()} onClick={() => void onSave(body)}>
          Save
        </button>
        <button type="button" className="button button-small" onClick={onCancel}>
          Cancel
        </button>
        Enter to save · Esc to cancel
      </div>
    </div>
  );
}
