import { endpoints, MAX_TRAY_MEETINGS, type Meeting, type TrayMeeting } from '@collaro/shared';
import { describeError } from '../../api/api-error.js';
import { useEffect, useMemo } from 'react';
import { useCurrentOrg } from '../../app/current-org.js';
import { useRealtime } from '../../app/realtime.js';
import { useAuthState, useServices } from '../../app/services.js';
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
  const { api } = useServices();
  const tray = useMemo(() => trayMeetingsOf(live.data?.meetings ?? [], upcoming.data?.meetings ?? []), [live.data, upcoming.data]);

  useEffect(() => {
    if (!bridge || !live.data || !upcoming.data) return;
    void bridge.tray.setMeetings(tray);
  }, [bridge, tray, live.data, upcoming.data]);

  useEffect(() => {
    if (!bridge || !realtime) return;
    return realtime.client.on('notify', ({ notification }) => {
      const meetingId = notification.meetingId;
      if ((notification.kind !== 'meeting_reminder' && notification.kind !== 'meeting_started') || !meetingId) return;
      // A meeting of another organization is not in the tray's list: ask the server when it starts,
      // so the notification says "starts in 4 minutes" rather than guessing.
      const known = tray.find((meeting) => meeting.id === meetingId);
      const meeting = known
        ? Promise.resolve({ title: known.title, startsAt: known.startsAt })
        : api.call(endpoints.meetings.get, { params: { id: meetingId } }).catch(() => ({ title: notification.title, startsAt: notification.createdAt }));
      void meeting.then(({ title, startsAt }) => bridge.notifications.show({ kind: 'meeting_reminder', meetingId, title: trayTitle(title), startsAt }));
    });
  }, [api, bridge, realtime, tray]);

  useEffect(() => {
    if (!bridge) return;
    const unsubscribers = [
      // The shortcut or tray item: the server says which meeting is next; main opens it or says there is none.
      bridge.meetings.onJoinNext(({ requestId }) => {
        api.call(endpoints.meetings.next).then(
          ({ meeting }) =>
            bridge.meetings.answerJoinNext(
              meeting ? { requestId, found: true, meetingId: meeting.id } : { requestId, found: false, reason: 'none', message: '' },
            ),
          (error: unknown) => bridge.meetings.answerJoinNext({ requestId, found: false, reason: 'failed', message: describeError(error).slice(0, 500) }),
        );
      }),
      // Dismissed on this device: the server stops repeating it on every device.
      bridge.notifications.onDismissed(({ meetingId }) => {
        api.call(endpoints.meetings.dismissReminder, { params: { id: meetingId } }).catch(() => undefined);
      }),
    ];
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
  }, [api, bridge]);

  return null;
}
