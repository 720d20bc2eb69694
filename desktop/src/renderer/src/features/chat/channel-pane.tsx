import { permissionsFor, type Channel, type ChatMessage, type OrgRole } from '@collaro/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ErrorBanner } from '../../ui/error-banner.js';
import { ChannelHeader } from './channel-header.js';
import { useChannelPeople, useChatApi } from './chat-api.js';
import { useChannelView, useChatSession } from './chat-session-hooks.js';
import { Composer } from './composer.js';
import { encodeMentions } from './mentions.js';
import { MessageList } from './message-list.js';
import type { People } from './people.js';
import { TypingIndicator } from './typing-indicator.js';

/**
 * One open conversation: its header, its history (message-list.tsx), who is typing, and the
 * composer. While it is open, the session counts its new messages as read.
 */
export function ChannelPane({
  channel,
  title,
  teamName,
  people,
  orgRole,
}: {
  channel: Channel;
  title: string;
  teamName?: string | undefined;
  people: People;
  orgRole: OrgRole;
}) {
  const session = useChatSession();
  const chatApi = useChatApi();
  const channelPeople = useChannelPeople(channel, people.members);
  const view = useChannelView(channel.id);
  const [error, setError] = useState<unknown>(null);
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const stickToBottom = useRef(true);
  const canModerate = permissionsFor(orgRole).has('org:messages:moderate');

  const loadLatest = useCallback(async () => {
    if (!session) return;
    try {
      const page = await chatApi.history(channel.id);
      session.addHistory(channel.id, page.messages, page.hasMore, true);
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  }, [session, channel.id, chatApi]);

  useEffect(() => {
    if (!session) return;
    session.activeChannelId = channel.id;
    if (!session.view(channel.id).loaded) void loadLatest();
    return () => {
      if (session.activeChannelId === channel.id) session.activeChannelId = null;
    };
  }, [session, channel.id, loadLatest]);

  // A `chat.refetch` (too much missed while away) marks the channel unloaded: load it again.
  useEffect(() => {
    if (session && !view.loaded && view.messages.length > 0) void loadLatest();
  }, [session, view, loadLatest]);

  const loadOlder = async (before: number) => {
    const page = await chatApi.history(channel.id, before);
    session?.addHistory(channel.id, page.messages, page.hasMore, false);
  };

  const newestSeq = view.messages[view.messages.length - 1]?.seq ?? 0;
  useEffect(() => {
    session?.markActiveRead();
  }, [session, newestSeq]);

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') session?.markActiveRead();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [session]);

  const lastOwn = [...view.messages].reverse().find((m) => m.authorId === people.selfId && !m.deletedAt && !m.system);

  return (
    <section className="channel-pane" aria-label={title}>
      <ChannelHeader channel={channel} title={title} teamName={teamName} selfId={people.selfId} />
      <ErrorBanner error={error} onRetry={view.loaded ? undefined : () => void loadLatest()} />
      <MessageList
        channel={channel}
        title={title}
        view={view}
        people={people}
        canModerate={canModerate}
        error={error}
        onError={setError}
        onLoadOlder={loadOlder}
        editing={editing}
        onEditingChange={setEditing}
        onReply={setReplyTo}
        stickToBottom={stickToBottom}
      />
      <TypingIndicator names={view.typing.map(people.nameOf)} />
      {channel.archived ? (
        <p className="banner banner-info archived-notice" role="status">
          This channel is archived: its history stays readable, and a team lead or admin can unarchive it.
        </p>
      ) : (
        <Composer
          key={channel.id}
          channelTitle={channel.kind === 'dm' ? title : `#${title}`}
          replyTo={replyTo}
          replyToName={replyTo ? people.nameOf(replyTo.authorId) : ''}
          onCancelReply={() => setReplyTo(null)}
          people={channelPeople}
          onSend={(body, mentioned) => {
            stickToBottom.current = true;
            // A name picked from the list stands for that person, even if someone else has the same name.
            const byName = new Map(people.members.map((member) => [member.name.toLocaleLowerCase(), member]));
            for (const person of mentioned) byName.set(person.name.toLocaleLowerCase(), person);
            session?.send(channel.id, encodeMentions(body, [...byName.values()]), replyTo?.id);
            setReplyTo(null);
          }}
          onTyping={() => session?.sendTyping(channel.id)}
          onEditLast={() => {
            if (lastOwn) setEditing(lastOwn.id);
          }}
        />
      )}
    </section>
  );
}
