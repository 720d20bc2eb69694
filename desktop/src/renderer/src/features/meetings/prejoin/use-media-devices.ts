import { useEffect, useState } from 'react';

export interface MediaDevices {
  microphones: MediaDeviceInfo[];
  cameras: MediaDeviceInfo[];
}

/** The microphones and cameras the system has; labels appear once the user has granted access. */
export function useMediaDevices(refreshKey: unknown): MediaDevices {
  const [devices, setDevices] = useState<MediaDevices>({ microphones: [], cameras: [] });
  useEffect(() => {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    let cancelled = false;
    const read = () =>
      navigator.mediaDevices.enumerateDevices().then((all) => {
        if (cancelled) return;
        setDevices({
          microphones: all.filter((device) => device.kind === 'audioinput' && device.deviceId !== ''),
          cameras: all.filter((device) => device.kind === 'videoinput' && device.deviceId !== ''),
        });
      });
    const onDeviceChange = () => void read();
    onDeviceChange();
    navigator.mediaDevices.addEventListener('devicechange', onDeviceChange);
    return () => {
      cancelled = true;
      navigator.mediaDevices.removeEventListener('devicechange', onDeviceChange);
    };
  }, [refreshKey]);
  return devices;
}

/** Why the browser refused a device, in words a user can act on. */
export function describeMediaError(error: unknown): string {
  if (error instanceof DOMException) {
    if (error.name === 'NotAllowedError')
      return 'Collaro was not allowed to use your camera or microphone. Allow it in the browser or system settings, then try again.';
    if (error.name === 'NotFoundError') return 'No camera or microphone was found.';
    if (error.name === 'NotReadableError') return 'Your camera or microphone is in use by another application.';
    if (error.name === 'OverconstrainedError') return 'The selected device is no longer available.';
  }
  if (!navigator.mediaDevices?.getUserMedia) return 'This browser cannot use a camera or microphone here (a secure https page is needed).';
  return error instanceof Error ? error.message : 'The camera or microphone could not be started.';
}
