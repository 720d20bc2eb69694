import { INVITATION_DEFAULT_DAYS, ORG_ROLES, type CreatedInvitation, type OrgRole } from '@collaro/shared';
import { useState, type FormEvent } from 'react';
import type { CurrentOrg } from '../../app/current-org.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Spinner } from '../../ui/spinner.js';
import { useConfirm } from '../../ui/confirm-dialog.js';
import { CopyButton } from '../meetings/copy-button.js';
import { useCreateInvitation, useInvitations, useRevokeInvitation } from '../invitations/invitations-api.js';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const toOrgRole = (value: string): OrgRole => ORG_ROLES.find((role) => role === value) ?? 'member';

/** Invitation links: an admin makes one (for anyone with the link, or for one email), shares it, and can revoke it. */
export function InvitationsPanel({ org }: { org: CurrentOrg }) {
  const invitations = useInvitations(org.id);
  const create = useCreateInvitation(org.id);
  const revoke = useRevokeInvitation(org.id);
  const confirm = useConfirm();
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const [role, setRole] = useState<OrgRole>('member');
  const [email, setEmail] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { role, ...(email.trim() ? { email: email.trim() } : {}) },
      {
        onSuccess: (invitation) => {
          setCreated(invitation);
          setEmail('');
        },
      },
    );
  };

  return (
    <section aria-label="Invitations">
      <form className="card inline-form" onSubmit={submit} aria-label="Create an invitation link">
        <label className="field grow">
          <span className="visually-hidden">Invite one person by email (optional)</span>
          <input type="email" placeholder="Email, for one person (optional)" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          <span className="visually-hidden">Role for the invited</span>
          <select value={role} onChange={(e) => setRole(toOrgRole(e.target.value))}>
            {ORG_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          Create invitation link
        </button>
        <p className="muted small grow-row">
          Anyone with a link joins as its role until it expires ({INVITATION_DEFAULT_DAYS} days) or you revoke it; a link for an email works once, for that
          account only.
        </p>
      </form>
      {created ? (
        <div className="card" role="status" data-testid="new-invitation">
          <p>
            <strong>Share this link{created.email ? ` with ${created.email}` : ''}.</strong> It is shown only now.
          </p>
          <div className="row">
            <input readOnly value={created.url} aria-label="Invitation link" className="grow" onFocus={(e) => e.target.select()} />
            <CopyButton text={created.url} label="Copy link" />
          </div>
        </div>
      ) : null}
      <ErrorBanner error={create.error ?? revoke.error ?? invitations.error} onRetry={invitations.error ? () => void invitations.refetch() : undefined} />
      {invitations.isLoading ? <Spinner /> : null}
      {invitations.data && invitations.data.invitations.length === 0 ? <p className="muted">No open invitations.</p> : null}
      <ul className="list" aria-label="Open invitations">
        {invitations.data?.invitations.map((invitation) => (
          <li key={invitation.id} className="list-row" data-testid="invitation">
            <div className="grow">
              <div>{invitation.email ?? 'Anyone with the link'}</div>
              <div className="muted small">
                {invitation.role} · expires {dateFormat.format(new Date(invitation.expiresAt))}
                {invitation.createdByName ? ` · by ${invitation.createdByName}` : ''}
                {invitation.acceptedCount > 0 ? ` · joined: ${invitation.acceptedCount}` : ''}
              </div>
            </div>
            <button
              type="button"
              className="button button-danger button-small"
              onClick={async () => {
                const what = invitation.email ? `the invitation for ${invitation.email}` : 'this invitation link';
                if (await confirm({ title: 'Revoke invitation?', message: `Revoke ${what}? Nobody can join with it afterwards.`, action: 'Revoke' })) {
                  revoke.mutate(invitation.id);
                }
              }}
            >
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
