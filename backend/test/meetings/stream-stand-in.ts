import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
}

type Responder = (request: RecordedRequest) => { status: number; body: unknown } | undefined;

/**
 * Plays Stream's REST API on 127.0.0.1 for contract tests: records every request the SDK makes
 * and answers with the smallest bodies the SDK accepts.
 */
export class StreamStandIn {
  readonly requests: RecordedRequest[] = [];
  /** Overrides the answer to matching requests (e.g. to make Stream fail). */
  respond: Responder = () => undefined;
  private server: Server | undefined;

  get url() {
    const address = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://stand-in');
        const text = Buffer.concat(chunks).toString('utf8');
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: text ? JSON.parse(text) : undefined,
        };
        this.requests.push(recorded);
        const answer = this.respond(recorded) ?? { status: 200, body: defaultBody(recorded) };
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  clear() {
    this.requests.length = 0;
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function defaultBody(request: RecordedRequest): unknown {
  const now = new Date().toISOString();
  if (request.path.endsWith('/recordings')) {
    return {
      duration: '1ms',
      recordings: [
        {
          filename: 'standup.mp4',
          url: 'https://cdn.stream.example/standup.mp4',
          start_time: '2031-01-01T10:00:00.000Z',
          end_time: '2031-01-01T10:30:00.000Z',
          session_id: 'session-1',
          recording_type: 'composite',
        },
      ],
    };
  }
  if (request.path === '/api/v2/users') return { duration: '1ms', users: {} };
  return { duration: '1ms', created: true, members: [], call: { cid: 'default:x', created_at: now, updated_at: now } };
}
