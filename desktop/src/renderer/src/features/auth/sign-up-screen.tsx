import { invitationPath, InvitationTokenSchema, PASSWORD_MIN_LENGTH } from '@collaro/shared';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { paths } from '../../app/paths.js';
import { useAuthState, useServices } from '../../app/services.js';
import { LocalAuthClient } from '../../auth/local-auth-client.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { AuthLayout } from './auth-layout.js';
import { safeNextPath } from './sign-in-screen.js';

export function SignUpScreen() {
  const { auth } = useServices();
  const state = useAuthState();
  const [params] = useSearchParams();
  // Arriving from an invitation link: once the account exists, go back to it and join at once.
  const invite = InvitationTokenSchema.safeParse(params.get('invite')).data;
  const next = invite ? invitationPath(invite) : safeNextPath(params.get('next'));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  if (state.status === 'signed-in') return <Navigate to={next} replace state={invite ? { acceptInvitation: true } : undefined} />;
  // With Clerk, accounts are created in Clerk's own sign-in flow.
  if (!(auth instanceof LocalAuthClient)) return <Navigate to={`${paths.signIn}?next=${encodeURIComponent(next)}`} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await auth.signUp({ name, email, password });
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  };

  return (
    <AuthLayout title="Create your account">
      {invite ? <p className="banner banner-info">Once your account exists you join the organization that invited you.</p> : null}
      <ErrorBanner error={error} />
      <form className="form" onSubmit={(event) => void submit(event)}>
        <label className="field">
          <span>Name</span>
          <input autoComplete="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <label className="field">
          <span>Email</span>
          <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={PASSWORD_MIN_LENGTH}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby="password-hint"
          />
          <small id="password-hint" className="muted">
            At least {PASSWORD_MIN_LENGTH} characters.
          </small>
        </label>
        <button type="submit" className="button button-primary button-block" disabled={pending}>
          {pending ? 'Creating account…' : 'Create account'}
        </button>
      </form>
      <p className="muted center">
        Already have an account? <Link to={next === paths.home ? paths.signIn : `${paths.signIn}?next=${encodeURIComponent(next)}`}>Sign in</Link>
      </p>
    </AuthLayout>
  );
}
