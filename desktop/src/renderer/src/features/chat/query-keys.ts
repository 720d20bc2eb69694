/**
 * Chat's TanStack Query keys, the only place they are spelled. Message history is not a query: the
 * chat session (chat-session.ts) holds it.
 */
export const chatKeys = {
  /** Every organization's channel list: a channel added, renamed or archived anywhere reloads them. */
  allChannels: ['channels'] as const,
  /** The channels (and direct messages) the user can see in one organization. */
  channels: (orgId: string | null) => ['channels', orgId] as const,
};
