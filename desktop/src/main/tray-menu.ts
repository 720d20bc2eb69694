import type { Availability, CallState, TrayMeeting } from '@collaro/shared';
import type { UpdateStatus } from './desktop-state.js';

export const MAX_TRAY_MENU_MEETINGS = 5;

export type TrayAction =
  | { type: 'join-meeting'; meetingId: string }
  | { type: 'start-instant-meeting' }
  | { type: 'join-next-meeting' }
  | { type: 'set-availability'; availability: Availability }
  | { type: 'toggle-mute' }
  | { type: 'toggle-camera' }
  | { type: 'leave-call' }
  | { type: 'restart-to-update' }
  | { type: 'set-start-at-login'; enabled: boolean }
  | { type: 'toggle-window' }
  | { type: 'quit' };

/** A menu entry independent of Electron, so the menu can be checked without a display. */
export type TrayMenuEntry =
  | { kind: 'separator' }
  | { kind: 'heading'; label: string }
  | { kind: 'item'; label: string; action: TrayAction }
  | { kind: 'radio'; label: string; checked: boolean; action: TrayAction }
  | { kind: 'checkbox'; label: string; checked: boolean; action: TrayAction };

export interface TrayState {
  meetings: readonly TrayMeeting[];
  availability: Availability;
  call: CallState;
  unread: number;
  update: UpdateStatus;
  startAtLogin: boolean;
  windowVisible: boolean;
}

/** `mic-live`: in a call with the microphone on (or push to talk held); `in-call`: in a call, muted. */
export type TrayIconVariant = 'idle' | 'unread' | 'in-call' | 'mic-live';

function sameLocalDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** Today's meetings that have not ended yet, soonest first: the ones worth a one-click Join. */
export function upcomingMeetingsToday(meetings: readonly TrayMeeting[], now: Date): TrayMeeting[] {
  return meetings
    .filter((meeting) => {
      const startsAt = new Date(meeting.startsAt);
      const endsAt = new Date(meeting.endsAt);
      return endsAt.getTime() > now.getTime() && (sameLocalDay(startsAt, now) || startsAt.getTime() <= now.getTime());
    })
    .sort((a, b) => new Date(a.startsAt).getTime() - new Date(b.startsAt).getTime())
    .slice(0, MAX_TRAY_MENU_MEETINGS);
}

function formatTime(date: Date, locale: string | undefined): string {
  return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

export function meetingMenuLabel(meeting: TrayMeeting, now: Date, locale?: string): string {
  const startsAt = new Date(meeting.startsAt);
  const when = startsAt.getTime() <= now.getTime() ? 'now' : formatTime(startsAt, locale);
  return `Join “${meeting.title}” · ${when}`;
}

export function buildTrayMenu(state: TrayState, now: Date, locale?: string): TrayMenuEntry[] {
  const upcoming = upcomingMeetingsToday(state.meetings, now);
  const entries: TrayMenuEntry[] = [];
  if (state.call.inCall) {
    entries.push({ kind: 'heading', label: state.call.sharing ? 'In a meeting · sharing your screen' : 'In a meeting' });
    entries.push({ kind: 'heading', label: microphoneLabel(state.call) });
    entries.push({ kind: 'item', label: state.call.muted ? 'Unmute' : 'Mute', action: { type: 'toggle-mute' } });
    entries.push({ kind: 'item', label: state.call.cameraOff ? 'Turn camera on' : 'Turn camera off', action: { type: 'toggle-camera' } });
    entries.push({ kind: 'item', label: 'Leave meeting', action: { type: 'leave-call' } });
    if (!state.windowVisible) entries.push({ kind: 'item', label: 'Show call', action: { type: 'toggle-window' } });
    entries.push({ kind: 'separator' });
  }
  entries.push({ kind: 'heading', label: upcoming.length > 0 ? 'Next meetings today' : 'No more meetings today' });
  for (const meeting of upcoming) {
    entries.push({ kind: 'item', label: meetingMenuLabel(meeting, now, locale), action: { type: 'join-meeting', meetingId: meeting.id } });
  }
  if (!state.call.inCall) entries.push({ kind: 'item', label: 'Join next meeting', action: { type: 'join-next-meeting' } });
  entries.push({ kind: 'item', label: 'Start instant meeting', action: { type: 'start-instant-meeting' } });
  entries.push({ kind: 'separator' });
  entries.push({
    kind: 'radio',
    label: 'Available',
    checked: state.availability === 'available',
    action: { type: 'set-availability', availability: 'available' },
  });
  entries.push({
    kind: 'radio',
    label: 'Do not disturb',
    checked: state.availability === 'do-not-disturb',
    action: { type: 'set-availability', availability: 'do-not-disturb' },
  });
  entries.push({ kind: 'separator' });
  const update = updateEntry(state);
  if (update) entries.push(update, { kind: 'separator' });
  entries.push({
    kind: 'checkbox',
    label: 'Start Collaro at login',
    checked: state.startAtLogin,
    action: { type: 'set-start-at-login', enabled: !state.startAtLogin },
  });
  entries.push({ kind: 'item', label: state.windowVisible ? 'Hide Collaro' : 'Show Collaro', action: { type: 'toggle-window' } });
  entries.push({ kind: 'item', label: 'Quit Collaro', action: { type: 'quit' } });
  return entries;
}

/** A downloaded update, offered as a restart; during a call the restart waits for the call to end. */
function updateEntry(state: Pick<TrayState, 'update' | 'call'>): TrayMenuEntry | null {
  const update = state.update;
  if (update.state !== 'ready') return null;
  if (!state.call.inCall) return { kind: 'item', label: `Restart to update (Collaro ${update.version})`, action: { type: 'restart-to-update' } };
  if (update.restartAfterCall) return { kind: 'heading', label: 'Collaro restarts to update after this meeting' };
  return { kind: 'item', label: 'Restart to update after this meeting', action: { type: 'restart-to-update' } };
}

/** What the microphone does right now, said in words next to the tray icon's badge. */
export function microphoneLabel(call: TrayState['call']): string {
  if (call.talking) return 'Talking (push to talk)';
  return call.muted ? 'Microphone muted' : 'Microphone live';
}

export function trayIconVariant(state: Pick<TrayState, 'call' | 'unread'>): TrayIconVariant {
  if (state.call.inCall) return state.call.muted && !state.call.talking ? 'in-call' : 'mic-live';
  return state.unread > 0 ? 'unread' : 'idle';
}

export function trayTooltip(state: Pick<TrayState, 'call' | 'unread' | 'availability'> & Partial<Pick<TrayState, 'update'>>): string {
  const parts = ['Collaro'];
  if (state.call.inCall) parts.push(`in a meeting (${microphoneLabel(state.call).toLowerCase()})`);
  if (state.unread > 0) parts.push(`${state.unread} unread`);
  if (state.availability === 'do-not-disturb') parts.push('do not disturb');
  if (state.update?.state === 'ready') parts.push('update ready');
  return parts.join(' — ');
}
