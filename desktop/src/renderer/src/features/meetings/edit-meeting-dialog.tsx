import type { Meeting } from '@collaro/shared';
import { useState, type FormEvent } from 'react';
import { Dialog } from '../../ui/dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { toLocalInputValue } from './meeting-time.js';
import { useUpdateMeeting } from './meetings-api.js';

/** Host only: rename, move or restrict a scheduled meeting; invitees' calendars get the new SEQUENCE. */
export function EditMeetingDialog({ meeting, open, onOpenChange }: { meeting: Meeting; open: boolean; onOpenChange: (open: boolean) => void }) {
  const update = useUpdateMeeting(meeting.id);
  const [title, setTitle] = useState(meeting.title);
  const [startsAt, setStartsAt] = useState(() => toLocalInputValue(new Date(meeting.startsAt)));
  const [duration, setDuration] = useState(meeting.durationMinutes);
  const [inviteesOnly, setInviteesOnly] = useState(meeting.inviteesOnly);
  const [formError, setFormError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const start = new Date(startsAt);
    if (Number.isNaN(start.getTime())) {
      setFormError('Pick a date and time for the meeting.');
      return;
    }
    setFormError(null);
    const moved = start.toISOString() !== new Date(meeting.startsAt).toISOString();
    update.mutate(
      {
        ...(title.trim() !== meeting.title ? { title: title.trim() } : {}),
        ...(moved ? { startsAt: start.toISOString() } : {}),
        ...(duration !== meeting.durationMinutes ? { durationMinutes: duration } : {}),
        ...(inviteesOnly !== meeting.inviteesOnly ? { inviteesOnly } : {}),
      },
      { onSuccess: () => onOpenChange(false) },
    );
  };

  const unchanged =
    title.trim() === meeting.title &&
    toLocalInputValue(new Date(meeting.startsAt)) === startsAt &&
    duration === meeting.durationMinutes &&
    inviteesOnly === meeting.inviteesOnly;
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Edit meeting" description="Everyone invited sees the change in Collaro and in their calendar.">
      <form className="form" onSubmit={submit}>
        <label className="field">
          Title
          <input value={title} onChange={(event) => setTitle(event.target.value)} required maxLength={200} />
        </label>
        <div className="form-columns">
          <label className="field">
            Starts
            <input type="datetime-local" value={startsAt} onChange={(event) => setStartsAt(event.target.value)} required />
          </label>
          <label className="field">
            Minutes
            <input type="number" min={1} max={1440} value={duration} onChange={(event) => setDuration(Number(event.target.value))} required />
          </label>
        </div>
        <label className="checkbox-row">
          <input type="checkbox" checked={inviteesOnly} onChange={(event) => setInviteesOnly(event.target.checked)} />
          <span>Only the people invited can join</span>
        </label>
        {formError ? (
          <p className="field-error" role="alert">
            {formError}
          </p>
        ) : null}
        <ErrorBanner error={update.error} />
        <div className="row">
          <button type="submit" className="button button-primary" disabled={update.isPending || unchanged || title.trim() === ''}>
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
