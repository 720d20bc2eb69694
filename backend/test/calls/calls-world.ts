import type { FastifyInstance } from 'fastify';
import type { Call } from '@collaro/shared';
import { call, type SignedInUser } from '../helpers/test-app.js';
import { buildChatWorld, type ChatWorld } from '../realtime/realtime-world.js';

/**
 * The chat world (admin, Alice and Bob on a team, Carol in the organization, Mallory outside it)
 * with a direct message between Alice and Bob and a group one with Carol as well.
 */
export interface CallsWorld extends ChatWorld {
  /** Alice and Bob. */
  pairId: string;
  /** Alice, Bob and Carol. */
  groupId: string;
}

export async function ok<T = any>(promise: Promise<{ status: number; body: any }>, expected: number): Promise<T> {
  const response = await promise;
  if (response.status !== expected) throw new Error(`expected ${expected}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as T;
}

export async function buildCallsWorld(app: FastifyInstance): Promise<CallsWorld> {
  const world = await buildChatWorld(app);
  const pair = await ok(call(app, world.alice, 'POST', `/api/orgs/${world.orgId}/dms`, { userIds: [world.bob.id] }), 201);
  const group = await ok(call(app, world.alice, 'POST', `/api/orgs/${world.orgId}/dms`, { userIds: [world.bob.id, world.carol.id] }), 201);
  return { ...world, pairId: pair.id, groupId: group.id };
}

export async function startCall(app: FastifyInstance, caller: SignedInUser, channelId: string, expected = 201): Promise<Call> {
  const body = await ok<{ call: Call; created: boolean }>(call(app, caller, 'POST', `/api/channels/${channelId}/calls`), expected);
  return body.call;
}

export function stateOf(callView: Call, user: { id: string }) {
  return callView.members.find((member) => member.userId === user.id)?.state;
}

/** The messages of a conversation, as a member reads its history. */
export async function history(app: FastifyInstance, reader: SignedInUser, channelId: string) {
  const page = await ok(call(app, reader, 'GET', `/api/channels/${channelId}/messages`), 200);
  return page.messages as { id: string; authorId: string; body: string; system: unknown }[];
}
