import { useEffect, useRef, useSyncExternalStore } from 'react';
import { desktopBridge } from '../../../platform/desktop-bridge.js';

/** How often the small call window's picture is refreshed: a live likeness, cheap to send. */
export const SPEAKER_FRAME_MS = 500;
const FRAME_WIDTH = 240;
const FRAME_HEIGHT = 180;
/** Under the contract's 300 kB per frame with room to spare at this size. */
const JPEG_QUALITY = 0.7;

let wanted = false;
const listeners = new Set<() => void>();

/** Main opened (true) or closed the small call window: frames are captured only meanwhile. */
export function setSpeakerWanted(next: boolean): void {
  if (wanted === next) return;
  wanted = next;
  listeners.forEach((listener) => listener());
}

function useSpeakerWanted(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => wanted,
  );
}

export interface SpeakerToShow {
  name: string;
  muted: boolean;
  /** The camera to picture; null when it is off. */
  camera: MediaStream | null;
}

/**
 * Sends the active speaker to the desktop's small call window while it is open. A MediaStream
 * cannot cross into another window, so the window gets the speaker's name and a JPEG still of their
 * camera every SPEAKER_FRAME_MS.
 */
export function useMiniWindowSpeaker(speaker: SpeakerToShow | null): void {
  const active = useSpeakerWanted();
  const latest = useRef(speaker);
  latest.current = speaker;

  useEffect(() => {
    const bridge = desktopBridge();
    if (!bridge || !active) return;
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    const canvas = document.createElement('canvas');
    canvas.width = FRAME_WIDTH;
    canvas.height = FRAME_HEIGHT;
    const context = canvas.getContext('2d');
    let shownStream: MediaStream | null = null;

    const capture = (): string | null => {
      const camera = latest.current?.camera ?? null;
      if (camera !== shownStream) {
        shownStream = camera;
        video.srcObject = camera;
        if (camera) void video.play().catch(() => undefined);
      }
      if (!camera || !context || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) return null;
      // Cover the frame the way the window's picture is cropped.
      const scale = Math.max(FRAME_WIDTH / video.videoWidth, FRAME_HEIGHT / video.videoHeight);
      const width = video.videoWidth * scale;
      const height = video.videoHeight * scale;
      context.drawImage(video, (FRAME_WIDTH - width) / 2, (FRAME_HEIGHT - height) / 2, width, height);
      return canvas.toDataURL('image/jpeg', JPEG_QUALITY);
    };

    const send = () => {
      const current = latest.current;
      void bridge.call.setSpeaker(current ? { name: current.name, muted: current.muted, frame: capture() } : null).catch(() => undefined);
    };
    send();
    const timer = setInterval(send, SPEAKER_FRAME_MS);
    return () => {
      clearInterval(timer);
      video.srcObject = null;
    };
  }, [active]);
}
