import { useState, type FormEvent } from 'react';
import { selectOrg } from '../../app/current-org.js';
import { useCreateOrg } from '../../api/queries.js';
import { ErrorBanner } from '../../ui/error-banner.js';

export function CreateOrgForm({ onCreated }: { onCreated?: () => void }) {
  const [name, setName] = useState('');
  const createOrg = useCreateOrg();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    createOrg.mutate(name, {
      onSuccess: (org) => {
        selectOrg(org.id);
        setName('');
        onCreated?.();
      },
    });
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label className="field grow">
        <span className="visually-hidden">Organization name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Organization name" required maxLength={100} />
      </label>
      <button type="submit" className="button button-primary" disabled={createOrg.isPending}>
        Create organization
      </button>
      <ErrorBanner error={createOrg.error} />
    </form>
  );
}
