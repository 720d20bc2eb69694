import type { CollaroBridge, CollaroPickerBridge, CollaroSharingBarBridge } from '@collaro/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** The preloads run against a recording contextBridge and ipcRenderer: what a page can reach is exactly what they expose. */
const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invocations: [] as [string, unknown[]][],
  replies: new Map<string, unknown>(),
  listeners: new Map<string, ((event: unknown, payload: unknown) => void)[]>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => fake.exposed.set(key, value) },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      fake.invocations.push([channel, args]);
      return fake.replies.get(channel) ?? { ok: true, value: undefined };
    },
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      fake.listeners.set(channel, [...(fake.listeners.get(channel) ?? []), listener]);
    },
    removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      fake.listeners.set(
        channel,
        (fake.listeners.get(channel) ?? []).filter((candidate) => candidate !== listener),
      );
    },
  },
}));

// Electron sets this in every context-isolated preload; Clerk's preload relies on it.
Object.defineProperty(process, 'contextIsolated', { value: true, configurable: true });

beforeEach(() => {
  fake.invocations.length = 0;
  fake.replies.clear();
  fake.listeners.clear();
});

describe('app preload (window.collaro)', () => {
  it('exposes named areas of actions and nothing that reaches IPC generically', async () => {
    await import('../../src/preload/index.js');
    const collaro = fake.exposed.get('collaro') as CollaroBridge;
    expect([...fake.exposed.keys()]).toEqual(['collaro', '__clerk_internal_electron']);
    // Clerk's bridge is named actions too: its token cache and sign-in redirect, nothing generic.
    const clerk = fake.exposed.get('__clerk_internal_electron') as Record<string, Record<string, unknown>>;
    expect(Object.keys(clerk).sort()).toEqual(['oauthTransport', 'tokenCache']);
    expect(Object.keys(clerk.tokenCache!).sort()).toEqual(['clearToken', 'getToken', 'saveToken']);
    expect(Object.keys(collaro).sort()).toEqual([
      'app',
      'call',
      'calls',
      'deepLinks',
      'meetings',
      'notifications',
      'permissions',
      'screenShare',
      'settings',
      'tray',
    ]);
    const everyMember = Object.values(collaro).flatMap((area) => Object.keys(area as object));
    expect(everyMember).not.toContain('invoke');
    expect(everyMember).not.toContain('send');
    expect(everyMember).not.toContain('ipcRenderer');
    for (const area of Object.values(collaro)) {
      for (const member of Object.values(area as Record<string, unknown>)) expect(typeof member).toBe('function');
    }
  });

  it('turns an action into its contract channel and a refusal from main into a rejected promise', async () => {
    await import('../../src/preload/index.js');
    const collaro = fake.exposed.get('collaro') as CollaroBridge;
    await collaro.tray.setUnread(3);
    expect(fake.invocations).toEqual([['collaro:tray.setUnread', [3]]]);
    fake.replies.set('collaro:settings.set', { ok: false, error: { code: 'invalid-argument', message: 'settings.set: invalid argument at backendUrl' } });
    await expect(collaro.settings.set({ backendUrl: 'nope' })).rejects.toThrow('settings.set: invalid argument at backendUrl');
  });

  it('hands listeners the payload only, never the Electron event, and unsubscribes', async () => {
    await import('../../src/preload/index.js');
    const collaro = fake.exposed.get('collaro') as CollaroBridge;
    const received: unknown[] = [];
    const unsubscribe = collaro.tray.onJoinMeeting((payload) => received.push(payload));
    const [listener] = fake.listeners.get('collaro:tray.joinMeeting')!;
    listener!({ sender: 'ipc internals', ports: [] }, { meetingId: 'm1' });
    expect(received).toEqual([{ meetingId: 'm1' }]);
    unsubscribe();
    expect(fake.listeners.get('collaro:tray.joinMeeting')).toEqual([]);
  });
});

describe('picker and sharing-bar preloads', () => {
  it('give the picker only listing and choosing, and the bar only Stop', async () => {
    await import('../../src/picker/picker-preload.js');
    await import('../../src/picker/sharing-bar-preload.js');
    const picker = fake.exposed.get('collaroPicker') as CollaroPickerBridge;
    const bar = fake.exposed.get('collaroSharingBar') as CollaroSharingBarBridge;
    expect(Object.keys(picker).sort()).toEqual(['choose', 'listSources']);
    expect(Object.keys(bar)).toEqual(['stop']);
    await picker.choose({ action: 'cancel' });
    await bar.stop();
    expect(fake.invocations).toEqual([
      ['collaro:screenShare.choose', [{ action: 'cancel' }]],
      ['collaro:screenShare.stop', []],
    ]);
  });
});
