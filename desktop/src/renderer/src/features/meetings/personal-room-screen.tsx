import { Link } from 'react-router';
import { useCurrentOrg } from '../../app/current-org.js';
import { paths } from '../../app/paths.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Spinner } from '../../ui/spinner.js';
import { CopyButton } from './copy-button.js';
import { usePersonalRoom } from './meetings-api.js';
import './meetings.css';

/** The user's own room in this organization: the same link every time, for ad hoc calls. */
export function PersonalRoomScreen() {
  const { org, isLoading } = useCurrentOrg();
  const room = usePersonalRoom(org?.id ?? null);
  if (isLoading || room.isLoading) return <Spinner label="Loading your room" />;
  if (!org) return <p className="page card">Join or create an organization to have a personal room.</p>;
  return (
    <div className="page narrow-page">
      <p className="breadcrumb">
        <Link to={paths.meetings}>Meetings</Link> / Personal room
      </p>
      <ErrorBanner error={room.error} onRetry={() => void room.refetch()} />
      {room.data ? (
        <section className="card form" aria-labelledby="room-title">
          <h1 id="room-title">Your personal room</h1>
          <p className="muted">Its link never changes: put it in your email signature or your profile and people can drop in.</p>
          <label className="field">
            Room link
            <input readOnly value={room.data.joinUrl} onFocus={(event) => event.currentTarget.select()} />
          </label>
          <div className="row">
            <Link className="button button-primary" to={paths.meeting(room.data.id)}>
              Enter room
            </Link>
            <CopyButton text={room.data.joinUrl} label="Copy room link" />
            <CopyButton text={room.data.deepLink} label="Copy desktop link" />
          </div>
        </section>
      ) : null}
    </div>
  );
}
