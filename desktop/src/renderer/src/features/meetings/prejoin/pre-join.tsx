import { useEffect, useRef, useState } from 'react';
import { ErrorBanner } from '../../../ui/error-banner.js';
import type { MeetingFlow } from '../flow/meeting-flow.js';
import { useMeetingFlowState } from '../flow/meeting-flow-hooks.js';
import { SpeakerSelect } from '../room/speaker-select.js';
import { useAudioLevel } from './use-audio-level.js';
import { useMediaDevices } from './use-media-devices.js';

/**
 * Camera preview, microphone meter and device choice before joining. The meeting's flow opens the
 * devices and hands the same stream to the call on join, so the camera does not blink off and on.
 */
export function PreJoin({
  title,
  subtitle,
  userName,
  flow,
  onCancel,
}: {
  title: string;
  /** When and what the meeting is, e.g. its time and whether it is live. */
  subtitle: string;
  userName: string;
  flow: MeetingFlow;
  onCancel: () => void;
}) {
  const [micOn, setMicOn] = useState(true);
  const [cameraOn, setCameraOn] = useState(true);
  const [audioDeviceId, setAudioDeviceId] = useState<string | null>(null);
  const [videoDeviceId, setVideoDeviceId] = useState<string | null>(null);
  const [audioOutputId, setAudioOutputId] = useState<string | null>(null);
  const { phase, devices: preview } = useMeetingFlowState(flow);
  const stream = preview.stream;
  const mediaError = preview.error;
  const waitingForDevices = phase.kind === 'awaiting-devices';
  const joining = phase.kind === 'joining';
  const joinError = phase.kind === 'lobby' || phase.kind === 'awaiting-devices' ? phase.joinError : null;
  const videoRef = useRef<HTMLVideoElement>(null);
  const devices = useMediaDevices(stream);
  const level = useAudioLevel(stream, micOn);

  useEffect(() => flow.openDevices(audioDeviceId, videoDeviceId), [flow, audioDeviceId, videoDeviceId]);

  useEffect(() => {
    stream?.getAudioTracks().forEach((track) => (track.enabled = micOn));
  }, [stream, micOn]);
  useEffect(() => {
    stream?.getVideoTracks().forEach((track) => (track.enabled = cameraOn));
  }, [stream, cameraOn]);
  useEffect(() => {
    if (videoRef.current) videoRef.current.srcObject = cameraOn ? stream : null;
  }, [stream, cameraOn]);

  const join = () => void flow.join({ audioDeviceId, videoDeviceId, micOn, cameraOn, audioOutputId });

  const activeAudio = audioDeviceId ?? stream?.getAudioTracks()[0]?.getSettings().deviceId ?? '';
  const activeVideo = videoDeviceId ?? stream?.getVideoTracks()[0]?.getSettings().deviceId ?? '';

  return (
    <main className="prejoin" aria-labelledby="prejoin-title">
      <section className="prejoin-preview">
        <div className="prejoin-video">
          {cameraOn && stream ? (
            <video ref={videoRef} autoPlay playsInline muted className="mirrored" data-testid="prejoin-preview" aria-label="Your camera preview" />
          ) : (
            <div className="video-placeholder">{cameraOn ? 'Starting camera…' : 'Camera is off'}</div>
          )}
        </div>
        <div className="prejoin-toggles">
          <button type="button" className={micOn ? 'round-button' : 'round-button off'} aria-pressed={!micOn} onClick={() => setMicOn((on) => !on)}>
            {micOn ? 'Mute' : 'Unmute'}
          </button>
          <button type="button" className={cameraOn ? 'round-button' : 'round-button off'} aria-pressed={!cameraOn} onClick={() => setCameraOn((on) => !on)}>
            {cameraOn ? 'Stop video' : 'Start video'}
          </button>
        </div>
        <div className="mic-meter">
          <span className="small muted">Microphone</span>
          <meter min={0} max={1} low={0.15} high={0.8} optimum={0.5} value={level} aria-label="Microphone level" data-testid="mic-level" />
        </div>
      </section>
      <section className="prejoin-side card">
        <h1 id="prejoin-title">{title}</h1>
        <p className="muted">{subtitle}</p>
        <p>
          Joining as <strong>{userName}</strong>
        </p>
        {mediaError ? (
          <p className="banner banner-error" role="alert">
            {mediaError} You can still join without them.
          </p>
        ) : null}
        <label className="field">
          Microphone
          <select value={activeAudio} onChange={(event) => setAudioDeviceId(event.target.value || null)} disabled={devices.microphones.length === 0}>
            {devices.microphones.length === 0 ? <option value="">No microphone</option> : null}
            {devices.microphones.map((device, index) => (
              <option key={device.deviceId} value={device.deviceId}>
                {device.label || `Microphone ${index + 1}`}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Camera
          <select value={activeVideo} onChange={(event) => setVideoDeviceId(event.target.value || null)} disabled={devices.cameras.length === 0}>
            {devices.cameras.length === 0 ? <option value="">No camera</option> : null}
            {devices.cameras.map((device, index) => (
              <option key={device.deviceId} value={device.deviceId}>
                {device.label || `Camera ${index + 1}`}
              </option>
            ))}
          </select>
        </label>
        <SpeakerSelect value={audioOutputId} onChange={setAudioOutputId} refreshKey={stream} />
        <ErrorBanner error={joinError} />
        <div className="row">
          <button type="button" className="button button-primary" onClick={join} disabled={joining || waitingForDevices} data-testid="join-now">
            {waitingForDevices ? 'Starting your camera and microphone…' : joining ? 'Joining…' : 'Join now'}
          </button>
          <button type="button" className="button button-ghost" onClick={onCancel}>
            Back
          </button>
        </div>
        <p className="muted small">
          In the call: <kbd>Ctrl</kbd>+<kbd>D</kbd> mutes, <kbd>Ctrl</kbd>+<kbd>E</kbd> turns the camera off (<kbd>⌘</kbd> on a Mac).
        </p>
      </section>
    </main>
  );
}
