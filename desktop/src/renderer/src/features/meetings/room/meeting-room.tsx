import type { Meeting } from '@collaro/shared';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { ErrorBanner } from '../../../ui/error-banner.js';
import { useMiniWindowSpeaker } from '../call/mini-window-speaker.js';
import { PushToTalkStatus } from '../call/push-to-talk-status.js';
import { CALL_SHORTCUTS } from '../call/use-call-bridge.js';
import { useCallSnapshot, type CallSession, type CallConnectionState } from './call-session.js';
import { ParticipantsPanel } from './participants-panel.js';
import { SpeakerSelect } from './speaker-select.js';
import { featuredTile, tilesOf, type Tile } from './room-layout.js';
import { useActiveSpeaker } from './use-active-speaker.js';
import { ParticipantAudio, VideoTile } from './video-tile.js';

export type RoomLayout = 'grid' | 'speaker';
type SidePanel = 'participants' | 'chat' | null;

const CONNECTION_LABEL: Record<CallConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Connection lost, reconnecting…',
  disconnected: 'Disconnected',
};

/**
 * Collaro's own meeting room: grid or speaker layout, the controls, the participants list and the
 * in-call chat. It drives any CallSession; the end-for-everyone request goes through the host's
 * callback because it is an HTTP call, not a media action.
 */
export function MeetingRoom({
  meeting,
  session,
  isHost,
  chatPanel,
  onEndForEveryone,
  endError,
  initialSpeakerId,
}: {
  meeting: Pick<Meeting, 'id' | 'title'>;
  session: CallSession;
  /** The speaker chosen on the pre-join; null for the system default. */
  initialSpeakerId: string | null;
  isHost: boolean;
  chatPanel: ReactNode;
  onEndForEveryone: () => void;
  endError: unknown;
}) {
  const snapshot = useCallSnapshot(session);
  const [layout, setLayout] = useState<RoomLayout>('grid');
  const [panel, setPanel] = useState<SidePanel>(null);
  const [pinned, setPinned] = useState<string | null>(null);
  const [shareError, setShareError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [outputId, setOutputId] = useState<string | null>(initialSpeakerId);
  const tiles = useMemo(() => tilesOf(snapshot.participants), [snapshot.participants]);

  useEffect(() => {
    if (!snapshot.notice) return;
    setNotice(snapshot.notice);
    const timer = setTimeout(() => setNotice(null), 6_000);
    return () => clearTimeout(timer);
  }, [snapshot.notice]);

  const someoneShares = tiles.some((tile) => tile.kind === 'screen');
  // A screen share is what everyone wants to read: when one starts it takes the stage, and the
  // user may still go back to the grid (the screen is then one tile among the cameras).
  useEffect(() => {
    if (someoneShares) setLayout('speaker');
  }, [someoneShares]);
  const speakerId = useActiveSpeaker(snapshot.participants);
  const featured = featuredTile(tiles, pinned, speakerId);
  // The small call window (desktop) pictures whoever talks, or the first of the others until someone does.
  const pictured =
    snapshot.participants.find((participant) => participant.id === speakerId) ?? snapshot.participants.find((participant) => !participant.isLocal) ?? null;
  useMiniWindowSpeaker(pictured ? { name: pictured.name, muted: pictured.audioMuted, camera: pictured.videoOff ? null : pictured.camera } : null);

  const share = () => {
    setShareError(null);
    if (snapshot.sharing) {
      session.stopScreenShare();
      return;
    }
    session.startScreenShare().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'NotAllowedError') return;
      setShareError(error instanceof Error ? error.message : 'Screen sharing could not start.');
    });
  };

  const others = snapshot.participants.length - 1;
  return (
    <main className="room" aria-label={`Meeting: ${meeting.title}`} data-testid="meeting-room" data-layout={layout}>
      <header className="room-header">
        <h1 className="room-title">{meeting.title}</h1>
        <span className={`connection-pill connection-${snapshot.connection}`} role="status" data-testid="connection-state">
          {CONNECTION_LABEL[snapshot.connection]}
        </span>
        {snapshot.sharing ? (
          <span className="sharing-indicator" role="status" data-testid="sharing-indicator">
            ● You are sharing your screen
            <button type="button" className="button button-small" onClick={() => session.stopScreenShare()}>
              Stop sharing
            </button>
          </span>
        ) : null}
        <PushToTalkStatus muted={snapshot.muted} />
        <span className="grow" />
        <span className="muted small">{others === 0 ? 'Waiting for others to join' : `${others + 1} in the call`}</span>
        <div className="segmented" role="group" aria-label="Layout">
          <button
            type="button"
            aria-pressed={layout === 'grid'}
            onClick={() => {
              setPinned(null);
              setLayout('grid');
            }}
          >
            Grid
          </button>
          <button type="button" aria-pressed={layout === 'speaker'} onClick={() => setLayout('speaker')}>
            Speaker
          </button>
        </div>
      </header>

      {notice ? (
        <div className="banner banner-info room-notice" role="status">
          {notice}
        </div>
      ) : null}
      {shareError ? (
        <div className="banner banner-error room-notice" role="alert">
          {shareError}
        </div>
      ) : null}
      <ErrorBanner error={endError} />

      {snapshot.participants.map((participant) =>
        participant.audio ? <ParticipantAudio key={participant.id} stream={participant.audio} outputId={outputId} /> : null,
      )}
      <div className="room-body">
        <section className={`stage stage-${layout}`} aria-label="Videos">
          {layout === 'grid' ? (
            <div className="video-grid" style={{ ['--columns' as string]: String(Math.ceil(Math.sqrt(tiles.length))) }}>
              {tiles.map((tile) => (
                <button
                  type="button"
                  key={tile.key}
                  className="tile-button"
                  onClick={() => {
                    setPinned(tile.key);
                    setLayout('speaker');
                  }}
                  aria-label={`Show ${tile.participant.name} large`}
                >
                  <TileFor tile={tile} speaking={tile.kind === 'camera' && tile.participant.id === speakerId} />
                </button>
              ))}
            </div>
          ) : (
            <>
              <div className="speaker-main">
                {featured ? <TileFor tile={featured} large speaking={featured.kind === 'camera' && featured.participant.id === speakerId} /> : null}
              </div>
              <div className="filmstrip">
                {tiles
                  .filter((tile) => tile.key !== featured?.key)
                  .map((tile) => (
                    <button
                      type="button"
                      key={tile.key}
                      className="tile-button"
                      onClick={() => setPinned(tile.key)}
                      aria-label={`Show ${tile.participant.name} large`}
                    >
                      <TileFor tile={tile} speaking={tile.kind === 'camera' && tile.participant.id === speakerId} />
                    </button>
                  ))}
              </div>
            </>
          )}
        </section>
        {panel ? (
          <aside className="side-panel" aria-label={panel === 'chat' ? 'Meeting chat' : 'Participants'}>
            <header className="side-panel-header">
              <h2>{panel === 'chat' ? 'Chat' : `Participants (${snapshot.participants.length})`}</h2>
              <button type="button" className="icon-button" onClick={() => setPanel(null)} aria-label="Close panel">
                ×
              </button>
            </header>
            {panel === 'participants' ? (
              <ParticipantsPanel
                meetingId={meeting.id}
                participants={snapshot.participants}
                canModerate={isHost}
                onMute={(id) => session.muteParticipant(id)}
                onRemove={(id) => session.removeParticipant(id)}
              />
            ) : (
              chatPanel
            )}
          </aside>
        ) : null}
      </div>

      <footer className="controls" aria-label="Call controls">
        <button
          type="button"
          className={snapshot.muted ? 'control off' : 'control'}
          aria-pressed={snapshot.muted}
          disabled={!snapshot.hasMicrophone}
          onClick={() => session.setMuted(!snapshot.muted)}
          title={
            snapshot.hasMicrophone
              ? `${snapshot.muted ? 'Unmute' : 'Mute'} (${shortcutLabel(CALL_SHORTCUTS.toggleMute)})`
              : 'Collaro has no microphone to use; rejoin after allowing one'
          }
          data-testid="toggle-mute"
        >
          {!snapshot.hasMicrophone ? 'No microphone' : snapshot.muted ? 'Unmute' : 'Mute'}
        </button>
        <button
          type="button"
          className={snapshot.cameraOff ? 'control off' : 'control'}
          aria-pressed={snapshot.cameraOff}
          disabled={!snapshot.hasCamera}
          onClick={() => session.setCameraOff(!snapshot.cameraOff)}
          title={
            snapshot.hasCamera
              ? `${snapshot.cameraOff ? 'Start video' : 'Stop video'} (${shortcutLabel(CALL_SHORTCUTS.toggleCamera)})`
              : 'Collaro has no camera to use; rejoin after allowing one'
          }
          data-testid="toggle-camera"
        >
          {!snapshot.hasCamera ? 'No camera' : snapshot.cameraOff ? 'Start video' : 'Stop video'}
        </button>
        <button
          type="button"
          className={snapshot.sharing ? 'control active' : 'control'}
          aria-pressed={snapshot.sharing}
          onClick={share}
          data-testid="toggle-share"
        >
          {snapshot.sharing ? 'Stop sharing' : 'Share screen'}
        </button>
        <button
          type="button"
          className="control"
          aria-pressed={panel === 'participants'}
          onClick={() => setPanel(panel === 'participants' ? null : 'participants')}
        >
          Participants
        </button>
        <button
          type="button"
          className="control"
          aria-pressed={panel === 'chat'}
          onClick={() => setPanel(panel === 'chat' ? null : 'chat')}
          data-testid="toggle-chat"
        >
          Chat
        </button>
        <SpeakerSelect value={outputId} onChange={setOutputId} className="control-select" />
        <span className="control-gap" />
        <button type="button" className="control leave" onClick={() => session.leave()} data-testid="leave">
          Leave
        </button>
        {isHost ? (
          <button
            type="button"
            className="control end"
            onClick={() => {
              if (window.confirm('End the meeting for everyone?')) onEndForEveryone();
            }}
            data-testid="end-for-everyone"
          >
            End for everyone
          </button>
        ) : null}
      </footer>
    </main>
  );
}

function TileFor({ tile, large = false, speaking = false }: { tile: Tile; large?: boolean; speaking?: boolean }) {
  return (
    <VideoTile
      stream={tile.stream}
      name={tile.participant.name}
      isLocal={tile.participant.isLocal}
      audioMuted={tile.participant.audioMuted}
      videoOff={tile.participant.videoOff}
      kind={tile.kind}
      participantId={tile.participant.id}
      large={large}
      speaking={speaking}
    />
  );
}

function shortcutLabel(combo: string): string {
  const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
  return combo.replace('mod', isMac ? '⌘' : 'Ctrl').replace(/\+(\w)$/, (_, key: string) => `+${key.toUpperCase()}`);
}
