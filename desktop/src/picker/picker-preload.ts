import { contextBridge } from 'electron';
import type { CollaroPickerBridge } from '@collaro/shared';
import { invoke } from '../preload/ipc-client.js';

const picker: CollaroPickerBridge = {
  listSources: () => invoke('screenShare.listSources'),
  choose: (choice) => invoke('screenShare.choose', choice),
};

contextBridge.exposeInMainWorld('collaroPicker', picker);
