import { ChannelListSchema, MessagePageSchema } from '@collaro/shared';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useChatStore } from '../../../app/realtime.js';
import { useServices } from '../../../app/services.js';
import { useMe, useOrgMembers } from '../../../api/queries.js';
import { ErrorBanner } from '../../../ui/error-banner.js';
import { Spinner } from '../../../ui/spinner.js';
import { useMeeting } from '../meetings-api.js';

/** The meeting's own chat channel, which the server opens for the people in the meeting. */
function useMeetingChannel(orgId: string | null, meetingId: string) {
  const { api } = useServices();
  return useQuery({
    queryKey: ['meeting', meetingId, 'chat-channel'],
    queryFn: async ({ signal }) => {
      const list = await api.get(`/api/orgs/${orgId}/channels`, ChannelListSchema, signal);
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
export function MeetingChatPanel({ meetingId }: { meetingId: string }) {
  const { api } = useServices();
  const store = useChatStore();
  const meeting = useMeeting(meetingId);
  const me = useMe();
  const orgId = meeting.data?.orgId ?? null;
  const members = useOrgMembers(orgId);
  const channel = useMeetingChannel(orgId, meetingId);
  const channelId = channel.data?.id ?? null;
  const [draft, setDraft] = useState('');
  const [historyError, setHistoryError] = useState<unknown>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!store || !channelId) return;
    let cancelled = false;
    api.get(`/api/channels/${channelId}/messages?limit=100`, MessagePageSchema).then(
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

  const view = store && channelId ? store.view(channelId) : null;
  const messages = (view?.messages ?? []).filter((message) => message.deletedAt === null);
  const outgoing = view?.outgoing ?? [];

  useEffect(() => {
    listRef.current?.scrollTo({ top: listRef.current.scrollHeight });
  }, [messages.length, outgoing.length]);

  const nameOf = (userId: string) =>
    userId === me.data?.user.id ? 'You' : (members.data?.members.find((member) => member.userId === userId)?.name ?? 'Someone');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = draft.trim();
    if (!body || !channelId || !store) return;
    store.send(channelId, body);
    setDraft('');
  };

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
      <form onSubmit={submit}>
        <label className="grow">
          <span className="visually-hidden">Message everyone in the call</span>
          <input value={draft} onChange={(event) => setDraft(event.target.value)} placeholder="Message everyone" disabled={!ready} maxLength={16_000} />
        </label>
        <button type="submit" className="button button-small button-primary" disabled={!ready || draft.trim() === ''}>
          Send
        </button>
      </form>
    </div>
  );
}
