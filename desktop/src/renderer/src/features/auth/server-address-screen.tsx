import { BackendUrlSchema, DEFAULT_BACKEND_URL } from '@collaro/shared';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../api/api-error.js';
import { desktopBridge } from '../../platform/desktop-bridge.js';
import { AuthLayout } from './auth-layout.js';

/**
 * Desktop first run: asks which Collaro server to use, has main check that it answers as one (this
 * page's CSP only lets it reach the server it was loaded for), and saves it through the desktop bridge.
 */
export function ServerAddressScreen({ initial, onSaved }: { initial: string; onSaved: (origin: string) => void }) {
  const [address, setAddress] = useState(initial || DEFAULT_BACKEND_URL);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = BackendUrlSchema.safeParse(address);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Enter an http:// or https:// address');
      return;
    }
    setPending(true);
    setError(null);
    try {
      const bridge = desktopBridge();
      if (!bridge) throw new Error('Choosing a server is part of the desktop app.');
      const check = await bridge.settings.checkServer(parsed.data);
      if (!check.ok) {
        setError(check.message);
        return;
      }
      await bridge.settings.set({ backendUrl: check.origin });
      onSaved(check.origin);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setPending(false);
    }
  };

  return (
    <AuthLayout title="Connect to your Collaro server">
      <p className="muted">Enter the address your team uses, for example https://collaro.example.com.</p>
      <form className="form" onSubmit={(event) => void submit(event)}>
        <label className="field">
          <span>Server address</span>
          <input
            type="url"
            inputMode="url"
            required
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'server-error' : undefined}
            autoFocus
          />
        </label>
        {error ? (
          <p id="server-error" className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button button-primary button-block" disabled={pending}>
          {pending ? 'Checking…' : 'Continue'}
        </button>
      </form>
    </AuthLayout>
  );
}
