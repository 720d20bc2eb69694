import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server that a test can cut (connections dropped and refused) or
 * stall (connections accepted, nothing forwarded), to play a database outage or a slow database,
 * or hold (what the server sends is kept back until released), to play a slow link.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private stalled = false;
  private held: { client: Socket; chunk: Buffer }[] | null = null;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start() {
    this.server = createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      if (this.stalled) return;
      const upstream = connect(this.targetPort, this.targetHost);
      this.sockets.add(upstream);
      upstream.on('close', () => {
        this.sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        if (this.held) this.held.push({ client, chunk });
        else client.write(chunk);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Drops every connection and refuses new ones, as a database that went away. */
  async cut() {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
    this.server = undefined;
  }

  async restore() {
    this.stalled = false;
    await this.start();
  }

  /** Drops current connections; new ones are accepted but never answered, as a database that hangs. */
  stall() {
    this.stalled = true;
    for (const socket of this.sockets) socket.destroy();
  }

  unstall() {
    this.stalled = false;
    for (const socket of this.sockets) socket.destroy();
  }

  /** Keeps back everything the server sends until `release()`, in order; connections stay open. */
  hold() {
    this.held ??= [];
  }

  release() {
    const held = this.held ?? [];
    this.held = null;
    for (const { client, chunk } of held) if (!client.destroyed) client.write(chunk);
  }

  async close() {
    await this.cut();
  }
}
