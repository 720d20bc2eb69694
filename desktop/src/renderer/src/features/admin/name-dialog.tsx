import { useEffect, useState, type FormEvent } from 'react';
import { Dialog } from '../../ui/dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';

/** A dialog asking for a new name (a team's, a channel's); closes when `onSave` succeeds. */
export function NameDialog(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  label: string;
  initial: string;
  action: string;
  pending: boolean;
  error: unknown;
  onSave: (name: string) => Promise<unknown>;
}) {
  const [name, setName] = useState(props.initial);
  useEffect(() => {
    if (props.open) setName(props.initial);
  }, [props.open, props.initial]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void props.onSave(name.trim()).then(
      () => props.onOpenChange(false),
      () => undefined,
    );
  };
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange} title={props.title}>
      <form className="form" onSubmit={submit}>
        <ErrorBanner error={props.error} />
        <label className="field">
          <span>{props.label}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />
        </label>
        <div className="row dialog-actions">
          <button type="button" className="button" onClick={() => props.onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={props.pending || !name.trim()}>
            {props.action}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
