import type { CollaroBridge } from '@collaro/shared';

declare global {
  interface Window {
    /** Present only inside the Collaro desktop app (exposed by its preload script). */
    collaro?: CollaroBridge;
  }
}

/** The desktop bridge, or null in a plain browser where desktop-only features stay hidden. */
export function desktopBridge(): CollaroBridge | null {
  return typeof window !== 'undefined' && window.collaro ? window.collaro : null;
}

export function isDesktop(): boolean {
  return desktopBridge() !== null;
}
