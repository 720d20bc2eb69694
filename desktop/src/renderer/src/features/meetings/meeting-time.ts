import type { Meeting } from '@collaro/shared';

const dateTime = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** "Tue 24 Nov, 09:30 – 10:00" */
export function formatMeetingTime(meeting: Pick<Meeting, 'startsAt' | 'endsAt'>): string {
  return `${dateTime.format(new Date(meeting.startsAt))} – ${timeOnly.format(new Date(meeting.endsAt))}`;
}

/** A value for `<input type="datetime-local">` in the user's time zone. */
export function toLocalInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The next half hour from `now`, the usual slot people pick. */
export function nextHalfHour(now: Date): Date {
  const next = new Date(now);
  next.setSeconds(0, 0);
  next.setMinutes(next.getMinutes() < 30 ? 30 : 60);
  return next;
}

export const STATUS_LABEL: Record<Meeting['status'], string> = {
  scheduled: 'Scheduled',
  live: 'Live',
  ended: 'Ended',
  cancelled: 'Cancelled',
};

/** A file name for a meeting's invite: letters and digits of its title, so any system accepts it. */
export function fileNameFor(title: string): string {
  const cleaned = title
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return cleaned || 'meeting';
}
