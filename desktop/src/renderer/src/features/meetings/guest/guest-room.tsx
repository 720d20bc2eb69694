import { browserSocket, endpoints, RealtimeClient, type GuestEntry, type LocalJoinResponse, type StreamJoinResponse } from '@collaro/shared';
import { useQuery } from '@tanstack/react-query';
import { Suspense, useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../../api/api-client.js';
import { webSocketUrl } from '../../../app/realtime.js';
import { FullPageSpinner } from '../../../ui/spinner.js';
import type { CallExit, MediaChoice, StreamGuest } from '../call/call-types.js';
import { StreamMeetingRoom } from '../call/video-providers.js';
import type { PreparedOffer } from '../mesh/client/index.js';
import { createMeshCallSession } from '../mesh/mesh-call-session.js';
import { useCallSnapshot, type CallSession } from '../room/call-session.js';
import { MeetingRoom } from '../room/meeting-room.js';
import { usePeopleSeen } from '../room/use-people-seen.js';
import { GuestChatPanel } from './guest-chat-panel.js';
import { meetingKeys } from '../query-keys.js';

const ignore = () => undefined;

/**
 * A guest's room on a meeting on Stream video: the members' Stream room, as the guest's Stream user
 * and with their call token, with nothing to moderate and no chat (see StreamRoomProps).
 */
export function GuestStreamRoom({
  api,
  entry,
  join,
  media,
  onExit,
}: {
  api: ApiClient;
  entry: GuestEntry;
  join: StreamJoinResponse;
  media: MediaChoice;
  onExit: (exit: CallExit) => void;
}) {
  const guest = useMemo<StreamGuest>(() => ({ name: entry.name, rejoin: () => api.call(endpoints.guests.join) }), [api, entry.name]);
  return (
    <Suspense fallback={<FullPageSpinner label="Connecting to the call" />}>
      {/* The desktop shell's shortcuts and tray are for signed-in members; a guest is in a browser tab. */}
      <StreamMeetingRoom
        meeting={entry.meeting}
        join={join}
        media={media}
        isHost={false}
        guest={guest}
        onStatus={ignore}
        bindCommands={ignore}
        onExit={onExit}
      />
    </Suspense>
  );
}

/**
 * A guest's meeting room: Collaro's own room on the built-in mesh, over a realtime connection that
 * authenticates with the guest token (which the server lets reach this meeting and its chat only).
 */
export function GuestRoom({
  api,
  entry,
  join,
  media,
  prepared = null,
  onExit,
}: {
  api: ApiClient;
  entry: GuestEntry;
  join: LocalJoinResponse;
  media: MediaChoice;
  /** The offer made while the join request was on its way (see mesh/mesh-join.ts). */
  prepared?: PreparedOffer | null;
  onExit: (exit: CallExit) => void;
}) {
  const realtime = useMemo(
    () => new RealtimeClient({ url: webSocketUrl(api.baseUrl), getToken: async () => entry.token, createSocket: browserSocket }),
    [api, entry.token],
  );
  const [session, setSession] = useState<CallSession | null>(null);

  useEffect(() => {
    let created: CallSession | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The room is entered once the guest's connection is open, a task after its `ready` has been
    // handled (a `ready` seen while entering means a new connection); as for members, a task later
    // also keeps an immediate remount from entering twice.
    const offState = realtime.onStateChange((state) => {
      if (state !== 'open' || created || timer) return;
      timer = setTimeout(enter, 0);
    });
    const enter = () => {
      created = createMeshCallSession({
        realtime,
        join,
        media,
        prepared,
        rejoin: async () => {
          const renewed = await api.call(endpoints.guests.join);
          if (renewed.provider !== 'local') throw new Error('The meeting moved to another video provider; join again.');
          return renewed;
        },
      });
      setSession(created);
    };
    realtime.connect();
    return () => {
      offState();
      clearTimeout(timer);
      created?.dispose();
      setSession(null);
      realtime.close();
    };
  }, [api, realtime, join, media, prepared]);

  if (!session) return <FullPageSpinner label="Connecting to the call" />;
  return <ConnectedGuestRoom api={api} entry={entry} realtime={realtime} session={session} speakerId={media.audioOutputId} onExit={onExit} />;
}

function ConnectedGuestRoom({
  api,
  entry,
  realtime,
  session,
  speakerId,
  onExit,
}: {
  api: ApiClient;
  entry: GuestEntry;
  realtime: RealtimeClient;
  session: CallSession;
  speakerId: string | null;
  onExit: (exit: CallExit) => void;
}) {
  const snapshot = useCallSnapshot(session);
  const peopleSeen = usePeopleSeen(snapshot.participants);
  // The meeting's chat appears once someone has entered the room; look again until it exists.
  const channel = useQuery({
    queryKey: meetingKeys.guestSession(entry.guestId),
    queryFn: ({ signal }) => api.call(endpoints.guests.session, { signal }),
    refetchInterval: (query) => (query.state.data?.channelId ? false : 2_000),
  });

  useEffect(() => {
    if (snapshot.exit) onExit(snapshot.exit);
  }, [snapshot.exit, onExit]);

  return (
    <MeetingRoom
      meeting={entry.meeting}
      session={session}
      isHost={false}
      initialSpeakerId={speakerId}
      chatPanel={<GuestChatPanel api={api} realtime={realtime} guestId={entry.guestId} channelId={channel.data?.channelId ?? null} roster={peopleSeen} />}
      endError={null}
      onEndForEveryone={() => undefined}
    />
  );
}
