import {
  ipcChannelName,
  ipcEventContract,
  ipcInvokeContract,
  type DesktopWindowKind,
  type IpcEventChannel,
  type IpcEventPayload,
  type IpcInvokeChannel,
  type IpcOutput,
  type IpcParsedInput,
  type IpcReply,
} from '@collaro/shared';
import { z } from 'zod';
import { originForWindow, originOf, type AppOrigins } from './app-origins.js';
import type { RegisteredWindow, WindowRegistry } from './window-registry.js';

/** The part of an IpcMainInvokeEvent the router looks at. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcCaller {
  kind: DesktopWindowKind;
  contentsId: number;
}

/** One implementation per channel of the contract: a channel without a handler fails the typecheck. */
export type IpcHandlers = {
  [C in IpcInvokeChannel]: (input: IpcParsedInput<C>, caller: IpcCaller) => HandlerResult<IpcOutput<C>>;
};
type HandlerResult<T> = [T] extends [undefined] ? void | Promise<void> : T | Promise<T>;

export type SenderCheck = { ok: true; caller: IpcCaller } | { ok: false; message: string };

/**
 * A message is answered only when it comes from the top frame of one of Collaro's own windows, of a
 * kind the channel allows, showing a page of that window's own origin (not something it navigated to).
 */
export function checkSender(channel: IpcInvokeChannel, event: InvokeEventLike, windows: Pick<WindowRegistry, 'kindOf'>, origins: AppOrigins): SenderCheck {
  const kind = windows.kindOf(event.sender.id);
  if (!kind) return { ok: false, message: `${channel} refused: the sender is not a Collaro window` };
  const allowed: readonly DesktopWindowKind[] = ipcInvokeContract[channel].from;
  if (!allowed.includes(kind)) return { ok: false, message: `${channel} refused: not available to the ${kind} window` };
  const frame = event.senderFrame;
  if (!frame) return { ok: false, message: `${channel} refused: the sending frame is gone` };
  if (frame.parent !== null) return { ok: false, message: `${channel} refused: only the top frame may call it` };
  if (originOf(frame.url) !== originForWindow(kind, origins)) {
    return { ok: false, message: `${channel} refused: the ${kind} window shows a foreign page` };
  }
  return { ok: true, caller: { kind, contentsId: event.sender.id } };
}

export function describeInvalidArgument(channel: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return `${channel}: invalid argument${where}: ${issue?.message ?? 'rejected'}`;
}

export interface IpcRouterDeps {
  ipcMain: IpcMainLike;
  windows: WindowRegistry;
  origins: AppOrigins;
  handlers: IpcHandlers;
  log: (message: string) => void;
}

export function createIpcRouter({ ipcMain, windows, origins, handlers, log }: IpcRouterDeps) {
  async function dispatch<C extends IpcInvokeChannel>(channel: C, event: InvokeEventLike, args: unknown[]): Promise<IpcReply<IpcOutput<C>>> {
    const sender = checkSender(channel, event, windows, origins);
    if (!sender.ok) {
      log(sender.message);
      return { ok: false, error: { code: 'forbidden-sender', message: sender.message } };
    }
    if (args.length > 1) {
      return { ok: false, error: { code: 'invalid-argument', message: `${channel}: takes at most one argument` } };
    }
    const parsed = ipcInvokeContract[channel].input.safeParse(args[0]);
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid-argument', message: describeInvalidArgument(channel, parsed.error) } };
    }
    try {
      const handler = handlers[channel] as (input: unknown, caller: IpcCaller) => unknown;
      // Main's answers follow the contract too, so a page never receives a shape it was not promised.
      const value = ipcInvokeContract[channel].output.parse(await handler(parsed.data, sender.caller)) as IpcOutput<C>;
      return { ok: true, value };
    } catch (error) {
      const message = `${channel} failed: ${error instanceof Error ? error.message : String(error)}`;
      log(message);
      return { ok: false, error: { code: 'failed', message } };
    }
  }

  const channels = Object.keys(ipcInvokeContract) as IpcInvokeChannel[];

  return {
    dispatch,
    start(): void {
      for (const channel of channels) {
        ipcMain.handle(ipcChannelName(channel), (event, ...args) => dispatch(channel, event, args));
      }
    },
    dispose(): void {
      for (const channel of channels) ipcMain.removeHandler(ipcChannelName(channel));
    },
  };
}

/** Sends a contract event to the window that should receive it, validated like everything else. */
export function createEventSender(windows: Pick<WindowRegistry<RegisteredWindow>, 'find'>, log: (message: string) => void) {
  return function emit<C extends IpcEventChannel>(channel: C, payload: IpcEventPayload<C>): boolean {
    const contract = ipcEventContract[channel];
    const parsed = contract.payload.safeParse(payload);
    if (!parsed.success) {
      log(describeInvalidArgument(channel, parsed.error));
      return false;
    }
    const target = windows.find(contract.to);
    if (!target || target.webContents.isDestroyed()) return false;
    target.webContents.send(ipcChannelName(channel), parsed.data);
    return true;
  };
}

export type EmitEvent = ReturnType<typeof createEventSender>;
