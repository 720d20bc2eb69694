import { useEffect, useState } from 'react';
import { endpoints } from '@collaro/shared';
import { useRealtime } from '../../../app/realtime.js';
import { useServices } from '../../../app/services.js';
import { FullPageSpinner } from '../../../ui/spinner.js';
import type { MeshRoomProps } from '../call/call-types.js';
import { useEndMeeting } from '../meetings-api.js';
import { useCallSnapshot, type CallSession } from '../room/call-session.js';
import { MeetingChatPanel } from '../room/meeting-chat-panel.js';
import { MeetingRoom } from '../room/meeting-room.js';
import { usePeopleSeen } from '../room/use-people-seen.js';
import { createMeshCallSession } from './mesh-call-session.js';

/** The meeting room on Collaro's built-in WebRTC mesh, with Collaro's own components. */
export function MeshMeetingRoom({ meeting, join, media, prepared, isHost, onStatus, bindCommands, onExit }: MeshRoomProps) {
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
        prepared,
        rejoin: async () => {
          const renewed = await api.call(endpoints.meetings.join, { params: { id: meeting.id } });
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
  }, [api, realtime, join, media, prepared, meeting.id]);

  if (!session) return <FullPageSpinner label="Connecting to the call" />;
  return <ConnectedRoom session={session} meetingProps={{ meeting, join, media, isHost, onStatus, bindCommands, onExit }} />;
}

function ConnectedRoom({
  session,
  meetingProps: { meeting, media, isHost, onStatus, bindCommands, onExit },
}: {
  session: CallSession;
  meetingProps: MeshRoomProps;
}) {
  const snapshot = useCallSnapshot(session);
  const peopleSeen = usePeopleSeen(snapshot.participants);
  const end = useEndMeeting(meeting.id);

  useEffect(() => {
    onStatus({ muted: snapshot.muted, cameraOff: snapshot.cameraOff, sharing: snapshot.sharing });
  }, [snapshot.muted, snapshot.cameraOff, snapshot.sharing, onStatus]);

  useEffect(() => {
    bindCommands({
      toggleMute: () => session.setMuted(!session.getSnapshot().muted),
      setMuted: (muted) => session.setMuted(muted),
      toggleCamera: () => session.setCameraOff(!session.getSnapshot().cameraOff),
      stopScreenShare: () => session.stopScreenShare(),
      leave: () => session.leave(),
    });
    return () => bindCommands(null);
  }, [session, bindCommands]);

  useEffect(() => {
    if (snapshot.exit) onExit(snapshot.exit);
  }, [snapshot.exit, onExit]);

  return (
    <MeetingRoom
      meeting={meeting}
      session={session}
      isHost={isHost}
      initialSpeakerId={media.audioOutputId}
      chatPanel={<MeetingChatPanel meetingId={meeting.id} roster={peopleSeen} />}
      endError={end.error}
      onEndForEveryone={() => end.mutate(undefined, { onSuccess: () => onExit({ reason: 'ended' }) })}
    />
  );
}
