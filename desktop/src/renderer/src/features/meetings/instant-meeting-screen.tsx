import { useEffect, useRef } from 'react';
import { Link, useNavigate } from 'react-router';
import { useCurrentOrg } from '../../app/current-org.js';
import { paths } from '../../app/paths.js';
import { useMe } from '../../api/queries.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Spinner } from '../../ui/spinner.js';
import { useCreateMeeting } from './meetings-api.js';

/** "New meeting" (and the tray's "Start a meeting"): creates a meeting that starts now and opens its pre-join. */
export function InstantMeetingScreen() {
  const { org, isLoading } = useCurrentOrg();
  const me = useMe();
  const create = useCreateMeeting();
  const navigate = useNavigate();
  // One visit makes one meeting, even when React runs effects twice in development.
  const started = useRef(false);
  const name = me.data?.user.name;

  useEffect(() => {
    if (started.current || !org || !name) return;
    started.current = true;
    create.mutate({ orgId: org.id, title: `${name}'s meeting` }, { onSuccess: (meeting) => void navigate(paths.meeting(meeting.id), { replace: true }) });
  }, [org, name, create, navigate]);

  if (isLoading || me.isLoading) return <Spinner />;
  if (!org) return <p className="page card">Join or create an organization to hold meetings.</p>;
  return (
    <div className="page">
      {create.error ? (
        <>
          <ErrorBanner error={create.error} />
          <Link className="button" to={paths.meetings}>
            Back to meetings
          </Link>
        </>
      ) : (
        <Spinner label="Starting your meeting" />
      )}
    </div>
  );
}
