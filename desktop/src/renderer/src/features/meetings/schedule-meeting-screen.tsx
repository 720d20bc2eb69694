import { DEFAULT_MEETING_DURATION_MINUTES, type Meeting } from '@collaro/shared';
import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useCurrentOrg } from '../../app/current-org.js';
import { paths } from '../../app/paths.js';
import { useMe, useOrgMembers, useTeams } from '../../api/queries.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Spinner } from '../../ui/spinner.js';
import { CopyButton } from './copy-button.js';
import { formatMeetingTime, nextHalfHour, toLocalInputValue } from './meeting-time.js';
import { useCreateMeeting, useDownloadInvite } from './meetings-api.js';
import './meetings.css';

const DURATIONS = [15, 30, 45, 60, 90, 120];

export function ScheduleMeetingScreen() {
  const { org, isLoading } = useCurrentOrg();
  const [scheduled, setScheduled] = useState<Meeting | null>(null);
  if (isLoading) return <Spinner />;
  if (!org) return <p className="page card">Join or create an organization to schedule meetings.</p>;
  return (
    <div className="page narrow-page">
      <p className="breadcrumb">
        <Link to={paths.meetings}>Meetings</Link> / Schedule
      </p>
      {scheduled ? (
        <ScheduledConfirmation meeting={scheduled} onAnother={() => setScheduled(null)} />
      ) : (
        <ScheduleMeetingForm orgId={org.id} canCreate={org.permissions.has('org:meetings:create')} onScheduled={setScheduled} />
      )}
    </div>
  );
}

function ScheduleMeetingForm({ orgId, canCreate, onScheduled }: { orgId: string; canCreate: boolean; onScheduled: (meeting: Meeting) => void }) {
  const me = useMe();
  const members = useOrgMembers(orgId);
  const teams = useTeams(orgId);
  const create = useCreateMeeting();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [startsAt, setStartsAt] = useState(() => toLocalInputValue(nextHalfHour(new Date())));
  const [duration, setDuration] = useState(DEFAULT_MEETING_DURATION_MINUTES);
  const [teamId, setTeamId] = useState('');
  const [inviteeIds, setInviteeIds] = useState<Set<string>>(new Set());
  const [inviteesOnly, setInviteesOnly] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const others = useMemo(() => (members.data?.members ?? []).filter((member) => member.userId !== me.data?.user.id), [members.data, me.data]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const start = new Date(startsAt);
    if (Number.isNaN(start.getTime())) {
      setFormError('Pick a date and time for the meeting.');
      return;
    }
    if (start.getTime() < Date.now() - 60_000) {
      setFormError('That time has already passed. Pick a time in the future, or start a meeting now.');
      return;
    }
    setFormError(null);
    create.mutate(
      {
        orgId,
        title: title.trim(),
        description: description.trim() || undefined,
        startsAt: start.toISOString(),
        durationMinutes: duration,
        teamId: teamId || undefined,
        inviteeIds: [...inviteeIds],
        inviteesOnly,
      },
      { onSuccess: onScheduled },
    );
  };

  const toggleInvitee = (userId: string) =>
    setInviteeIds((current) => {
      const next = new Set(current);
      if (next.has(userId)) next.delete(userId);
      else next.add(userId);
      return next;
    });

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="schedule-title">
      <h1 id="schedule-title">Schedule a meeting</h1>
      {!canCreate ? <p className="banner banner-forbidden">Your role in this organization does not allow creating meetings.</p> : null}
      <label className="field">
        Title
        <input value={title} onChange={(event) => setTitle(event.target.value)} required maxLength={200} placeholder="Sprint planning" />
      </label>
      <label className="field">
        Description <span className="muted small">(optional)</span>
        <textarea value={description} onChange={(event) => setDescription(event.target.value)} rows={3} maxLength={5000} />
      </label>
      <div className="form-columns">
        <label className="field">
          Starts
          <input type="datetime-local" value={startsAt} onChange={(event) => setStartsAt(event.target.value)} required />
        </label>
        <label className="field">
          Duration
          <select value={duration} onChange={(event) => setDuration(Number(event.target.value))}>
            {DURATIONS.map((minutes) => (
              <option key={minutes} value={minutes}>
                {minutes < 60 ? `${minutes} minutes` : `${minutes / 60} hour${minutes === 60 ? '' : 's'}`}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Team <span className="muted small">(optional)</span>
          <select value={teamId} onChange={(event) => setTeamId(event.target.value)}>
            <option value="">No team: only the people invited</option>
            {(teams.data?.teams ?? []).map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="invitee-picker">
        <legend>Invite</legend>
        {members.isLoading ? <Spinner label="Loading members" /> : null}
        {others.length === 0 && !members.isLoading ? <p className="muted small">Nobody else is in this organization yet.</p> : null}
        {others.map((member) => (
          <label key={member.userId} className="checkbox-row">
            <input type="checkbox" checked={inviteeIds.has(member.userId)} onChange={() => toggleInvitee(member.userId)} />
            <span>{member.name}</span>
            <span className="muted small">{member.email}</span>
          </label>
        ))}
      </fieldset>
      <label className="checkbox-row">
        <input type="checkbox" checked={inviteesOnly} onChange={(event) => setInviteesOnly(event.target.checked)} />
        <span>
          Only the people invited can join <span className="muted small">(otherwise anyone in the organization who has the link)</span>
        </span>
      </label>
      {formError ? (
        <p className="field-error" role="alert">
          {formError}
        </p>
      ) : null}
      <ErrorBanner error={create.error} />
      <div className="row">
        <button type="submit" className="button button-primary" disabled={create.isPending || !canCreate || title.trim() === ''}>
          {create.isPending ? 'Scheduling…' : 'Schedule'}
        </button>
        <Link className="button button-ghost" to={paths.meetings}>
          Cancel
        </Link>
      </div>
    </form>
  );
}

function ScheduledConfirmation({ meeting, onAnother }: { meeting: Meeting; onAnother: () => void }) {
  const download = useDownloadInvite();
  return (
    <section className="card form" aria-labelledby="scheduled-title" data-testid="meeting-scheduled">
      <h1 id="scheduled-title">“{meeting.title}” is scheduled</h1>
      <p className="muted">{formatMeetingTime(meeting)}. Everyone invited sees it in Collaro and in their calendar feed.</p>
      <label className="field">
        Invite link
        <input readOnly value={meeting.joinUrl} onFocus={(event) => event.currentTarget.select()} data-testid="invite-link" />
      </label>
      <ErrorBanner error={download.error} />
      <div className="row">
        <CopyButton text={meeting.joinUrl} label="Copy invite link" />
        <button type="button" className="button button-small" onClick={() => download.mutate(meeting)} disabled={download.isPending}>
          Download .ics
        </button>
        <Link className="button button-small button-primary" to={paths.meeting(meeting.id)}>
          Open meeting
        </Link>
        <button type="button" className="button button-small button-ghost" onClick={onAnother}>
          Schedule another
        </button>
      </div>
    </section>
  );
}
