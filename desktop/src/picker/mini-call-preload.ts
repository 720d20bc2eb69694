import { contextBridge } from 'electron';
import type { CollaroMiniCallBridge } from '@collaro/shared';
import { invoke, subscribe } from '../preload/ipc-client.js';

const miniCall: CollaroMiniCallBridge = {
  onView: (listener) => subscribe('miniCall.view', listener),
  command: (command) => invoke('miniCall.command', command),
};

contextBridge.exposeInMainWorld('collaroMiniCall', miniCall);
