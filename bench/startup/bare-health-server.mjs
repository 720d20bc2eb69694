// The baseline: Node starting and answering /healthz with nothing else to do.
import { createServer } from 'node:http';

const server = createServer((request, response) => {
  response.setHeader('content-type', 'application/json');
  response.end('{"status":"ok"}');
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGINT', () => server.close(() => process.exit(0)));
