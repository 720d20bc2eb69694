import { invitationPath } from '@collaro/shared';
import { useEffect, useRef } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { selectOrg } from '../../app/current-org.js';
import { paths } from '../../app/paths.js';
import { useAuthState } from '../../app/services.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Spinner } from '../../ui/spinner.js';
import { AuthLayout } from '../auth/auth-layout.js';
import { useAcceptInvitation, useInvitationPreview } from './invitations-api.js';

/** Set by the sign-up screen when an account was created to accept this invitation. */
export interface InvitationLocationState {
  acceptInvitation?: boolean;
}

/**
 * Where an invitation link lands: says which organization it is for, then lets a signed-in person
 * join with one click, or sends someone new through sign-up (which comes back here and joins).
 */
export function InvitationScreen() {
  const { token = '' } = useParams();
  const auth = useAuthState();
  const location = useLocation();
  const navigate = useNavigate();
  const preview = useInvitationPreview(token);
  const accept = useAcceptInvitation(token);
  const autoAccepted = useRef(false);
  const here = invitationPath(token);

  const join = () =>
    accept.mutate(undefined, {
      onSuccess: ({ orgId }) => {
        selectOrg(orgId);
        void navigate(paths.home, { replace: true });
      },
    });

  const justSignedUp = (location.state as InvitationLocationState | null)?.acceptInvitation === true;
  useEffect(() => {
    if (justSignedUp && auth.status === 'signed-in' && preview.data && !autoAccepted.current) {
      autoAccepted.current = true;
      join();
    }
  });

  if (preview.isLoading || auth.status === 'loading') {
    return (
      <AuthLayout title="Invitation">
        <Spinner label="Opening the invitation" />
      </AuthLayout>
    );
  }
  if (!preview.data) {
    return (
      <AuthLayout title="This invitation cannot be used">
        <ErrorBanner error={preview.error} />
        <p className="muted">Ask the person who invited you for a new link.</p>
        <Link className="button button-block" to={paths.home}>
          Go to Collaro
        </Link>
      </AuthLayout>
    );
  }
  const { orgName, role, email, invitedByName } = preview.data;
  return (
    <AuthLayout title={`Join ${orgName}`}>
      <p data-testid="invitation-summary">
        {invitedByName ? `${invitedByName} invited you` : 'You are invited'} to join <strong>{orgName}</strong> on Collaro as{' '}
        {role === 'admin' ? 'an admin' : 'a member'}.{email ? ` This invitation is for ${email}.` : ''}
      </p>
      <ErrorBanner error={accept.error} />
      {auth.status === 'signed-in' ? (
        <>
          <p className="muted small">Signed in as {auth.user.email}.</p>
          <button type="button" className="button button-primary button-block" disabled={accept.isPending} onClick={join}>
            {accept.isPending ? 'Joining…' : `Join ${orgName}`}
          </button>
        </>
      ) : (
        <div className="form">
          <Link className="button button-primary button-block" to={`${paths.signUp}?invite=${encodeURIComponent(token)}`}>
            Create an account and join
          </Link>
          <Link className="button button-block" to={`${paths.signIn}?next=${encodeURIComponent(here)}`}>
            I already have an account
          </Link>
        </div>
      )}
    </AuthLayout>
  );
}
