import { useSyncExternalStore } from 'react';
import { desktopBridge } from '../platform/desktop-bridge.js';

/** Unread counts per channel, fed by the chat connection; the shell and the tray read the total. */
class UnreadStore {
  private counts = new Map<string, number>();
  private total = 0;
  private listeners = new Set<() => void>();

  set(channelId: string, unread: number): void {
    if ((this.counts.get(channelId) ?? 0) === unread) return;
    if (unread === 0) this.counts.delete(channelId);
    else this.counts.set(channelId, unread);
    this.changed();
  }

  replaceAll(entries: Iterable<[string, number]>): void {
    this.counts = new Map([...entries].filter(([, unread]) => unread > 0));
    this.changed();
  }

  get(channelId: string): number {
    return this.counts.get(channelId) ?? 0;
  }

  getTotal = (): number => this.total;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    let total = 0;
    for (const unread of this.counts.values()) total += unread;
    const totalChanged = total !== this.total;
    this.total = total;
    if (totalChanged) void desktopBridge()?.tray.setUnread(Math.min(total, 1_000_000));
    for (const listener of this.listeners) listener();
  }
}

export const unreadStore = new UnreadStore();

export function useUnreadTotal(): number {
  return useSyncExternalStore(unreadStore.subscribe, unreadStore.getTotal);
}

export function useChannelUnread(channelId: string): number {
  return useSyncExternalStore(unreadStore.subscribe, () => unreadStore.get(channelId));
}
