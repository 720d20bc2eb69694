/** The baseline: a bare `ws` server that answers `auth` with `ready` and rebroadcasts every other text frame to every client. */
import { WebSocketServer, type WebSocket } from 'ws';
import { answerMemoryProbes } from './memory-probe.js';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 });
const clients = new Set<WebSocket>();
server.on('connection', (socket) => {
  clients.add(socket);
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const text = data.toString();
    // The same handshake as Collaro's gateway, with nothing checked.
    if (text.startsWith('{"type":"auth"')) socket.send('{"type":"ready"}');
    else for (const client of clients) client.send(text);
  });
  socket.on('close', () => clients.delete(socket));
  socket.on('error', () => {});
});
server.on('listening', () => {
  const address = server.address() as { port: number };
  process.send!({ kind: 'ready', url: `ws://127.0.0.1:${address.port}` });
});
answerMemoryProbes();
