import { HttpError } from '../http-errors.js';
import { requireChannelAccess } from '../policy/channel-policy.js';
import type { ChatFrameHandlers } from '../realtime/gateway.js';
import type { ChatService } from './chat-service.js';

const FRAME_CODE_BY_STATUS = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' } as const;

/** The chat half of the gateway's frame map; the type requires one handler per chat frame. */
export function createChatFrameHandlers(chat: ChatService): ChatFrameHandlers {
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
    'chat.edit': async ({ connection }, frame) => {
      await chat.edit(connection.userId, frame.messageId, frame.body);
    },
    'chat.delete': async ({ connection }, frame) => {
      await chat.remove(connection.userId, frame.messageId);
    },
    'chat.react': async ({ connection }, frame) => {
      await chat.react(connection.userId, frame.messageId, frame.emoji, frame.add);
    },
    'chat.read': async ({ connection }, frame) => {
      await chat.markRead(connection.userId, frame.channelId, frame.seq);
    },
    typing: async ({ app, connection }, frame) => {
      await requireChannelAccess(app.db, connection.userId, frame.channelId, 'write');
      app.realtime.sendToChannel(
        frame.channelId,
        { type: 'typing.update', channelId: frame.channelId, userId: connection.userId },
        { exceptConnectionId: connection.id },
      );
    },
    resume: async ({ app, connection }, frame) => {
      const limit = app.realtime.limits.resumeReplayLimit;
      const results = [];
      for (const { channelId, afterEventSeq } of frame.channels) {
        try {
          const { access, messages } = await chat.changesSince(connection.userId, channelId, afterEventSeq, limit);
          if (messages === null) {
            connection.send({ type: 'chat.refetch', channelId, lastEventSeq: access.channel.lastEventSeq });
            results.push({ channelId, replayed: 0, refetch: true });
            continue;
          }
          for (const message of messages) connection.send({ type: 'chat.message', message });
          results.push({ channelId, replayed: messages.length, refetch: false });
        } catch (error) {
          if (!(error instanceof HttpError) || !(error.statusCode in FRAME_CODE_BY_STATUS)) throw error;
          const code = FRAME_CODE_BY_STATUS[error.statusCode as keyof typeof FRAME_CODE_BY_STATUS];
          connection.send({ type: 'error', code, message: `${channelId}: ${error.message}`, ref: { type: 'resume' } });
        }
      }
      connection.send({ type: 'resumed', channels: results });
    },
  };
}
