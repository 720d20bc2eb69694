/**
 * The attacking account of bench/ws-abuse: one connection at a time, sending the most expensive
 * frames it can as fast as the socket takes them, and reconnecting at once whenever it is dropped.
 * With `control` it does exactly the same against a sink of its own (a bare `ws` server in this
 * process that reads and drops everything), so the runner can time the victim while the attacking
 * client loads the machine but the Collaro server is left alone. Reports what it sent and got when
 * the runner says stop.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { MESSAGE_BODY_MAX_LENGTH, PRESENCE_SUBSCRIBE_MAX } from '@collaro/shared';

/** The most entries a resume frame could carry before the cap, so the same frames go to old and new servers. */
const RESUME_ENTRIES = 100;

const ready = JSON.parse(process.argv[2]!) as { wsUrl: string; attackerToken: string; channelId: string };
const control = process.argv[3] === 'control';

/** Replays of a long history, unknown channels, the presence of strangers, typing, the largest messages. */
function worstFrames(channelId: string): string[] {
  const repeat = Array.from({ length: RESUME_ENTRIES }, () => ({ channelId, afterEventSeq: 0 }));
  const unknown = Array.from({ length: RESUME_ENTRIES }, () => ({ channelId: randomUUID(), afterEventSeq: 0 }));
  return [
    JSON.stringify({ type: 'resume', channels: repeat }),
    JSON.stringify({ type: 'resume', channels: unknown }),
    JSON.stringify({ type: 'presence.subscribe', userIds: Array.from({ length: PRESENCE_SUBSCRIBE_MAX }, () => randomUUID()) }),
    JSON.stringify({ type: 'typing', channelId }),
  ];
}

let target = ready.wsUrl;
if (control) {
  const sink = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  sink.on('connection', (socket) => socket.on('message', () => {}));
  await new Promise((resolve) => sink.once('listening', resolve));
  target = `ws://127.0.0.1:${(sink.address() as AddressInfo).port}`;
}

const stats = { connections: 0, framesSent: 0, bytesReceived: 0, closes: new Map<number, number>() };
let stopped = false;
const frames = worstFrames(ready.channelId);
// Built once, so the attacker's own CPU (which shares the machine with the server) goes into sending.
const longMessages = Array.from({ length: 500 }, () =>
  JSON.stringify({ type: 'chat.send', clientId: randomUUID(), channelId: ready.channelId, body: 'y'.repeat(MESSAGE_BODY_MAX_LENGTH) }),
);

function connect() {
  if (stopped) return;
  stats.connections += 1;
  const socket = new WebSocket(target, { perMessageDeflate: false });
  let flooding: NodeJS.Timeout | undefined;
  socket.on('open', () => {
    socket.send(JSON.stringify({ type: 'auth', token: ready.attackerToken }));
    let i = 0;
    // As fast as the socket takes them: a new batch whenever the previous one has left the process.
    flooding = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN || socket.bufferedAmount > 1024 * 1024) return;
      for (let n = 0; n < 20; n += 1) {
        const frame = i % 5 === 4 ? longMessages[((i / 5) % longMessages.length) | 0]! : frames[i % frames.length]!;
        socket.send(frame);
        i += 1;
        stats.framesSent += 1;
      }
    }, 5);
  });
  socket.on('message', (data: Buffer) => {
    stats.bytesReceived += data.length;
  });
  socket.on('error', () => {});
  socket.on('close', (code) => {
    clearInterval(flooding);
    stats.closes.set(code, (stats.closes.get(code) ?? 0) + 1);
    setImmediate(connect);
  });
}

connect();
process.on('message', (message) => {
  if (message !== 'stop') return;
  stopped = true;
  process.send!({ ...stats, closes: [...stats.closes] });
});
