import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { useAuthState, useServices } from '../../app/services.js';
import { paths } from '../../app/paths.js';
import { LocalAuthClient } from '../../auth/local-auth-client.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { AuthLayout } from './auth-layout.js';

/** Only same-app paths are followed after sign-in, never another site. */
export function safeNextPath(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : paths.home;
}

export function SignInScreen() {
  const { auth } = useServices();
  const state = useAuthState();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  if (state.status === 'signed-in') return <Navigate to={next} replace />;
  if (auth instanceof LocalAuthClient) return <LocalSignIn auth={auth} next={next} reason={state.status === 'signed-out' ? state.reason : undefined} />;
  return <ProviderSignIn />;
}

function ProviderSignIn() {
  const { auth } = useServices();
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (container.current && auth.mountSignIn) return auth.mountSignIn(container.current);
    return undefined;
  }, [auth]);
  return (
    <AuthLayout title="Sign in">
      <div ref={container} />
    </AuthLayout>
  );
}

function LocalSignIn({ auth, next, reason }: { auth: LocalAuthClient; next: string; reason: string | undefined }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await auth.signIn({ email, password });
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  };

  return (
    <AuthLayout title="Sign in">
      {reason ? <p className="banner banner-info">{reason}</p> : null}
      <ErrorBanner error={error} />
      <form className="form" onSubmit={(event) => void submit(event)}>
        <label className="field">
          <span>Email</span>
          <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </label>
        <label className="field">
          <span>Password</span>
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button type="submit" className="button button-primary button-block" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted center">
        New to Collaro? <Link to={`${paths.signUp}${next === paths.home ? '' : `?next=${encodeURIComponent(next)}`}`}>Create an account</Link>
      </p>
    </AuthLayout>
  );
}
