import { browserSocket, endpoints, RealtimeClient, type Notification, type OutboxEntry } from '@collaro/shared';
import type { ChannelListSchema, OrgMemberListSchema } from '@collaro/shared';
import type { z } from 'zod';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { queryKeys } from '../api/query-keys.js';
import { ChatSession } from '../features/chat/chat-session.js';
import { chatKeys } from '../features/chat/query-keys.js';
import { desktopBridge } from '../platform/desktop-bridge.js';
import { useAuthState, useServices } from './services.js';

interface Realtime {
  /** Chat state: messages, unread counts, presence, typing (read it through features/chat/chat-session-hooks.ts). */
  session: ChatSession;
  client: RealtimeClient;
}

const RealtimeContext = createContext<Realtime | null>(null);

const AWAY_AFTER_HIDDEN_MS = 5 * 60_000;

const outboxKey = (userId: string) => `collaro.outbox.${userId}`;

function isOutboxEntry(entry: unknown): entry is OutboxEntry {
  if (typeof entry !== 'object' || entry === null) return false;
  const fields = entry as Record<string, unknown>;
  return typeof fields.clientId === 'string' && typeof fields.channelId === 'string' && typeof fields.body === 'string';
}

function savedOutbox(userId: string): OutboxEntry[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(outboxKey(userId)) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(isOutboxEntry);
  } catch {
    return [];
  }
}

export function webSocketUrl(apiBase: string): string {
  const url = new URL('/ws', apiBase || window.location.origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * One WebSocket per signed-in user for the whole app: chat, presence, typing, notifications, and
 * the chat session over it (features/chat/chat-session.ts) that holds messages, unread counts,
 * presence and typing. Unsent messages are saved, so they are sent after a reload too.
 */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const { api, auth } = useServices();
  const state = useAuthState();
  const queryClient = useQueryClient();
  const userId = state.status === 'signed-in' ? state.user.id : null;
  const [realtime, setRealtime] = useState<Realtime | null>(null);

  useEffect(() => {
    if (!userId) return;
    const client = new RealtimeClient({
      url: webSocketUrl(api.baseUrl),
      getToken: async () => {
        const token = await auth.getAccessToken();
        if (!token) throw new Error('signed out');
        return token;
      },
      createSocket: browserSocket,
      outbox: savedOutbox(userId),
    });
    const readTimers = new Map<string, { seq: number; timer: ReturnType<typeof setTimeout> }>();
    // Read positions go on the socket; one made while it is down waits there for the next connection.
    const unsentReads = new Map<string, number>();
    const sendRead = (channelId: string, seq: number) => {
      if (client.send({ type: 'chat.read', channelId, seq })) unsentReads.delete(channelId);
      else unsentReads.set(channelId, Math.max(seq, unsentReads.get(channelId) ?? 0));
    };
    const flushRead = (channelId: string) => {
      const pending = readTimers.get(channelId);
      readTimers.delete(channelId);
      if (pending) sendRead(channelId, pending.seq);
    };
    const persistOutbox = () => localStorage.setItem(outboxKey(userId), JSON.stringify(client.pendingMessages()));
    const session = new ChatSession(client, userId, {
      onNotify: (notification) => void notifyDesktop(notification, queryClient).catch(() => undefined),
      onChannelAdded: () => void queryClient.invalidateQueries({ queryKey: chatKeys.allChannels }),
      markRead: (channelId, seq) => {
        // While messages stream in, tell the server once a second at most, with the newest position.
        const pending = readTimers.get(channelId);
        readTimers.set(channelId, { seq, timer: pending?.timer ?? setTimeout(() => flushRead(channelId), 1_000) });
      },
      onUnreadTotal: (total) => void desktopBridge()?.tray.setUnread(Math.min(total, 1_000_000)),
    });
    const unsubscribePersist = session.subscribe(persistOutbox);
    // Renamed, archived or deleted teams and channels: reload what names and lists them.
    const unsubscribeDirectory = [
      client.on('channel.updated', () => void queryClient.invalidateQueries({ queryKey: chatKeys.allChannels })),
      client.on(
        'team.updated',
        (frame) =>
          void Promise.all([
            queryClient.invalidateQueries({ queryKey: chatKeys.allChannels }),
            queryClient.invalidateQueries({ queryKey: queryKeys.teams(frame.orgId) }),
            queryClient.invalidateQueries({ queryKey: queryKeys.team(frame.teamId) }),
          ]),
      ),
    ];
    const refreshUnread = () =>
      api.call(endpoints.chat.unread).then(
        (unread) => session.setUnread(unread.channels),
        () => undefined,
      );
    const unsubscribeState = client.onStateChange((connection) => {
      // After a reconnect the counts may have moved while we were away.
      if (connection === 'open') {
        for (const [channelId, seq] of unsentReads) sendRead(channelId, seq);
        void refreshUnread();
        if (doNotDisturb || document.visibilityState === 'hidden') announce();
      }
    });
    // Away after a while out of sight, do-not-disturb while the desktop tray says so; online again on return.
    let awayTimer: ReturnType<typeof setTimeout> | undefined;
    let doNotDisturb = false;
    const announce = () => {
      // The server's presence carries do-not-disturb so calls ring silently on every device of this person.
      const status = doNotDisturb ? 'dnd' : document.visibilityState === 'hidden' ? 'away' : 'online';
      client.send({ type: 'presence.set', status });
    };
    const onVisibility = () => {
      clearTimeout(awayTimer);
      if (document.visibilityState === 'hidden') awayTimer = setTimeout(announce, AWAY_AFTER_HIDDEN_MS);
      else announce();
    };
    document.addEventListener('visibilitychange', onVisibility);
    const unsubscribeTrayStatus =
      desktopBridge()?.tray.onStatusChanged((status) => {
        doNotDisturb = status === 'do-not-disturb';
        announce();
      }) ?? (() => undefined);
    client.connect();
    setRealtime({ session, client });
    return () => {
      clearTimeout(awayTimer);
      document.removeEventListener('visibilitychange', onVisibility);
      unsubscribeTrayStatus();
      unsubscribeState();
      unsubscribePersist();
      for (const unsubscribe of unsubscribeDirectory) unsubscribe();
      for (const [channelId, pending] of readTimers) {
        clearTimeout(pending.timer);
        flushRead(channelId);
      }
      persistOutbox();
      session.dispose();
      client.close();
      setRealtime(null);
    };
  }, [userId, api, auth, queryClient]);

  return <RealtimeContext.Provider value={realtime}>{children}</RealtimeContext.Provider>;
}

type ChannelList = z.infer<typeof ChannelListSchema>;
type OrgMemberList = z.infer<typeof OrgMemberListSchema>;

/** Shows a mention or direct message as a desktop notification, named from what the app already loaded. */
async function notifyDesktop(notification: Notification, queryClient: QueryClient): Promise<void> {
  const bridge = desktopBridge();
  if (!bridge || !notification.channelId) return;
  const members = queryClient.getQueryData<OrgMemberList>(queryKeys.members(notification.orgId))?.members ?? [];
  const channels = queryClient.getQueryData<ChannelList>(chatKeys.channels(notification.orgId))?.channels ?? [];
  const authorName = members.find((m) => m.userId === notification.fromUserId)?.name ?? notification.title;
  const channel = channels.find((c) => c.id === notification.channelId);
  const preview = notification.body.slice(0, 500);
  // Main writes "mentioned you in #<channel>": it gets the bare name. A mention in a direct message is a direct message.
  if (notification.kind === 'mention' && channel?.kind !== 'dm') {
    const channelName = (channel?.name ?? 'channel').slice(0, 200);
    await bridge.notifications.show({ kind: 'mention', channelId: notification.channelId, channelName, authorName: authorName.slice(0, 200), preview });
  } else if (notification.kind === 'direct_message' || notification.kind === 'mention') {
    await bridge.notifications.show({ kind: 'direct_message', channelId: notification.channelId, authorName: authorName.slice(0, 200), preview });
  }
}

export function useRealtime(): Realtime | null {
  return useContext(RealtimeContext);
}
