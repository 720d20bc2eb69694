import { useState, type FormEvent } from 'react';

/** The in-call chat's one-line composer, for members and guests alike: sends the trimmed line and clears it. */
export function InCallComposer({ enabled, onSend }: { enabled: boolean; onSend: (body: string) => void }) {
  const [draft, setDraft] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = draft.trim();
    if (!body || !enabled) return;
    onSend(body);
    setDraft('');
  };
  return (
    <form onSubmit={submit}>
      <label className="grow">
        <span className="visually-hidden">Message everyone in the call</span>
        <input value={draft} onChange={(event) => setDraft(event.target.value)} placeholder="Message everyone" disabled={!enabled} maxLength={16_000} />
      </label>
      <button type="submit" className="button button-small button-primary" disabled={!enabled || draft.trim() === ''}>
        Send
      </button>
    </form>
  );
}
