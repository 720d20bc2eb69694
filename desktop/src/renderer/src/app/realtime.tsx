import { browserSocket, RealtimeClient, UnreadSchema, UnreadChannelSchema, type ConnectionState, type Notification, type OutboxEntry } from '@collaro/shared';
import type { ChannelListSchema, OrgMemberListSchema } from '@collaro/shared';
import type { z } from 'zod';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { ChatStore } from '../features/chat/chat-store.js';
import { desktopBridge } from '../platform/desktop-bridge.js';
import { useAuthState, useServices } from './services.js';

interface Realtime {
  store: ChatStore;
  client: RealtimeClient;
}

const RealtimeContext = createContext<Realtime | null>(null);

const AWAY_AFTER_HIDDEN_MS = 5 * 60_000;

const outboxKey = (userId: string) => `collaro.outbox.${userId}`;

function savedOutbox(userId: string): OutboxEntry[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(outboxKey(userId)) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (entry): entry is OutboxEntry =>
        typeof entry === 'object' && entry !== null && typeof entry.clientId === 'string' && typeof entry.channelId === 'string' && typeof entry.body === 'string',
    );
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
 * One WebSocket per signed-in user for the whole app: chat, presence, typing, notifications.
 * Unsent messages are saved, so they are sent after a reload too.
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
    const flushRead = (channelId: string) => {
      const pending = readTimers.get(channelId);
      readTimers.delete(channelId);
      if (pending) api.post(`/api/channels/${channelId}/read`, { seq: pending.seq }, UnreadChannelSchema).catch(() => undefined);
    };
    const persistOutbox = () => localStorage.setItem(outboxKey(userId), JSON.stringify(client.pendingMessages()));
    const store = new ChatStore(client, userId, {
      onNotify: (notification) => void notifyDesktop(notification, queryClient).catch(() => undefined),
      onChannelAdded: () => void queryClient.invalidateQueries({ queryKey: ['channels'] }),
      onRefetch: (channelId) => void queryClient.invalidateQueries({ queryKey: ['channel-history', channelId] }),
      markRead: (channelId, seq) => {
        // While messages stream in, tell the server once a second at most, with the newest position.
        const pending = readTimers.get(channelId);
        readTimers.set(channelId, { seq, timer: pending?.timer ?? setTimeout(() => flushRead(channelId), 1_000) });
      },
    });
    const unsubscribePersist = store.subscribe(persistOutbox);
    const refreshUnread = () =>
      api.get('/api/me/unread', UnreadSchema).then(
        (unread) => store.setUnread(unread.channels),
        () => undefined,
      );
    const unsubscribeState = client.onStateChange((connection) => {
      // After a reconnect the counts may have moved while we were away.
      if (connection === 'open') {
        void refreshUnread();
        if (doNotDisturb || document.visibilityState === 'hidden') announce();
      }
    });
    // Away after a while out of sight (or when the desktop tray says do-not-disturb); online again on return.
    let awayTimer: ReturnType<typeof setTimeout> | undefined;
    let doNotDisturb = false;
    const announce = () => {
      const away = doNotDisturb || document.visibilityState === 'hidden';
      client.send({ type: 'presence.set', status: away ? 'away' : 'online' });
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
    setRealtime({ store, client });
    return () => {
      clearTimeout(awayTimer);
      document.removeEventListener('visibilitychange', onVisibility);
      unsubscribeTrayStatus();
      unsubscribeState();
      unsubscribePersist();
      for (const [channelId, pending] of readTimers) {
        clearTimeout(pending.timer);
        flushRead(channelId);
      }
      persistOutbox();
      store.dispose();
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
  const members = queryClient.getQueryData<OrgMemberList>(['orgs', notification.orgId, 'members'])?.members ?? [];
  const channels = queryClient.getQueryData<ChannelList>(['channels', notification.orgId])?.channels ?? [];
  const authorName = members.find((m) => m.userId === notification.fromUserId)?.name ?? notification.title;
  const channel = channels.find((c) => c.id === notification.channelId);
  const preview = notification.body.slice(0, 500);
  if (notification.kind === 'mention') {
    const channelName = channel && channel.kind !== 'dm' ? `#${channel.name}` : 'a direct message';
    await bridge.notifications.show({ kind: 'mention', channelId: notification.channelId, channelName, authorName: authorName.slice(0, 200), preview });
  } else if (notification.kind === 'direct_message') {
    await bridge.notifications.show({ kind: 'direct-message', channelId: notification.channelId, authorName: authorName.slice(0, 200), preview });
  }
}

export function useRealtime(): Realtime | null {
  return useContext(RealtimeContext);
}

/** Re-renders whenever the chat store changes. */
export function useChatStore(): ChatStore | null {
  const realtime = useRealtime();
  useSyncExternalStore(
    (listener) => realtime?.store.subscribe(listener) ?? (() => undefined),
    () => realtime?.store.version ?? 0,
  );
  return realtime?.store ?? null;
}

export function useConnectionState(): ConnectionState {
  const realtime = useRealtime();
  return useSyncExternalStore(
    (listener) => realtime?.client.onStateChange(listener) ?? (() => undefined),
    () => realtime?.client.state ?? 'idle',
  );
}

