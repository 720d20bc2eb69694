/**
 * The baseline: a bare `ws` server speaking the same three-frame handshake as Collaro's gateway
 * (`auth` answered by `ready`, `resume` by `resumed`) with no work behind it.
 */
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ host: '127.0.0.1', port: Number(process.argv[4]), maxPayload: 64 * 1024 });
server.on('connection', (socket) => {
  socket.on('message', (data) => {
    const text = data.toString();
    if (text.includes('"auth"')) socket.send(JSON.stringify({ type: 'ready' }));
    else if (text.includes('"resume"')) socket.send(JSON.stringify({ type: 'resumed', channels: [] }));
  });
  socket.on('error', () => {});
});
server.on('listening', () => process.send!({ kind: 'ready', port: (server.address() as { port: number }).port }));
process.on('message', (message) => {
  if (message !== 'stop') return;
  for (const client of server.clients) client.close(1001, 'server shutting down');
  server.close(() => process.exit(0));
});
