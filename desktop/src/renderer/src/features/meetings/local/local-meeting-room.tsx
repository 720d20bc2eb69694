import { useEffect, useState } from 'react';
import { JoinMeetingResponseSchema } from '@collaro/shared';
import { useRealtime } from '../../../app/realtime.js';
import { useServices } from '../../../app/services.js';
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
  const { api } = useServices();
  const realtime = useRealtime()?.client ?? null;
  const [session, setSession] = useState<CallSession | null>(null);

  useEffect(() => {
    if (!realtime) return;
    let created: CallSession | null = null;
    // Entering and at once leaving a room costs the place the join request reserved, so the room is
    // entered a task later: an immediate remount (StrictMode in development) never enters twice.
    const timer = setTimeout(() => {
      created = createMeshCallSession({
        realtime,
        join,
        media,
        rejoin: async () => {
          const renewed = await api.post(`/api/meetings/${meeting.id}/join`, undefined, JoinMeetingResponseSchema);
          if (renewed.provider !== 'local') throw new Error('The meeting moved to another video provider; leave and join again.');
          return renewed;
        },
      });
      setSession(created);
    }, 0);
    return () => {
      clearTimeout(timer);
      created?.dispose();
      setSession(null);
    };
  }, [api, realtime, join, media, meeting.id]);

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
