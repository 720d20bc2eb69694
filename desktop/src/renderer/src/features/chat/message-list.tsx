import type { Channel, ChatMessage } from '@collaro/shared';
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { Spinner } from '../../ui/spinner.js';
import { CallLineItem } from '../calls/call-line.js';
import { useChatApi } from './chat-api.js';
import type { ChannelView } from './chat-session.js';
import { useChatSession, useConnectionState } from './chat-session-hooks.js';
import { DaySeparator, isGrouped, MessageItem } from './message-item.js';
import { OutgoingItem } from './outgoing-item.js';
import type { People } from './people.js';

const NEAR_BOTTOM_PX = 120;

/**
 * A channel's scrolling history: older pages load when the reader reaches the top (keeping their
 * place), the list follows new messages while the reader is at the bottom (`stickToBottom`), and
 * each message offers edit, delete, react and reply.
 */
export function MessageList({
  channel,
  title,
  view,
  people,
  canModerate,
  error,
  onError,
  onLoadOlder,
  editing,
  onEditingChange,
  onReply,
  stickToBottom,
}: {
  channel: Channel;
  title: string;
  view: ChannelView;
  people: People;
  canModerate: boolean;
  /** The pane's current error: while there is one, no "Loading messages" spinner. */
  error: unknown;
  /** A failed command or page, or null once a command succeeds. */
  onError: (error: unknown) => void;
  /** Loads the page of messages before `seq` into the session; throws when it cannot. */
  onLoadOlder: (seq: number) => Promise<void>;
  editing: string | null;
  onEditingChange: (messageId: string | null) => void;
  onReply: (message: ChatMessage) => void;
  stickToBottom: RefObject<boolean>;
}) {
  const session = useChatSession();
  const connection = useConnectionState();
  const chatApi = useChatApi();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const heightBeforeOlder = useRef<number | null>(null);
  const { messages, outgoing } = view;

  const loadOlder = async () => {
    if (!session || loadingOlder || !view.hasOlder) return;
    const oldest = messages[0];
    if (!oldest) return;
    setLoadingOlder(true);
    heightBeforeOlder.current = scroller.current?.scrollHeight ?? null;
    try {
      await onLoadOlder(oldest.seq);
    } catch (caught) {
      onError(caught);
      heightBeforeOlder.current = null;
    } finally {
      setLoadingOlder(false);
    }
  };

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
  }, [messages, outgoing.length, stickToBottom]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_BOTTOM_PX;
    if (element.scrollTop < 80) void loadOlder();
  };

  const run = async (action: () => Promise<ChatMessage>) => {
    try {
      session?.applyRevision(await action());
      onError(null);
    } catch (caught) {
      onError(caught);
    }
  };

  const byId = new Map(messages.map((m) => [m.id, m]));

  return (
    <div className="message-scroller" ref={scroller} onScroll={onScroll} role="log" aria-label={`Messages in ${title}`} aria-live="polite">
      {view.hasOlder ? (
        <div className="history-edge">
          {loadingOlder ? (
            <Spinner label="Loading older messages" />
          ) : (
            <button type="button" className="button button-small" onClick={() => void loadOlder()}>
              Load older messages
            </button>
          )}
        </div>
      ) : view.loaded ? (
        <p className="history-edge muted small">This is the beginning of {channel.kind === 'dm' ? 'your conversation' : `#${title}`}.</p>
      ) : null}
      {!view.loaded && messages.length === 0 && !error ? <Spinner label="Loading messages" /> : null}
      <ol className="messages">
        {messages.map((message, index) => [
          <DaySeparator key={`day-${message.id}`} previous={messages[index - 1]} message={message} />,
          message.system ? (
            <CallLineItem key={message.id} message={message} line={message.system} nameOf={people.nameOf} />
          ) : (
            <MessageItem
              key={message.id}
              message={message}
              parent={message.replyToId ? (byId.get(message.replyToId) ?? null) : null}
              grouped={isGrouped(messages[index - 1], message)}
              people={people}
              canEdit={message.authorId === people.selfId}
              canDelete={message.authorId === people.selfId || canModerate}
              editing={editing === message.id}
              onEditStart={() => onEditingChange(message.id)}
              onEditEnd={() => onEditingChange(null)}
              onSaveEdit={(body) => run(() => chatApi.edit(message.id, body)).then(() => onEditingChange(null))}
              onDelete={() => {
                if (window.confirm('Delete this message for everyone?')) void run(() => chatApi.remove(message.id));
              }}
              onReact={(emoji, add) => void run(() => chatApi.react(message.id, emoji, add))}
              onReply={() => onReply(message)}
            />
          ),
        ])}
        {outgoing.map((pending) => (
          <OutgoingItem
            key={pending.clientId}
            pending={pending}
            people={people}
            offline={connection !== 'open'}
            onRetry={() => session?.retry(channel.id, pending.clientId)}
            onDiscard={() => session?.discard(channel.id, pending.clientId)}
          />
        ))}
      </ol>
    </div>
  );
}
