import type { Queryable } from '../db/client.js';
import { notFound, unprocessable } from '../domain-errors.js';
import { findChannelWithAccess, type ChannelRow } from '../modules/channels/repository.js';
import { findCallMembership, type CallRow } from '../modules/calls/repository.js';
import { channelAccessOf } from './channel-policy.js';

/**
 * Calls, part of the one policy (see policy.ts): a call is rung from a direct message by one of
 * its members and concerns exactly those members. To anyone else, in the organization or not, the
 * conversation and its calls do not exist (404), so a call cannot even be probed for.
 */
export async function requireCallableConversation(db: Queryable, userId: string, channelId: string): Promise<{ orgId: string; channel: ChannelRow }> {
  const row = await findChannelWithAccess(db, channelId, userId);
  const access = row ? channelAccessOf(row) : null;
  if (!row || !access || (row.kind === 'dm' && !row.isChannelMember)) throw notFound('Conversation');
  if (row.kind !== 'dm') throw unprocessable('channelId: calls are started from a direct message; hold a meeting for a channel');
  return { orgId: access.orgId, channel: access.channel };
}

/** The call, for one of its members; 404 for everyone else. */
export async function requireCallMember(db: Queryable, userId: string, callId: string): Promise<CallRow> {
  const call = await findCallMembership(db, callId, userId);
  if (!call) throw notFound('Call');
  return call;
}
