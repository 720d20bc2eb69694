import { useEffect, useState } from 'react';
import { useRealtime } from '../../../app/realtime.js';
import { desktopBridge } from '../../../platform/desktop-bridge.js';
import { FullPageSpinner } from '../../../ui/spinner.js';
import type { LocalRoomProps } from '../call/call-types.js';
import { useEndMeeting } from '../meetings-api.js';
import { useCallSnapshot, type CallSession } from '../room/call-session.js';
import { MeetingChatPanel } from '../room/meeting-chat-panel.js';
import { MeetingRoom } from '../room/meeting-room.js';
import { createMeshCallSession } from './mesh-call-session.js';

/** The meeting room on Collaro's built-in WebRTC mesh, with Collaro's own components. */
export function LocalMeetingRoom({ meeting, join, media, isHost, onStatus, bindCommands, onExit }: LocalRoomProps) {
  const realtime = useRealtime()?.client ?? null;
  const [session, setSession] = useState<CallSession | null>(null);

  useEffect(() => {
    if (!realtime) return;
    const created = createMeshCallSession({ realtime, join, media });
    setSession(created);
    return () => {
      created.dispose();
      setSession(null);
    };
  }, [realtime, join, media]);

  if (!session) return <FullPageSpinner label="Connecting to the call" />;
  return (
    <ConnectedRoom
      session={session}
      meetingProps={{ meeting, join, media, isHost, onStatus, bindCommands, onExit }}
    />
  );
}

function ConnectedRoom({
  session,
  meetingProps: { meeting, isHost, onStatus, bindCommands, onExit },
}: {
  session: CallSession;
  meetingProps: LocalRoomProps;
}) {
  const snapshot = useCallSnapshot(session);
  const end = useEndMeeting(meeting.id);

  useEffect(() => {
    onStatus({ muted: snapshot.muted, cameraOff: snapshot.cameraOff, sharing: snapshot.sharing });
  }, [snapshot.muted, snapshot.cameraOff, snapshot.sharing, onStatus]);

  useEffect(() => {
    bindCommands({
      toggleMute: () => session.setMuted(!session.getSnapshot().muted),
      toggleCamera: () => session.setCameraOff(!session.getSnapshot().cameraOff),
      leave: () => session.leave(),
    });
    return () => bindCommands(null);
  }, [session, bindCommands]);

  // The desktop shell's "You are sharing — Stop" bar lives outside this window.
  useEffect(() => {
    const bridge = desktopBridge();
    if (!bridge || !snapshot.sharing) return;
    const unsubscribe = bridge.screenShare.onStopped(() => session.stopScreenShare());
    return () => {
      unsubscribe();
      void bridge.screenShare.stop();
    };
  }, [session, snapshot.sharing]);

  useEffect(() => {
    if (snapshot.exit) onExit(snapshot.exit);
  }, [snapshot.exit, onExit]);

  return (
    <MeetingRoom
      meeting={meeting}
      session={session}
      isHost={isHost}
      chatPanel={<MeetingChatPanel meetingId={meeting.id} />}
      endError={end.error}
      onEndForEveryone={() => end.mutate(undefined, { onSuccess: () => onExit({ reason: 'ended' }) })}
    />
  );
}
