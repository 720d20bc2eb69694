import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { MESSAGE_BODY_MAX_LENGTH, permissionsFor, type Channel, type ChatMessage, type OrgRole } from '@collaro/shared';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useChatStore, useConnectionState, useRealtime } from '../../app/realtime.js';
import { Avatar } from '../../ui/avatar.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Spinner } from '../../ui/spinner.js';
import { useChatApi } from './chat-api.js';
import type { OutgoingMessage } from './chat-store.js';
import type { People } from './chat-screen.js';
import { encodeMentions } from './mentions.js';
import { MessageBody } from './message-body.js';

const QUICK_REACTIONS = ['👍', '🎉', '❤️', '😄', '👀'];
const TYPING_SEND_INTERVAL_MS = 3_000;
const NEAR_BOTTOM_PX = 120;

export function ChannelPane({ channel, title, people, orgRole }: { channel: Channel; title: string; people: People; orgRole: OrgRole }) {
  const store = useChatStore();
  const realtime = useRealtime();
  const connection = useConnectionState();
  const chatApi = useChatApi();
  const view = store?.view(channel.id);
  const [error, setError] = useState<unknown>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const heightBeforeOlder = useRef<number | null>(null);
  const canModerate = permissionsFor(orgRole).has('org:messages:moderate');

  const loadLatest = useCallback(async () => {
    if (!store) return;
    try {
      const page = await chatApi.history(channel.id);
      store.addHistory(channel.id, page.messages, page.hasMore, true);
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  }, [store, channel.id, chatApi]);

  useEffect(() => {
    if (!store) return;
    store.activeChannelId = channel.id;
    if (!store.view(channel.id).loaded) void loadLatest();
    return () => {
      if (store.activeChannelId === channel.id) store.activeChannelId = null;
    };
  }, [store, channel.id, loadLatest]);

  // A `chat.refetch` (too much missed while away) marks the channel unloaded: load it again.
  useEffect(() => {
    if (store && view && !view.loaded && view.messages.length > 0) void loadLatest();
  }, [store, view, loadLatest]);

  const loadOlder = async () => {
    if (!store || !view || loadingOlder || !view.hasOlder) return;
    const oldest = view.messages[0];
    if (!oldest) return;
    setLoadingOlder(true);
    heightBeforeOlder.current = scroller.current?.scrollHeight ?? null;
    try {
      const page = await chatApi.history(channel.id, oldest.seq);
      store.addHistory(channel.id, page.messages, page.hasMore, false);
    } catch (caught) {
      setError(caught);
      heightBeforeOlder.current = null;
    } finally {
      setLoadingOlder(false);
    }
  };

  const messages = view?.messages ?? [];
  const outgoing = view?.outgoing ?? [];
  const newestSeq = messages[messages.length - 1]?.seq ?? 0;

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (heightBeforeOlder.current !== null) {
      // Keep the message the reader was looking at in place while older ones appear above it.
      element.scrollTop += element.scrollHeight - heightBeforeOlder.current;
      heightBeforeOlder.current = null;
    } else if (stickToBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [messages, outgoing.length]);

  useEffect(() => {
    store?.markActiveRead();
  }, [store, newestSeq]);

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') store?.markActiveRead();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [store]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_BOTTOM_PX;
    if (element.scrollTop < 80) void loadOlder();
  };

  const run = async (action: () => Promise<ChatMessage>) => {
    try {
      store?.applyRevision(await action());
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  };

  const byId = new Map(messages.map((m) => [m.id, m]));
  const lastOwn = [...messages].reverse().find((m) => m.authorId === people.selfId && !m.deletedAt);

  return (
    <section className="channel-pane" aria-label={title}>
      <header className="channel-header">
        <h1>{channel.kind === 'dm' ? title : `# ${title}`}</h1>
      </header>
      <ErrorBanner error={error} onRetry={view?.loaded ? undefined : () => void loadLatest()} />
      <div className="message-scroller" ref={scroller} onScroll={onScroll} role="log" aria-label={`Messages in ${title}`} aria-live="polite">
        {view?.hasOlder ? (
          <div className="history-edge">
            {loadingOlder ? (
              <Spinner label="Loading older messages" />
            ) : (
              <button type="button" className="button button-small" onClick={() => void loadOlder()}>
                Load older messages
              </button>
            )}
          </div>
        ) : view?.loaded ? (
          <p className="history-edge muted small">This is the beginning of {channel.kind === 'dm' ? 'your conversation' : `#${title}`}.</p>
        ) : null}
        {!view?.loaded && messages.length === 0 && !error ? <Spinner label="Loading messages" /> : null}
        <ol className="messages">
          {messages.map((message, index) => (
            <MessageItem
              key={message.id}
              message={message}
              parent={message.replyToId ? byId.get(message.replyToId) ?? null : null}
              grouped={isGrouped(messages[index - 1], message)}
              people={people}
              presence={store?.presenceOf(message.authorId) ?? 'offline'}
              canEdit={message.authorId === people.selfId}
              canDelete={message.authorId === people.selfId || canModerate}
              editing={editing === message.id}
              onEditStart={() => setEditing(message.id)}
              onEditEnd={() => setEditing(null)}
              onSaveEdit={(body) => run(() => chatApi.edit(channel.id, message.id, body)).then(() => setEditing(null))}
              onDelete={() => {
                if (window.confirm('Delete this message for everyone?')) void run(() => chatApi.remove(channel.id, message.id));
              }}
              onReact={(emoji, add) => void run(() => chatApi.react(channel.id, message.id, emoji, add))}
              onReply={() => setReplyTo(message)}
            />
          ))}
          {outgoing.map((pending) => (
            <OutgoingItem
              key={pending.clientId}
              pending={pending}
              people={people}
              offline={connection !== 'open'}
              onRetry={() => store?.retry(channel.id, pending.clientId)}
              onDiscard={() => store?.discard(channel.id, pending.clientId)}
            />
          ))}
        </ol>
      </div>
      <TypingIndicator names={(view?.typing ?? []).map(people.nameOf)} />
      <Composer
        key={channel.id}
        channelTitle={channel.kind === 'dm' ? title : `#${title}`}
        replyTo={replyTo}
        replyToName={replyTo ? people.nameOf(replyTo.authorId) : ''}
        onCancelReply={() => setReplyTo(null)}
        onSend={(body) => {
          stickToBottom.current = true;
          store?.send(channel.id, encodeMentions(body, people.members), replyTo?.id);
          setReplyTo(null);
        }}
        onTyping={() => realtime?.client.send({ type: 'typing', channelId: channel.id })}
        onEditLast={() => {
          if (lastOwn) setEditing(lastOwn.id);
        }}
      />
    </section>
  );
}

function isGrouped(previous: ChatMessage | undefined, message: ChatMessage): boolean {
  if (!previous || previous.authorId !== message.authorId || message.replyToId) return false;
  return new Date(message.createdAt).getTime() - new Date(previous.createdAt).getTime() < 5 * 60_000;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function MessageItem(props: {
  message: ChatMessage;
  parent: ChatMessage | null;
  grouped: boolean;
  people: People;
  presence: import('@collaro/shared').PresenceStatus;
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
  const deleted = message.deletedAt !== null;
  return (
    <li className={`message${props.grouped ? ' grouped' : ''}`} data-testid="message" data-message-id={message.id}>
      {props.grouped ? <span className="message-gutter" /> : <Avatar name={author} presence={props.presence} size={36} />}
      <div className="message-main">
        {props.parent || message.replyToId ? (
          <div className="reply-quote">
            ↪ {props.parent ? `${people.nameOf(props.parent.authorId)}: ${props.parent.deletedAt ? 'message deleted' : props.parent.body.slice(0, 120)}` : 'an earlier message'}
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
          {QUICK_REACTIONS.slice(0, 3).map((emoji) => (
            <button key={emoji} type="button" className="icon-button" aria-label={`React with ${emoji}`} onClick={() => props.onReact(emoji, true)}>
              {emoji}
            </button>
          ))}
          <button type="button" className="icon-button" aria-label="Reply" onClick={props.onReply}>
            ↪
          </button>
          <DropdownMenu.Root>
            <DropdownMenu.Trigger className="icon-button" aria-label="More actions">
              ⋯
            </DropdownMenu.Trigger>
            <DropdownMenu.Portal>
              <DropdownMenu.Content className="menu" align="end">
                {QUICK_REACTIONS.slice(3).map((emoji) => (
                  <DropdownMenu.Item key={emoji} className="menu-item" onSelect={() => props.onReact(emoji, true)}>
                    React with {emoji}
                  </DropdownMenu.Item>
                ))}
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

function OutgoingItem({ pending, people, offline, onRetry, onDiscard }: { pending: OutgoingMessage; people: People; offline: boolean; onRetry: () => void; onDiscard: () => void }) {
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
            <button type="button" className="button button-small" onClick={onRetry}>
              Retry
            </button>
            <button type="button" className="button button-small button-ghost" onClick={onDiscard}>
              Discard
            </button>
          </div>
        ) : null}
      </div>
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
      <textarea aria-label="Edit message" value={body} onChange={(e) => setBody(e.target.value)} onKeyDown={onKeyDown} autoFocus maxLength={MESSAGE_BODY_MAX_LENGTH} rows={Math.min(8, body.split('\n').length + 1)} />
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

function TypingIndicator({ names }: { names: string[] }) {
  const text =
    names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…` : names.length === 2 ? `${names[0]} and ${names[1]} are typing…` : 'Several people are typing…';
  return (
    <div className="typing-indicator" aria-live="polite" data-testid="typing-indicator">
      {text}
    </div>
  );
}

function Composer(props: {
  channelTitle: string;
  replyTo: ChatMessage | null;
  replyToName: string;
  onCancelReply: () => void;
  onSend: (body: string) => void;
  onTyping: () => void;
  onEditLast: () => void;
}) {
  const [body, setBody] = useState('');
  const lastTypingSent = useRef(0);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (props.replyTo) input.current?.focus();
  }, [props.replyTo]);

  const send = () => {
    if (!body.trim()) return;
    props.onSend(body);
    setBody('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    } else if (event.key === 'ArrowUp' && body === '') {
      event.preventDefault();
      props.onEditLast();
    } else if (event.key === 'Escape' && props.replyTo) {
      props.onCancelReply();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {props.replyTo ? (
        <div className="replying-to">
          <span>
            Replying to <strong>{props.replyToName}</strong>: {props.replyTo.body.slice(0, 80)}
          </span>
          <button type="button" className="icon-button" aria-label="Cancel reply" onClick={props.onCancelReply}>
            ×
          </button>
        </div>
      ) : null}
      <div className="composer-row">
        <textarea
          ref={input}
          aria-label={`Message ${props.channelTitle}`}
          placeholder={`Message ${props.channelTitle}`}
          value={body}
          maxLength={MESSAGE_BODY_MAX_LENGTH}
          rows={Math.min(8, body.split('\n').length)}
          onChange={(event) => {
            setBody(event.target.value);
            const now = Date.now();
            if (event.target.value && now - lastTypingSent.current > TYPING_SEND_INTERVAL_MS) {
              lastTypingSent.current = now;
              props.onTyping();
            }
          }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="button button-primary" disabled={!body.trim()}>
          Send
        </button>
      </div>
      <p className="composer-hint muted small">Markdown and ```code``` supported · @Name mentions · Enter to send · Shift+Enter for a new line</p>
    </form>
  );
}
