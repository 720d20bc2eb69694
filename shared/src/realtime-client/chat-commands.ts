import type { ChatMessage } from '../api/chat.js';
import type { ClientFrameOf, ServerFrameOf } from '../ws/frames.js';

/** An edit, deletion or reaction as a caller states it; the client names it with a fresh `clientId`. */
export type ChatCommand =
  Omit<ClientFrameOf<'chat.edit'>, 'clientId'> | Omit<ClientFrameOf<'chat.delete'>, 'clientId'> | Omit<ClientFrameOf<'chat.react'>, 'clientId'>;

/** How long a command may go unanswered before the caller is told it may not have been applied. */
export const COMMAND_TIMEOUT_MS = 10_000;

/**
 * Why a command was not applied: `code` is the server's error code (`forbidden`, `not_found`,
 * `rate_limited`, ...), or `offline` when there was no connection to send it on or it closed
 * before the answer came.
 */
export class ChatCommandError extends Error {
  override name = 'ChatCommandError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface PendingCommand {
  resolve: (message: ChatMessage) => void;
  reject: (error: ChatCommandError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Commands sent and not yet answered, by client id. Unlike messages, they are not kept to resend:
 * an edit made while offline is refused at once, and the person sees it, rather than applied later
 * over what someone else did meanwhile.
 */
export class PendingCommands {
  private readonly pending = new Map<string, PendingCommand>();

  /** Waits for the answer to the command sent under `clientId`. */
  await(clientId: string): Promise<ChatMessage> {
    return new Promise<ChatMessage>((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle(clientId, (command) => command.reject(new ChatCommandError('offline', 'The server did not answer: try again.'))),
        COMMAND_TIMEOUT_MS,
      );
      this.pending.set(clientId, { resolve, reject, timer });
    });
  }

  applied(frame: ServerFrameOf<'chat.applied'>): void {
    this.settle(frame.clientId, (command) => command.resolve(frame.message));
  }

  /** An `error` frame: settles the command it names, if it is one of ours. */
  refused(frame: ServerFrameOf<'error'>): void {
    const clientId = frame.ref?.clientId;
    if (clientId) this.settle(clientId, (command) => command.reject(new ChatCommandError(frame.code, frame.message)));
  }

  /** The connection closed: no answer will come to what was sent on it. */
  abandonAll(): void {
    for (const clientId of [...this.pending.keys()]) {
      this.settle(clientId, (command) => command.reject(new ChatCommandError('offline', 'The connection was lost: the change may not have been made.')));
    }
  }

  private settle(clientId: string, outcome: (command: PendingCommand) => void): void {
    const command = this.pending.get(clientId);
    if (!command) return;
    this.pending.delete(clientId);
    clearTimeout(command.timer);
    outcome(command);
  }
}
