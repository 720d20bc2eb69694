import * as Tabs from '@radix-ui/react-tabs';
import { ORG_ROLES, type OrgRole } from '@collaro/shared';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useCurrentOrg, type CurrentOrg } from '../../app/current-org.js';
import { paths } from '../../app/paths.js';
import { useAddOrgMember, useChangeOrgRole, useCreateTeam, useMe, useOrgMembers, useRemoveOrgMember, useTeams } from '../../api/queries.js';
import { Avatar } from '../../ui/avatar.js';
import { Dialog } from '../../ui/dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Spinner } from '../../ui/spinner.js';
import { CreateOrgForm } from './create-org-form.js';
import { InvitationsPanel } from './invitations-panel.js';
import { useConfirm } from '../../ui/confirm-dialog.js';

const toOrgRole = (value: string): OrgRole => ORG_ROLES.find((role) => role === value) ?? 'member';

export function OrgAdminScreen() {
  const { org, isLoading } = useCurrentOrg();
  const [newOrgOpen, setNewOrgOpen] = useState(false);
  if (isLoading) return <Spinner />;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{org ? org.name : 'Organization'}</h1>
          {org ? <p className="muted">Your role: {org.role}</p> : null}
        </div>
        <button type="button" className="button" onClick={() => setNewOrgOpen(true)}>
          New organization
        </button>
      </header>
      <Dialog open={newOrgOpen} onOpenChange={setNewOrgOpen} title="New organization">
        <CreateOrgForm onCreated={() => setNewOrgOpen(false)} />
      </Dialog>
      {org ? (
        <Tabs.Root defaultValue="members" className="tabs">
          <Tabs.List className="tab-list" aria-label="Organization administration">
            <Tabs.Trigger value="members" className="tab">
              Members
            </Tabs.Trigger>
            <Tabs.Trigger value="teams" className="tab">
              Teams
            </Tabs.Trigger>
            {org.permissions.has('org:members:manage') ? (
              <Tabs.Trigger value="invitations" className="tab">
                Invitations
              </Tabs.Trigger>
            ) : null}
          </Tabs.List>
          <Tabs.Content value="members" className="tab-panel">
            <MembersPanel org={org} />
          </Tabs.Content>
          <Tabs.Content value="teams" className="tab-panel">
            <TeamsPanel org={org} />
          </Tabs.Content>
          {org.permissions.has('org:members:manage') ? (
            <Tabs.Content value="invitations" className="tab-panel">
              <InvitationsPanel org={org} />
            </Tabs.Content>
          ) : null}
        </Tabs.Root>
      ) : (
        <section className="card">
          <p>You are not in an organization yet.</p>
          <CreateOrgForm />
        </section>
      )}
    </div>
  );
}

function MembersPanel({ org }: { org: CurrentOrg }) {
  const me = useMe();
  const members = useOrgMembers(org.id, { fresh: true });
  const changeRole = useChangeOrgRole(org.id);
  const remove = useRemoveOrgMember(org.id);
  const add = useAddOrgMember(org.id);
  const canManage = org.permissions.has('org:members:manage');
  const confirm = useConfirm();
  return (
    <section aria-label="Members">
      {canManage ? <AddMemberForm add={add} /> : null}
      {/* Outside the form: a 403 reloads the user's roles, which may hide the form that failed. */}
      <ErrorBanner error={add.error ?? members.error ?? changeRole.error ?? remove.error} onRetry={members.error ? () => void members.refetch() : undefined} />
      {members.isLoading ? <Spinner /> : null}
      <ul className="list" aria-label="Organization members">
        {members.data?.members.map((member) => (
          <li key={member.userId} className="list-row" data-testid="org-member">
            <Avatar name={member.name} />
            <div className="grow">
              <div>
                {member.name}
                {member.userId === me.data?.user.id ? <span className="muted"> (you)</span> : null}
              </div>
              <div className="muted small">{member.email}</div>
            </div>
            {canManage ? (
              <>
                <label>
                  <span className="visually-hidden">Role of {member.name}</span>
                  <select value={member.role} onChange={(event) => changeRole.mutate({ userId: member.userId, role: toOrgRole(event.target.value) })}>
                    {ORG_ROLES.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                </label>
                <button
                  type="button"
                  className="button button-danger button-small"
                  onClick={async () => {
                    const message = `${member.name} loses access to ${org.name}: its teams, channels and meetings.`;
                    if (await confirm({ title: `Remove ${member.name}?`, message, action: 'Remove' })) remove.mutate(member.userId);
                  }}
                >
                  Remove
                </button>
              </>
            ) : (
              <span className="role-pill">{member.role}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function AddMemberForm({ add }: { add: ReturnType<typeof useAddOrgMember> }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<OrgRole>('member');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ email, role }, { onSuccess: () => setEmail('') });
  };
  return (
    <form className="card inline-form" onSubmit={submit} aria-label="Add a member">
      <label className="field grow">
        <span className="visually-hidden">Email of the person to add</span>
        <input type="email" required placeholder="Email of a Collaro user" value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        <span className="visually-hidden">Role</span>
        <select value={role} onChange={(e) => setRole(toOrgRole(e.target.value))}>
          {ORG_ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button-primary" disabled={add.isPending}>
        Add member
      </button>
    </form>
  );
}

function TeamsPanel({ org }: { org: CurrentOrg }) {
  const teams = useTeams(org.id);
  const createTeam = useCreateTeam(org.id);
  const [name, setName] = useState('');
  const canManage = org.permissions.has('org:teams:manage');
  return (
    <section aria-label="Teams">
      {canManage ? (
        <form
          className="card inline-form"
          aria-label="Create a team"
          onSubmit={(event) => {
            event.preventDefault();
            createTeam.mutate(name, { onSuccess: () => setName('') });
          }}
        >
          <label className="field grow">
            <span className="visually-hidden">Team name</span>
            <input required maxLength={100} placeholder="Team name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="button button-primary" disabled={createTeam.isPending}>
            Create team
          </button>
        </form>
      ) : null}
      <ErrorBanner error={createTeam.error ?? teams.error} onRetry={teams.error ? () => void teams.refetch() : undefined} />
      {teams.isLoading ? <Spinner /> : null}
      {teams.data && teams.data.teams.length === 0 ? <p className="muted">No teams yet.</p> : null}
      <ul className="list" aria-label="Teams">
        {teams.data?.teams.map((team) => (
          <li key={team.id} className="list-row">
            <span className="team-mark" aria-hidden="true">
              #
            </span>
            <Link className="grow" to={paths.team(team.id)}>
              {team.name}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
