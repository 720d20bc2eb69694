import { endpoints } from '@collaro/shared';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useChannelView, useChatSession } from '../../chat/chat-session-hooks.js';
import { useServices } from '../../../app/services.js';
import { useMe, useOrgMembers } from '../../../api/queries.js';
import { ErrorBanner } from '../../../ui/error-banner.js';
import { Spinner } from '../../../ui/spinner.js';
import { useMeeting } from '../meetings-api.js';
import { meetingKeys } from '../query-keys.js';
import { InCallComposer } from './in-call-composer.js';

/** The meeting's own chat channel, which the server opens for the people in the meeting. */
function useMeetingChannel(orgId: string | null, meetingId: string) {
  const { api } = useServices();
  return useQuery({
    queryKey: meetingKeys.chatChannel(meetingId),
    queryFn: async ({ signal }) => {
      const list = await api.call(endpoints.chat.channels, { params: { orgId: orgId ?? '' }, signal });
      return list.channels.find((channel) => channel.kind === 'meeting' && channel.meetingId === meetingId) ?? null;
    },
    enabled: orgId !== null,
    // The channel may appear a moment after the first join; look again until it exists.
    refetchInterval: (query) => (query.state.data ? false : 3_000),
  });
}

/**
 * In-call chat on the app's realtime connection: messages arrive live, and one being sent shows
 * "sending" until the server acknowledges it, or "not sent" with a retry.
 */
export function MeetingChatPanel({ meetingId, roster = [] }: { meetingId: string; roster?: { id: string; name: string }[] }) {
  const { api } = useServices();
  const store = useChatSession();
  const meeting = useMeeting(meetingId);
  const me = useMe();
  const orgId = meeting.data?.orgId ?? null;
  const members = useOrgMembers(orgId);
  const channel = useMeetingChannel(orgId, meetingId);
  const channelId = channel.data?.id ?? null;
  const [historyError, setHistoryError] = useState<unknown>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!store || !channelId) return;
    let cancelled = false;
    api.call(endpoints.chat.messages, { params: { channelId }, query: { limit: 100 } }).then(
      (page) => {
        if (!cancelled) store.addHistory(channelId, page.messages, page.hasMore, true);
      },
      (error: unknown) => {
        if (!cancelled) setHistoryError(error);
      },
    );
    store.activeChannelId = channelId;
    return () => {
      cancelled = true;
      if (store.activeChannelId === channelId) store.activeChannelId = null;
    };
  }, [api, store, channelId]);

  const view = useChannelView(channelId);
  const messages = view.messages.filter((message) => message.deletedAt === null);
  const { outgoing } = view;

  useEffect(() => {
    listRef.current?.scrollTo({ top: listRef.current.scrollHeight });
  }, [messages.length, outgoing.length]);

  const nameOf = (userId: string) =>
    userId === me.data?.user.id
      ? 'You'
      : // Guests are in no organization: the room knows their names while they are in it.
        (members.data?.members.find((member) => member.userId === userId)?.name ?? roster.find((person) => person.id === userId)?.name ?? 'Someone');

  if (channel.isLoading) return <Spinner label="Opening the chat" />;
  const ready = channelId !== null && store !== null;
  return (
    <div className="in-call-chat">
      <ErrorBanner error={channel.error ?? historyError} />
      <ol className="in-call-messages" ref={listRef} aria-live="polite" data-testid="meeting-chat-messages">
        {!ready && !channel.error ? <li className="muted small">The chat opens as soon as the call starts.</li> : null}
        {messages.map((message) => (
          <li key={message.id} className="in-call-message">
            <div className="author">{nameOf(message.authorId)}</div>
            <div className="body">{message.body}</div>
          </li>
        ))}
        {outgoing.map((message) => (
          <li key={message.clientId} className={`in-call-message ${message.state === 'sending' ? 'pending' : 'failed'}`}>
            <div className="author">You</div>
            <div className="body">{message.body}</div>
            {message.state === 'sending' ? (
              <div className="muted small">Sending…</div>
            ) : (
              <div className="field-error small">
                Not sent{message.error ? `: ${message.error}` : ''}{' '}
                <button type="button" className="button button-small" onClick={() => channelId && store?.retry(channelId, message.clientId)}>
                  Retry
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
      <InCallComposer
        enabled={ready}
        onSend={(body) => {
          if (channelId) store?.send(channelId, body);
        }}
      />
    </div>
  );
}
