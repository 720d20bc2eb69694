import { BackendUrlSchema, DEFAULT_BACKEND_URL } from '@collaro/shared';
import { useState, type FormEvent } from 'react';
import { ClientConfigSchema } from '@collaro/shared';
import { describeError } from '../../api/api-error.js';
import { desktopBridge } from '../../platform/desktop-bridge.js';
import { AuthLayout } from './auth-layout.js';

/**
 * Desktop first run: asks which Collaro server to use, checks that it answers as one, and saves
 * it through the desktop bridge.
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
      const response = await fetch(`${parsed.data}/api/config`, { headers: { accept: 'application/json' } });
      if (!response.ok || !ClientConfigSchema.safeParse(await response.json()).success) {
        throw new Error(`${parsed.data} answered, but it is not a Collaro server.`);
      }
      const bridge = desktopBridge();
      if (bridge) await bridge.settings.set({ backendUrl: parsed.data });
      onSaved(parsed.data);
    } catch (caught) {
      setError(caught instanceof TypeError ? `Cannot reach ${parsed.data}.` : describeError(caught));
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
