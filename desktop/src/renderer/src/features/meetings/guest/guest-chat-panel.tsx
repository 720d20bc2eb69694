import { endpoints, type ChatMessage, type RealtimeClient } from '@collaro/shared';
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../../api/api-client.js';
import { ErrorBanner } from '../../../ui/error-banner.js';
import { InCallComposer } from '../room/in-call-composer.js';

/**
 * The meeting chat as a guest sees it: its history from the guest API, new lines live on the guest's
 * realtime connection, and their own lines sent through the connection's outbox.
 */
export function GuestChatPanel({
  api,
  realtime,
  guestId,
  channelId,
  roster,
}: {
  api: ApiClient;
  realtime: RealtimeClient;
  guestId: string;
  channelId: string | null;
  roster: { id: string; name: string }[];
}) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [authors, setAuthors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!channelId) return;
    let cancelled = false;
    const add = (message: ChatMessage) =>
      setMessages((known) => (known.some((each) => each.id === message.id) ? known : [...known, message].sort((a, b) => a.seq - b.seq)));
    const loadHistory = () =>
      api.call(endpoints.guests.messages).then(
        (history) => {
          if (cancelled) return;
          setAuthors(history.authors);
          history.messages.forEach(add);
        },
        (reason: unknown) => !cancelled && setError(reason),
      );
    const offMessage = realtime.on('chat.message', (frame) => {
      if (frame.message.channelId === channelId) add(frame.message);
    });
    // Away too long for the server to replay what was said (after a reconnect): read the history again.
    const offRefetch = realtime.on('chat.refetch', (frame) => {
      if (frame.channelId === channelId) void loadHistory();
    });
    void loadHistory();
    return () => {
      cancelled = true;
      offMessage();
      offRefetch();
    };
  }, [api, realtime, channelId]);

  useEffect(() => {
    listRef.current?.scrollTo({ top: listRef.current.scrollHeight });
  }, [messages.length]);

  const nameOf = (userId: string) => (userId === guestId ? 'You' : (roster.find((person) => person.id === userId)?.name ?? authors[userId] ?? 'Someone'));

  return (
    <div className="in-call-chat">
      <ErrorBanner error={error} />
      <ol className="in-call-messages" ref={listRef} aria-live="polite" data-testid="meeting-chat-messages">
        {channelId ? null : <li className="muted small">The chat opens as soon as the call starts.</li>}
        {messages
          .filter((message) => message.deletedAt === null)
          .map((message) => (
            <li key={message.id} className="in-call-message">
              <div className="author">{nameOf(message.authorId)}</div>
              <div className="body">{message.body}</div>
            </li>
          ))}
      </ol>
      <InCallComposer
        enabled={channelId !== null}
        onSend={(body) => {
          if (channelId) realtime.sendMessage({ channelId, body }).acked.catch((reason: unknown) => setError(reason));
        }}
      />
    </div>
  );
}
