import { useEffect, useRef } from 'react';
import { playOn } from './speaker-select.js';
import { Avatar } from '../../../ui/avatar.js';
import { MicOff } from 'lucide-react';

/** Plays one participant's voice, whatever their tiles show, on the chosen speaker. */
export function ParticipantAudio({ stream, outputId }: { stream: MediaStream; outputId: string | null }) {
  const audioRef = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (audioRef.current && audioRef.current.srcObject !== stream) audioRef.current.srcObject = stream;
  }, [stream]);
  useEffect(() => {
    // An output unplugged since it was chosen leaves the sound on the default one.
    if (audioRef.current) void playOn(audioRef.current, outputId).catch(() => undefined);
  }, [outputId]);
  return <audio ref={audioRef} autoPlay data-testid="participant-audio" />;
}

/** One video with its owner's name; shows the avatar instead when there is no picture. */
export function VideoTile({
  stream,
  name,
  isLocal,
  audioMuted,
  videoOff,
  kind,
  participantId,
  large = false,
  speaking = false,
}: {
  stream: MediaStream | null;
  name: string;
  isLocal: boolean;
  audioMuted: boolean;
  videoOff: boolean;
  kind: 'camera' | 'screen';
  participantId: string;
  large?: boolean;
  speaking?: boolean;
}) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const showVideo = stream !== null && (kind === 'screen' || !videoOff);
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    if (video.srcObject !== stream) video.srcObject = stream;
  }, [stream, showVideo]);

  const label = kind === 'screen' ? `${name} is presenting` : `${name}${isLocal ? ' (you)' : ''}`;
  return (
    <figure
      className={`video-tile${large ? ' video-tile-large' : ''}${kind === 'screen' ? ' video-tile-screen' : ''}${speaking ? ' video-tile-speaking' : ''}`}
      data-participant-id={participantId}
      data-kind={kind}
      data-speaking={speaking || undefined}
    >
      {stream ? (
        <video
          ref={videoRef}
          autoPlay
          playsInline
          // Voices play from the room's audio elements, which stay when a tile changes or hides.
          muted
          className={isLocal && kind === 'camera' ? 'mirrored' : undefined}
          hidden={!showVideo}
          data-testid={isLocal ? `local-${kind}` : `remote-${kind}`}
          aria-label={label}
        />
      ) : null}
      {!showVideo ? (
        <div className="video-placeholder">
          <Avatar name={name} size={large ? 96 : 56} />
        </div>
      ) : null}
      <figcaption className="video-caption">
        {audioMuted && kind === 'camera' ? (
          <span className="mic-off" role="img" aria-label="Microphone off">
            <MicOff size={16} aria-hidden="true" />
          </span>
        ) : null}
        {label}
      </figcaption>
    </figure>
  );
}
