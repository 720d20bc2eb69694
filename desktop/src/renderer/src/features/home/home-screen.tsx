import { parseMeetingLink, type Meeting } from '@collaro/shared';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useCurrentOrg } from '../../app/current-org.js';
import { paths } from '../../app/paths.js';
import { useServices } from '../../app/services.js';
import { useMe } from '../../api/queries.js';
import { CreateOrgForm } from '../admin/create-org-form.js';
import { CalendarDays, DoorOpen, Plus } from 'lucide-react';
import { upcomingMeetingsQuery } from './upcoming-meetings-query.js';

function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function useNextMeeting(orgId: string | null) {
  const { api } = useServices();
  return useQuery({
    ...upcomingMeetingsQuery(api, orgId),
    enabled: orgId !== null,
    select: (list): Meeting | null =>
      [...list.meetings].filter((m) => m.status !== 'cancelled').sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0] ?? null,
  });
}

export function HomeScreen() {
  const me = useMe();
  const { org } = useCurrentOrg();
  const now = useNow(1_000);
  const next = useNextMeeting(org?.id ?? null);
  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

  return (
    <div className="page home">
      <section className="home-hero" aria-label="Today">
        <time className="clock" dateTime={now.toISOString()} data-testid="clock">
          {timeFormat.format(now)}
        </time>
        <p className="date">{dateFormat.format(now)}</p>
        <p className="muted">{me.data ? `Welcome, ${me.data.user.name}` : '\u00a0'}</p>
      </section>

      {me.data && me.data.organizations.length === 0 ? (
        <section className="card" aria-labelledby="first-org">
          <h2 id="first-org">Create your organization</h2>
          <p className="muted">An organization holds your teams, channels and meetings. You can invite people once it exists.</p>
          <CreateOrgForm />
        </section>
      ) : (
        <>
          <section className="home-actions" aria-label="Meetings">
            <Link className="action-tile action-primary" to={paths.newMeeting}>
              <Plus className="action-icon" aria-hidden="true" />
              New meeting
            </Link>
            <Link className="action-tile" to={paths.scheduleMeeting}>
              <CalendarDays className="action-icon" aria-hidden="true" />
              Schedule meeting
            </Link>
            <Link className="action-tile" to={paths.personalRoom}>
              <DoorOpen className="action-icon" aria-hidden="true" />
              Personal room
            </Link>
          </section>
          <JoinMeetingForm />
          <section className="card" aria-labelledby="next-meeting">
            <h2 id="next-meeting">Next meeting</h2>
            {next.data ? (
              <div className="next-meeting">
                <div>
                  <strong>{next.data.title}</strong>
                  <p className="muted">
                    {new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(next.data.startsAt))}
                    {next.data.status === 'live' ? ' · live now' : ''}
                  </p>
                </div>
                <Link className="button button-primary" to={paths.meeting(next.data.id)}>
                  {next.data.status === 'live' ? 'Join' : 'Open'}
                </Link>
              </div>
            ) : (
              <p className="muted">{next.isLoading ? 'Loading…' : 'Nothing scheduled.'}</p>
            )}
          </section>
        </>
      )}
    </div>
  );
}

function JoinMeetingForm() {
  const { serverOrigin } = useServices();
  const navigate = useNavigate();
  const [link, setLink] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = parseMeetingLink(link, serverOrigin);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    void navigate(paths.meeting(result.link.meetingId));
  };

  return (
    <form className="card join-form" onSubmit={submit} aria-labelledby="join-title">
      <h2 id="join-title">Join a meeting</h2>
      <div className="inline-form">
        <label className="field grow">
          <span className="visually-hidden">Meeting link</span>
          <input
            value={link}
            onChange={(event) => setLink(event.target.value)}
            placeholder={`${serverOrigin}/m/…  or  collaro://meeting/…`}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'join-error' : undefined}
          />
        </label>
        <button type="submit" className="button button-primary" disabled={link.trim() === ''}>
          Join
        </button>
      </div>
      {error ? (
        <p id="join-error" className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
