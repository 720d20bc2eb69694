import type { Channel } from '@collaro/shared';

/** Who is who in the chat: names for user ids, the signed-in user, and the organization's members. */
export interface People {
  nameOf: (userId: string) => string;
  selfId: string;
  /** Everyone in the organization, for turning typed @names into mentions. */
  members: { userId: string; name: string }[];
}

export function channelTitle(channel: Channel, people: People): string {
  if (channel.kind !== 'dm') return channel.name;
  const others = channel.memberIds.filter((id) => id !== people.selfId);
  return others.length === 0 ? `${people.nameOf(people.selfId)} (you)` : others.map(people.nameOf).join(', ');
}
