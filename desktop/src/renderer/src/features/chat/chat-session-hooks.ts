import type { PresenceStatus, RealtimeConnectionState } from '@collaro/shared';
import { useSyncExternalStore } from 'react';
import { useRealtime } from '../../app/realtime.js';
import type { ChannelView, ChatSession } from './chat-session.js';

/**
 * Components read the chat session (chat-session.ts) a slice at a time: each hook re-renders its
 * component only when that slice changes, not on every message anywhere. Before sign-in, and
 * until the realtime provider has made the session, they answer as an empty, offline session would.
 */

const EMPTY_VIEW: ChannelView = { messages: [], hasOlder: false, loaded: false, outgoing: [], typing: [] };
const noSession = () => () => undefined;
const offline = (): PresenceStatus => 'offline';

function useSlice<T>(read: (session: ChatSession) => T, fallback: T): T {
  const session = useChatSession();
  return useSyncExternalStore(session?.subscribe ?? noSession, () => (session ? read(session) : fallback));
}

/** The session itself, for commands (send, retry, mark read…); reading it does not re-render. */
export function useChatSession(): ChatSession | null {
  return useRealtime()?.session ?? null;
}

/** A channel's messages, outgoing messages and who is typing. */
export function useChannelView(channelId: string | null): ChannelView {
  return useSlice((session) => (channelId ? session.view(channelId) : EMPTY_VIEW), EMPTY_VIEW);
}

export function usePresence(userId: string): PresenceStatus {
  return useSlice((session) => session.presenceOf(userId), 'offline');
}

/** Everyone's presence as one lookup, for a list of people. */
export function usePresenceLookup(): (userId: string) => PresenceStatus {
  return useSlice((session) => session.presenceLookup(), offline);
}

export function useUnreadCount(channelId: string): number {
  return useSlice((session) => session.unreadOf(channelId), 0);
}

/** Unread messages over every channel, for the app's badge. */
export function useUnreadTotal(): number {
  return useSlice((session) => session.unreadTotal(), 0);
}

export function useConnectionState(): RealtimeConnectionState {
  return useSlice((session) => session.connection(), 'idle');
}

/** Whether the server refused a message because its channel no longer exists for this user. */
export function useRefusedAsMissing(): boolean {
  return useSlice((session) => session.hasRefusedAsMissing(), false);
}
