/** Calls' TanStack Query keys, the only place they are spelled. */
export const callKeys = {
  one: (callId: string) => ['call', callId] as const,
};
