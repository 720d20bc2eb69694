import { RESUME_FRAME_REPLAY_LIMIT, type ServerFrame } from '@collaro/shared';
import { requireChannelAccess } from '../../policy/channel-policy.js';
import type { ChatFrameHandlers } from '../../realtime/gateway.js';
import type { Database } from '../../db/client.js';
import type { ChatService } from './service.js';
import { planResume, replayChanges } from './resume.js';

/** Names a few of the channels concerned; the count says how many there were. */
function refusal(code: 'not_found' | 'forbidden', channelIds: string[], what: string): ServerFrame {
  const shown = channelIds.slice(0, 5).join(', ');
  const more = channelIds.length > 5 ? ` and ${channelIds.length - 5} more` : '';
  return { type: 'error', code, message: `${channelIds.length} channel(s) to resume ${what}: ${shown}${more}`, ref: { type: 'resume' } };
}

/** The chat half of the gateway's frame map; the type requires one handler per chat frame. */
export function createChatFrameHandlers(chat: ChatService, db: Database): ChatFrameHandlers {
  return {
    'chat.send': async ({ connection }, frame) => {
      const { message, duplicate } = await chat.send(connection.userId, frame);
      connection.send({
        type: 'chat.ack',
        clientId: frame.clientId,
        channelId: message.channelId,
        messageId: message.id,
        seq: message.seq,
        eventSeq: message.eventSeq,
        duplicate,
      });
    },
    // The channel hears each change as `chat.message`; the sender also gets it under its command's id.
    'chat.edit': async ({ connection }, frame) => {
      connection.send({ type: 'chat.applied', clientId: frame.clientId, message: await chat.edit(connection.userId, frame.messageId, frame.body) });
    },
    'chat.delete': async ({ connection }, frame) => {
      connection.send({ type: 'chat.applied', clientId: frame.clientId, message: await chat.remove(connection.userId, frame.messageId) });
    },
    'chat.react': async ({ connection }, frame) => {
      const message = await chat.react(connection.userId, frame.messageId, frame.emoji, frame.add);
      connection.send({ type: 'chat.applied', clientId: frame.clientId, message });
    },
    'chat.read': async ({ connection }, frame) => {
      await chat.markRead(connection.userId, frame.channelId, frame.seq);
    },
    typing: async ({ connection, realtime }, frame) => {
      await requireChannelAccess(db, connection.userId, frame.channelId, 'write');
      realtime.sendToChannel(
        frame.channelId,
        { type: 'typing.update', channelId: frame.channelId, userId: connection.userId },
        { exceptConnectionId: connection.id },
      );
    },
    resume: async ({ connection, realtime }, frame) => {
      const { limits } = realtime;
      const plan = await planResume(db, connection.userId, frame.channels, { perChannel: limits.resumeReplayLimit, perFrame: RESUME_FRAME_REPLAY_LIMIT });
      // One error per kind of refusal, however many channels it covers: a frame of unknown ids costs one answer.
      if (plan.notFound.length > 0) connection.send(refusal('not_found', plan.notFound, 'do not exist or are not in your organizations'));
      if (plan.forbidden.length > 0) connection.send(refusal('forbidden', plan.forbidden, 'are not yours to read'));
      for (const { channelId, lastEventSeq } of plan.refetch) connection.send({ type: 'chat.refetch', channelId, lastEventSeq });
      const replayed = new Map<string, number>();
      for await (const page of replayChanges(db, plan.replays)) {
        for (const message of page) {
          if (!(await connection.sendReplay({ type: 'chat.message', message }))) return;
          replayed.set(message.channelId, (replayed.get(message.channelId) ?? 0) + 1);
        }
      }
      connection.send({
        type: 'resumed',
        channels: [
          ...plan.replays.map(({ channelId }) => ({ channelId, replayed: replayed.get(channelId) ?? 0, refetch: false })),
          ...plan.refetch.map(({ channelId }) => ({ channelId, replayed: 0, refetch: true })),
        ],
      });
    },
  };
}
