import type { Connection } from './connection.js';

/** Topics: the string keys events are published to and connections subscribe to. */
export const userTopic = (userId: string) => `u:${userId}`;
export const channelTopic = (channelId: string) => `c:${channelId}`;
export const orgTopic = (orgId: string) => `o:${orgId}`;
/** Presence of everyone in a small organization. */
export const orgPresenceTopic = (orgId: string) => `po:${orgId}`;
/** Presence of one user, for connections that asked for it. */
export const userPresenceTopic = (userId: string) => `p:${userId}`;
export const channelIdOfTopic = (topic: string) => (topic.startsWith('c:') ? topic.slice(2) : undefined);

/**
 * One connection, or several: most topics of a user (their own, their presence) have a single
 * listener on an instance, and a Set per such topic would cost more than the connection itself.
 */
type Members = Connection | Set<Connection>;

function addMember<K>(map: Map<K, Members>, key: K, connection: Connection) {
  const members = map.get(key);
  if (!members) map.set(key, connection);
  else if (members instanceof Set) members.add(connection);
  else if (members !== connection) map.set(key, new Set([members, connection]));
}

function removeMember<K>(map: Map<K, Members>, key: K, connection: Connection) {
  const members = map.get(key);
  if (members === connection) map.delete(key);
  else if (members instanceof Set) {
    members.delete(connection);
    if (members.size === 1) map.set(key, members.values().next().value!);
  }
}

export interface DeliveryOptions {
  /** The connection that published it and already shows it. */
  exceptConnectionId?: string | undefined;
  /** Sent at once even to a held connection (see OVERTAKING_HOLDS in realtime-hub.ts). */
  overtakesHolds?: boolean | undefined;
}

const EMPTY_TOPICS: ReadonlySet<string> = new Set();
const EMPTY: ReadonlySet<Connection> = new Set();

/**
 * This instance's connections, indexed by topic and user, and the delivery of published frames to
 * them. Pure bookkeeping: no I/O, so every change is synchronous and ordered with delivery.
 *
 * Memory per idle connection is what a reconnect storm and a large instance pay for, so: a user's
 * own topic is served from the index by user rather than a topic entry of its own, and identical
 * topic sets (most members of an organization hear the same channels) are one shared Set.
 */
export class TopicHub {
  readonly connections = new Set<Connection>();
  private readonly byTopic = new Map<string, Members>();
  private readonly byUser = new Map<string, Members>();
  /** Topic sets in use, keyed by their sorted topics, with how many connections share each. */
  private readonly topicSets = new Map<string, { topics: ReadonlySet<string>; users: number }>();
  /** Connections whose user's access is being reloaded (normally none). */
  private readonly held = new Set<Connection>();

  /**
   * Replaces the connection's topics with `topics` (the hub keeps the Set: do not change it after).
   * The user's own topic is implied by authentication (see addUser) and not listed.
   */
  subscribe(connection: Connection, topics: ReadonlySet<string>) {
    const key = topics.size === 0 ? '' : [...topics].sort().join(' ');
    if (key === connection.topicsKey) return;
    const previous = connection.topics;
    for (const topic of previous) if (!topics.has(topic)) removeMember(this.byTopic, topic, connection);
    for (const topic of topics) if (!previous.has(topic)) addMember(this.byTopic, topic, connection);
    this.release(connection.topicsKey);
    if (key === '') {
      connection.topics = EMPTY_TOPICS;
    } else {
      let shared = this.topicSets.get(key);
      if (!shared) this.topicSets.set(key, (shared = { topics, users: 0 }));
      shared.users += 1;
      connection.topics = shared.topics;
    }
    connection.topicsKey = key;
  }

  /** Records an authenticated connection under its user: it hears the user's own topic from now on. */
  addUser(connection: Connection) {
    addMember(this.byUser, connection.userId, connection);
  }

  /** Forgets a closed connection everywhere. */
  remove(connection: Connection) {
    this.connections.delete(connection);
    this.held.delete(connection);
    this.subscribe(connection, EMPTY_TOPICS);
    if (connection.authenticated) removeMember(this.byUser, connection.userId, connection);
  }

  /** The user's open connections on this instance. */
  connectionsOf(userId: string): ReadonlySet<Connection> {
    const members = this.byUser.get(userId);
    if (!members) return EMPTY;
    return members instanceof Set ? members : new Set([members]);
  }

  /**
   * Sends `text` to every connection hearing one of `topics`. A connection whose access is being
   * reloaded keeps it until its topics are known again, unless the frame `overtakesHolds` (it goes
   * only to those already hearing its topics, at once).
   */
  deliver(topics: readonly string[], text: string, { exceptConnectionId, overtakesHolds = false }: DeliveryOptions = {}) {
    const send = overtakesHolds ? sendNow : sendUnlessHeld;
    // A held connection may be about to gain one of these topics (a channel it was just added to):
    // it keeps the frame until it knows. Those that already hear a topic keep it below.
    if (!overtakesHolds) {
      for (const connection of this.held) {
        if (connection.id !== exceptConnectionId && !topics.some((topic) => hears(connection, topic))) connection.keep(topics, text);
      }
    }
    if (topics.length === 1) {
      const members = this.membersOf(topics[0]!);
      if (!members) return;
      if (members instanceof Set) {
        for (const connection of members) if (connection.id !== exceptConnectionId) send(connection, topics, text);
      } else if (members.id !== exceptConnectionId) send(members, topics, text);
      return;
    }
    const targets = new Set<Connection>();
    for (const topic of topics) {
      const members = this.membersOf(topic);
      if (members instanceof Set) for (const connection of members) targets.add(connection);
      else if (members) targets.add(members);
    }
    for (const connection of targets) if (connection.id !== exceptConnectionId) send(connection, topics, text);
  }

  /** Frames published for the connection wait, from now until the matching `unhold` (see AccessTopics.reload). */
  hold(connection: Connection) {
    connection.hold();
    this.held.add(connection);
  }

  /** Ends one hold; once none is left, what waited goes out if the connection now hears one of its topics. */
  unhold(connection: Connection) {
    const frames = connection.unhold();
    if (!connection.isHeld) this.held.delete(connection);
    for (const frame of frames) {
      if (frame.topics.some((topic) => hears(connection, topic))) connection.sendText(frame.text);
    }
  }

  authenticatedCount(): number {
    let count = 0;
    for (const connection of this.connections) if (connection.authenticated) count += 1;
    return count;
  }

  private membersOf(topic: string): Members | undefined {
    return topic.startsWith('u:') ? this.byUser.get(topic.slice(2)) : this.byTopic.get(topic);
  }

  private release(key: string) {
    if (key === '') return;
    const shared = this.topicSets.get(key);
    if (!shared) return;
    shared.users -= 1;
    if (shared.users === 0) this.topicSets.delete(key);
  }
}

function hears(connection: Connection, topic: string): boolean {
  return topic.startsWith('u:') ? topic.slice(2) === connection.userId : connection.topics.has(topic);
}

/** A held connection (its access being reloaded) keeps the frame for later. */
function sendUnlessHeld(connection: Connection, topics: readonly string[], text: string) {
  if (!connection.keep(topics, text)) connection.sendText(text);
}

function sendNow(connection: Connection, _topics: readonly string[], text: string) {
  connection.sendText(text);
}
