import { useEffect, useState } from 'react';

/**
 * Whether this browser lets a page choose where its sound plays (`HTMLMediaElement.setSinkId`:
 * Chromium and Electron, Firefox and Safari recently). Where it cannot, sound plays on the system's
 * default output and Collaro offers no choice.
 */
export function canChooseSpeaker(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/** The system's audio outputs; listed by Chromium once the page may use the microphone. */
export function useSpeakers(refreshKey: unknown): MediaDeviceInfo[] {
  const [speakers, setSpeakers] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    if (!canChooseSpeaker() || !navigator.mediaDevices?.enumerateDevices) return;
    let cancelled = false;
    const read = () => {
      void navigator.mediaDevices.enumerateDevices().then((all) => {
        if (!cancelled) setSpeakers(all.filter((device) => device.kind === 'audiooutput' && device.deviceId !== ''));
      });
    };
    read();
    navigator.mediaDevices.addEventListener('devicechange', read);
    return () => {
      cancelled = true;
      navigator.mediaDevices.removeEventListener('devicechange', read);
    };
  }, [refreshKey]);
  return speakers;
}

/** A speaker picker; renders nothing where the browser cannot send sound to a chosen output. */
export function SpeakerSelect({
  value,
  onChange,
  refreshKey,
  className,
}: {
  /** The chosen output's deviceId; null for the system default. */
  value: string | null;
  onChange: (deviceId: string | null) => void;
  refreshKey?: unknown;
  className?: string;
}) {
  const speakers = useSpeakers(refreshKey);
  if (!canChooseSpeaker() || speakers.length === 0) return null;
  return (
    <label className={className ?? 'field'}>
      Speaker
      <select value={value ?? ''} onChange={(event) => onChange(event.target.value || null)} data-testid="speaker-select">
        {speakers.some((device) => device.deviceId === 'default') ? null : <option value="">System default</option>}
        {speakers.map((device, index) => (
          <option key={device.deviceId} value={device.deviceId === 'default' ? '' : device.deviceId}>
            {device.label || `Speaker ${index + 1}`}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Sends an element's sound to the chosen output (the system default for null). */
export async function playOn(element: HTMLMediaElement, deviceId: string | null): Promise<void> {
  if (!canChooseSpeaker()) return;
  const sink = deviceId ?? '';
  if (element.sinkId !== sink) await element.setSinkId(sink);
}
