import { contextBridge } from 'electron';
import type { CollaroSharingBarBridge } from '@collaro/shared';
import { invoke } from '../preload/ipc-client.js';

const sharingBar: CollaroSharingBarBridge = {
  stop: () => invoke('screenShare.stop'),
};

contextBridge.exposeInMainWorld('collaroSharingBar', sharingBar);
