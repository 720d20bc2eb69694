import * as Tabs from '@radix-ui/react-tabs';
import { MEETING_SCOPES, type Meeting, type MeetingScope } from '@collaro/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCurrentOrg } from '../../app/current-org.js';
import { paths } from '../../app/paths.js';
import { useServices } from '../../app/services.js';
import { useMe } from '../../api/queries.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Spinner } from '../../ui/spinner.js';
import { CopyButton } from './copy-button.js';
import { EditMeetingDialog } from './edit-meeting-dialog.js';
import { formatMeetingTime, STATUS_LABEL } from './meeting-time.js';
import { useCancelMeeting, useDownloadInvite, useMeetings, useRecordings, useRotateCalendarToken } from './meetings-api.js';
import './meetings.css';

const SCOPE_LABEL: Record<MeetingScope, string> = { upcoming: 'Upcoming', live: 'Live now', previous: 'Previous' };
const EMPTY_LABEL: Record<MeetingScope, string> = {
  upcoming: 'Nothing scheduled. Schedule a meeting and everyone invited gets it in their calendar.',
  live: 'No meeting is running right now.',
  previous: 'No past meetings yet.',
};

export function MeetingsScreen() {
  const { org, isLoading } = useCurrentOrg();
  const canCreate = org?.permissions.has('org:meetings:create') ?? false;
  if (isLoading) return <Spinner />;
  return (
    <div className="page meetings-page">
      <header className="page-header">
        <div>
          <h1>Meetings</h1>
          {org ? <p className="muted">{org.name}</p> : null}
        </div>
        {canCreate ? (
          <div className="row">
            <Link className="button button-primary" to={paths.newMeeting}>
              New meeting
            </Link>
            <Link className="button" to={paths.scheduleMeeting}>
              Schedule
            </Link>
            <Link className="button" to={paths.personalRoom}>
              Personal room
            </Link>
          </div>
        ) : null}
      </header>
      {org ? (
        <>
          <Tabs.Root defaultValue="upcoming">
            <Tabs.List className="tab-list" aria-label="Meetings by time">
              {MEETING_SCOPES.map((scope) => (
                <Tabs.Trigger key={scope} value={scope} className="tab">
                  {SCOPE_LABEL[scope]}
                </Tabs.Trigger>
              ))}
            </Tabs.List>
            {MEETING_SCOPES.map((scope) => (
              <Tabs.Content key={scope} value={scope}>
                <MeetingList orgId={org.id} scope={scope} />
              </Tabs.Content>
            ))}
          </Tabs.Root>
          <CalendarFeedCard />
        </>
      ) : (
        <p className="card">Join or create an organization to hold meetings.</p>
      )}
    </div>
  );
}

function MeetingList({ orgId, scope }: { orgId: string; scope: MeetingScope }) {
  const meetings = useMeetings(orgId, scope);
  if (meetings.isLoading) return <Spinner label="Loading meetings" />;
  if (meetings.error) return <ErrorBanner error={meetings.error} onRetry={() => void meetings.refetch()} />;
  const list = [...(meetings.data?.meetings ?? [])].sort((a, b) =>
    scope === 'previous' ? b.startsAt.localeCompare(a.startsAt) : a.startsAt.localeCompare(b.startsAt),
  );
  if (list.length === 0) return <p className="muted empty-state">{EMPTY_LABEL[scope]}</p>;
  return (
    <ul className="list" aria-label={`${SCOPE_LABEL[scope]} meetings`}>
      {list.map((meeting) => (
        <MeetingRow key={meeting.id} meeting={meeting} scope={scope} />
      ))}
    </ul>
  );
}

function MeetingRow({ meeting, scope }: { meeting: Meeting; scope: MeetingScope }) {
  const { config } = useServices();
  const me = useMe();
  const download = useDownloadInvite();
  const cancel = useCancelMeeting();
  const [showRecordings, setShowRecordings] = useState(false);
  const [editing, setEditing] = useState(false);
  const isHost = me.data?.user.id === meeting.hostId;
  const joinable = meeting.status === 'live' || meeting.status === 'scheduled';
  const hasRecordings = config.video === 'stream' && meeting.provider === 'stream' && scope === 'previous';

  return (
    <li className="list-row meeting-row" data-testid="meeting-row" data-meeting-id={meeting.id}>
      <div className="grow">
        <div className="meeting-row-title">
          <strong>{meeting.title}</strong>
          <span className={`status-pill status-${meeting.status}`}>{STATUS_LABEL[meeting.status]}</span>
          {meeting.kind === 'personal' ? <span className="status-pill">Personal room</span> : null}
          {meeting.inviteesOnly ? <span className="status-pill">Invitees only</span> : null}
        </div>
        <div className="muted small">
          {meeting.kind === 'personal' ? 'Open any time' : formatMeetingTime(meeting)}
          {meeting.inviteeIds.length > 0 ? ` · ${meeting.inviteeIds.length} invited` : ''}
        </div>
        <ErrorBanner error={download.error ?? cancel.error} />
        {showRecordings ? <RecordingList meetingId={meeting.id} /> : null}
      </div>
      <div className="row meeting-row-actions">
        {joinable ? (
          <Link className={meeting.status === 'live' ? 'button button-primary' : 'button'} to={paths.meeting(meeting.id)}>
            {meeting.status === 'live' ? 'Join' : 'Open'}
          </Link>
        ) : null}
        <CopyButton text={meeting.joinUrl} label="Copy invite link" />
        {meeting.kind !== 'personal' ? (
          <button type="button" className="button button-small" onClick={() => download.mutate(meeting)} disabled={download.isPending}>
            Download .ics
          </button>
        ) : null}
        {hasRecordings ? (
          <button type="button" className="button button-small" onClick={() => setShowRecordings((shown) => !shown)} aria-expanded={showRecordings}>
            Recordings
          </button>
        ) : null}
        {isHost && meeting.status === 'scheduled' && meeting.kind === 'scheduled' ? (
          <button type="button" className="button button-small" onClick={() => setEditing(true)}>
            Edit
          </button>
        ) : null}
        {editing ? <EditMeetingDialog meeting={meeting} open={editing} onOpenChange={setEditing} /> : null}
        {isHost && meeting.status === 'scheduled' && meeting.kind === 'scheduled' ? (
          <button
            type="button"
            className="button button-small button-danger"
            disabled={cancel.isPending}
            onClick={() => {
              if (window.confirm(`Cancel "${meeting.title}"? Everyone invited gets a cancellation.`)) cancel.mutate(meeting.id);
            }}
          >
            Cancel meeting
          </button>
        ) : null}
      </div>
    </li>
  );
}

function RecordingList({ meetingId }: { meetingId: string }) {
  const recordings = useRecordings(meetingId, true);
  if (recordings.isLoading) return <Spinner label="Loading recordings" />;
  if (recordings.error) return <ErrorBanner error={recordings.error} />;
  const list = recordings.data?.recordings ?? [];
  if (list.length === 0) return <p className="muted small">No recordings for this meeting.</p>;
  return (
    <ul className="recording-list">
      {list.map((recording) => (
        <li key={recording.url}>
          <a href={recording.url} target="_blank" rel="noreferrer noopener">
            {recording.filename}
          </a>{' '}
          <span className="muted small">{formatMeetingTime({ startsAt: recording.startTime, endsAt: recording.endTime })}</span>
        </li>
      ))}
    </ul>
  );
}

/** The feed's secret is only shown when it is made, so getting the link always replaces the old one. */
function CalendarFeedCard() {
  const rotate = useRotateCalendarToken();
  const feed = rotate.data;
  return (
    <section className="card calendar-feed" aria-labelledby="calendar-feed-title">
      <h2 id="calendar-feed-title">Subscribe in your calendar</h2>
      <p className="muted">
        A private feed of your upcoming meetings for Google Calendar, Outlook or Apple Calendar. Getting a new link turns the previous one off at once.
      </p>
      <ErrorBanner error={rotate.error} />
      {feed ? (
        <div className="form">
          <label className="field">
            Feed URL
            <input readOnly value={feed.feedUrl} onFocus={(event) => event.currentTarget.select()} data-testid="calendar-feed-url" />
          </label>
          <div className="row">
            <CopyButton text={feed.feedUrl} label="Copy feed URL" />
            <a className="button button-small" href={feed.webcalUrl}>
              Open in calendar app
            </a>
            <button type="button" className="button button-small" onClick={() => rotate.mutate()} disabled={rotate.isPending}>
              Replace link
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button" onClick={() => rotate.mutate()} disabled={rotate.isPending}>
          Get calendar feed link
        </button>
      )}
    </section>
  );
}
