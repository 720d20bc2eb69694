export * from './realtime-client.js';
export * from './browser-socket.js';
