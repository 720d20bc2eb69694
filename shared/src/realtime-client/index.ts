export * from './realtime-client.js';
export * from './browser-socket.js';
export { MessageRejectedError } from './message-retries.js';
export { ChatCommandError, COMMAND_TIMEOUT_MS, type ChatCommand } from './chat-commands.js';
export { GAP_SETTLE_MS } from './resume-cursors.js';
