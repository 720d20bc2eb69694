import { MAX_TRAY_MEETINGS, type Meeting, type TrayMeeting } from '@collaro/shared';
import { useEffect, useMemo } from 'react';
import { useCurrentOrg } from '../../app/current-org.js';
import { useRealtime } from '../../app/realtime.js';
import { useAuthState } from '../../app/services.js';
import { desktopBridge } from '../../platform/desktop-bridge.js';
import { useMeetings } from './meetings-api.js';

function trayTitle(title: string): string {
  return title.trim().slice(0, 200) || 'Meeting';
}

/** Live meetings first, then upcoming ones by start time, as the tray menu lists them. */
export function trayMeetingsOf(live: Meeting[], upcoming: Meeting[]): TrayMeeting[] {
  const seen = new Set<string>();
  const ordered = [...live, ...[...upcoming].sort((a, b) => a.startsAt.localeCompare(b.startsAt))];
  return ordered
    .filter((meeting) => meeting.status !== 'cancelled' && meeting.status !== 'ended' && !seen.has(meeting.id) && seen.add(meeting.id))
    .slice(0, MAX_TRAY_MEETINGS)
    .map((meeting) => ({ id: meeting.id, title: trayTitle(meeting.title), startsAt: meeting.startsAt, endsAt: meeting.endsAt }));
}

/** Mounted once by the app; does its work only inside the desktop app and while signed in. */
export function MeetingsDesktopSync() {
  const auth = useAuthState();
  return desktopBridge() && auth.status === 'signed-in' ? <TrayAndReminders /> : null;
}

/**
 * Keeps the tray's meeting list current and turns the server's meeting reminders
 * into system notifications whose Join opens the meeting's pre-join. Renders nothing.
 */
function TrayAndReminders() {
  const bridge = desktopBridge();
  const { org } = useCurrentOrg();
  const orgId = bridge ? (org?.id ?? null) : null;
  const upcoming = useMeetings(orgId, 'upcoming');
  const live = useMeetings(orgId, 'live');
  const realtime = useRealtime();
  const tray = useMemo(() => trayMeetingsOf(live.data?.meetings ?? [], upcoming.data?.meetings ?? []), [live.data, upcoming.data]);

  useEffect(() => {
    if (!bridge || !live.data || !upcoming.data) return;
    void bridge.tray.setMeetings(tray);
  }, [bridge, tray, live.data, upcoming.data]);

  useEffect(() => {
    if (!bridge || !realtime) return;
    return realtime.client.on('notify', ({ notification }) => {
      if ((notification.kind !== 'meeting_reminder' && notification.kind !== 'meeting_started') || !notification.meetingId) return;
      const known = tray.find((meeting) => meeting.id === notification.meetingId);
      void bridge.notifications.show({
        kind: 'meeting-starting',
        meetingId: notification.meetingId,
        title: trayTitle(known?.title ?? notification.title),
        startsAt: known?.startsAt ?? notification.createdAt,
      });
    });
  }, [bridge, realtime, tray]);

  return null;
}
