/**
 * Calls in both directions between the test process and the emulated Electron main process, over
 * the child process's IPC channel (advanced serialization, so bytes cross as bytes).
 */
export interface ChannelPort {
  send(message: unknown, callback?: (error: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

type Message =
  | { kind: 'call'; id: number; method: string; params: unknown }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: string }
  | { kind: 'notify'; method: string; params: unknown };

type Handler = (params: never) => unknown;

export class ControlChannel {
  readonly #port: ChannelPort;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; method: string }>();
  readonly #handlers = new Map<string, Handler>();
  #nextId = 1;
  #closedReason: string | null = null;

  constructor(port: ChannelPort) {
    this.#port = port;
    port.on('message', (message) => this.#receive(message as Message));
  }

  /** Answers calls named `method`; what the handler returns (or throws) goes back to the caller. */
  handle<P, R>(method: string, handler: (params: P) => R | Promise<R>): void {
    this.#handlers.set(method, handler);
  }

  call<R = unknown>(method: string, params: unknown = null): Promise<R> {
    if (this.#closedReason) return Promise.reject(new Error(`${method}: ${this.#closedReason}`));
    const id = this.#nextId++;
    return new Promise<R>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, method });
      this.#send({ kind: 'call', id, method, params });
    });
  }

  notify(method: string, params: unknown = null): void {
    if (this.#closedReason) return;
    this.#send({ kind: 'notify', method, params });
  }

  /** The other side is gone: every call still waiting fails with the reason. */
  close(reason: string): void {
    if (this.#closedReason) return;
    this.#closedReason = reason;
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.reject(new Error(`${pending.method}: ${reason}`));
    }
  }

  get closed(): boolean {
    return this.#closedReason !== null;
  }

  #send(message: Message): void {
    try {
      this.#port.send(message, (error) => {
        if (error) this.close(`the other process is gone (${error.message})`);
      });
    } catch (error) {
      this.close(`the other process is gone (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  #receive(message: Message): void {
    if (!message || typeof message !== 'object' || !('kind' in message)) return;
    if (message.kind === 'reply') {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(new Error(message.error));
      return;
    }
    const handler = this.#handlers.get(message.method);
    if (message.kind === 'notify') {
      if (handler) void Promise.resolve().then(() => handler(message.params as never));
      return;
    }
    if (!handler) {
      this.#send({ kind: 'reply', id: message.id, ok: false, error: `nothing answers ${message.method}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.params as never))
      .then(
        (value) => this.#send({ kind: 'reply', id: message.id, ok: true, value }),
        (error: unknown) => this.#send({ kind: 'reply', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  }
}
