import { ipcRenderer } from 'electron';
import {
  ipcChannelName,
  type IpcEventChannel,
  type IpcEventPayload,
  type IpcInput,
  type IpcInvokeChannel,
  type IpcOutput,
  type IpcReply,
  type Unsubscribe,
} from '@collaro/shared';

/**
 * The only two ways a Collaro page reaches main. They stay inside the preload: pages get named
 * actions built from them, never these functions or ipcRenderer itself.
 */
export async function invoke<C extends IpcInvokeChannel>(channel: C, ...input: IpcInput<C> extends undefined ? [] : [IpcInput<C>]): Promise<IpcOutput<C>> {
  const reply = (await ipcRenderer.invoke(ipcChannelName(channel), ...input)) as IpcReply<IpcOutput<C>>;
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value;
}

export function subscribe<C extends IpcEventChannel>(channel: C, listener: (payload: IpcEventPayload<C>) => void): Unsubscribe {
  const name = ipcChannelName(channel);
  // The Electron event (with its sender and ports) never reaches the page.
  const wrapped = (_event: unknown, payload: IpcEventPayload<C>): void => listener(payload);
  ipcRenderer.on(name, wrapped);
  return () => {
    ipcRenderer.removeListener(name, wrapped);
  };
}
