import { EventEmitter } from 'node:events';
import type { IpcCallParams, IpcInvokeResult, ProtocolRequestParams, ProtocolResponse } from '../harness-types.js';
import type { EmulationContext } from './context.js';
import type { WebContentsEmulation } from './web-contents.js';

type CustomScheme = { scheme: string; privileges?: Record<string, boolean> };
type ProtocolHandler = (request: Request) => Response | Promise<Response>;

/** `protocol`: privileged schemes (once, before ready) and the handlers that answer their requests. */
export class ProtocolEmulation {
  _privileged: CustomScheme[] = [];
  _registrations = 0;
  readonly _handlers = new Map<string, ProtocolHandler>();
  _onHeadersReceived: ((url: string, headers: Headers) => Promise<Headers>) | null = null;

  constructor(readonly _context: EmulationContext) {}

  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    const context = this._context;
    if (context.ready) {
      throw context.violation('protocol.registerSchemesAsPrivileged after ready: Electron ignores it, the schemes get no privileges');
    }
    this._registrations += 1;
    if (this._registrations > 1) {
      const lost = this._privileged.map((scheme) => scheme.scheme).filter((name) => !schemes.some((scheme) => scheme.scheme === name));
      context.violation(
        `protocol.registerSchemesAsPrivileged called ${this._registrations} times: Electron keeps only the last call` +
          (lost.length > 0 ? `, so ${lost.join(', ')} lose their privileges` : '') +
          '. Register every scheme in one call.',
      );
    }
    this._privileged = schemes.map((scheme) => ({ scheme: scheme.scheme, privileges: { ...(scheme.privileges ?? {}) } }));
    context.control.notify('protocol.privileged', { schemes: this._privileged });
  }

  handle(scheme: string, handler: ProtocolHandler): void {
    this._context.requireReady(`protocol.handle('${scheme}')`);
    if (this._handlers.has(scheme)) throw this._context.violation(`protocol.handle('${scheme}') twice: Electron throws "Failed to register protocol"`);
    this._handlers.set(scheme, handler);
  }

  unhandle(scheme: string): void {
    this._handlers.delete(scheme);
  }

  isProtocolHandled(scheme: string): boolean {
    return this._handlers.has(scheme);
  }

  /** A request the bridged page made to `scheme://host/...`: main's own handler answers it. */
  async _serve(params: ProtocolRequestParams): Promise<ProtocolResponse> {
    const scheme = new URL(params.url).protocol.slice(0, -1);
    const handler = this._handlers.get(scheme);
    if (!handler) return { handled: false, reason: `no protocol.handle('${scheme}') answers ${params.url}` };
    const privileges = this._privileged.find((candidate) => candidate.scheme === scheme)?.privileges ?? {};
    if (!privileges['standard']) {
      this._context.violation(`${scheme}:// is served but not registered as a standard scheme: its URLs have no host, and relative URLs break`);
    }
    const init: RequestInit = { method: params.method, headers: params.headers };
    if (params.body && params.method !== 'GET' && params.method !== 'HEAD') init.body = Buffer.from(params.body);
    let response: Response;
    try {
      response = await handler(new Request(params.url, init));
    } catch (error) {
      this._context.log(`protocol handler for ${scheme} threw: ${String(error)}`);
      return { handled: false, reason: `the ${scheme} handler threw: ${String(error)}` };
    }
    if (!(response instanceof Response)) return { handled: false, reason: `the ${scheme} handler did not return a Response` };
    const headers = this._onHeadersReceived ? await this._onHeadersReceived(params.url, response.headers) : response.headers;
    return { handled: true, status: response.status, headers: [...headers.entries()], body: new Uint8Array(await response.arrayBuffer()) };
  }
}

/** The event main's IPC handlers receive, with the real sender and its top frame. */
function ipcEvent(contents: WebContentsEmulation) {
  return {
    type: 'frame' as const,
    sender: contents,
    senderFrame: contents.mainFrame,
    frameId: 1,
    processId: 1,
    ports: [] as unknown[],
    returnValue: undefined as unknown,
    reply: (channel: string, ...args: unknown[]) => contents.send(channel, ...args),
    preventDefault() {},
    defaultPrevented: false,
  };
}

/** `ipcMain`: one handler per channel, as Electron insists, plus the send/on listeners. */
export class IpcMainEmulation extends EventEmitter {
  readonly _handlers = new Map<string, (...args: unknown[]) => unknown>();

  constructor(
    readonly _context: EmulationContext,
    readonly _contents: (id: number) => WebContentsEmulation | undefined,
  ) {
    super();
  }

  handle(channel: string, handler: (...args: unknown[]) => unknown): void {
    if (this._handlers.has(channel)) {
      throw this._context.violation(`ipcMain.handle('${channel}') twice: Electron throws "Attempted to register a second handler for '${channel}'"`);
    }
    this._handlers.set(channel, handler);
  }

  handleOnce(channel: string, handler: (...args: unknown[]) => unknown): void {
    this.handle(channel, (...args) => {
      this._handlers.delete(channel);
      return handler(...args);
    });
  }

  removeHandler(channel: string): void {
    this._handlers.delete(channel);
  }

  /** `ipcRenderer.invoke` from a page. A channel without a handler is a broken bridge: reported, and rejected as Electron does. */
  async _invoke(params: IpcCallParams): Promise<IpcInvokeResult> {
    const contents = this._target(params);
    const handler = contents.ipc._handlers.get(params.channel) ?? this._handlers.get(params.channel);
    if (!handler) {
      this._context.violation(
        `a page invoked '${params.channel}', which has no handler in main: Electron rejects with "No handler registered for '${params.channel}'"`,
      );
      return { ok: false, message: `Error invoking remote method '${params.channel}': Error: No handler registered for '${params.channel}'` };
    }
    try {
      const value = await handler(ipcEvent(contents), ...params.args);
      // Electron clones the answer; what cannot be cloned fails the call.
      return { ok: true, value: structuredClone(value) };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { ok: false, message: `Error invoking remote method '${params.channel}': ${message}` };
    }
  }

  /** `ipcRenderer.send` from a page: delivered to the listeners; nobody listening is reported. */
  _send(params: IpcCallParams): void {
    const contents = this._target(params);
    const event = ipcEvent(contents);
    const perContents = contents.ipc.emit(params.channel, event, ...params.args);
    const global = this.emit(params.channel, event, ...params.args);
    if (!perContents && !global) this._context.violation(`a page sent '${params.channel}', which nothing in main listens to`);
  }

  _target(params: IpcCallParams): WebContentsEmulation {
    const contents = this._contents(params.webContentsId);
    if (!contents) throw new Error(`IPC from webContents ${params.webContentsId}, which main no longer has`);
    // The frame's URL at the moment it sent, as Electron's senderFrame reports it.
    contents._url = params.frameUrl;
    return contents;
  }
}
