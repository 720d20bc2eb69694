import { permissionsFor, TEAM_ROLES, type TeamDetail, type TeamRole } from '@collaro/shared';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { paths } from '../../app/paths.js';
import { useAddTeamMember, useMe, useOrgMembers, useRemoveTeamMember, useTeam } from '../../api/queries.js';
import { Avatar } from '../../ui/avatar.js';
import { useConfirm } from '../../ui/confirm-dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Spinner } from '../../ui/spinner.js';
import { NameDialog } from './name-dialog.js';
import { useTeamAdmin } from './team-api.js';
import { TeamChannels } from './team-channels.js';

const toTeamRole = (value: string): TeamRole => TEAM_ROLES.find((r) => r === value) ?? 'member';

export function TeamScreen() {
  const { teamId = '' } = useParams();
  const team = useTeam(teamId);
  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={paths.admin}>Organization</Link> / <span>Team</span>
      </nav>
      <ErrorBanner error={team.error} onRetry={() => void team.refetch()} />
      {team.isLoading ? <Spinner /> : null}
      {team.data ? <TeamDetails team={team.data} /> : null}
    </div>
  );
}

function TeamDetails({ team }: { team: TeamDetail }) {
  const me = useMe();
  const navigate = useNavigate();
  const confirm = useConfirm();
  const admin = useTeamAdmin(team);
  const remove = useRemoveTeamMember(team.id);
  const [renaming, setRenaming] = useState(false);
  const orgRole = me.data?.organizations.find((o) => o.id === team.orgId)?.role ?? null;
  const myTeamRole = team.members.find((m) => m.userId === me.data?.user.id)?.role ?? null;
  const can = orgRole ? permissionsFor(orgRole, myTeamRole) : new Set<string>();
  const canManageMembers = can.has('org:team_members:manage');

  const deleteTeam = async () => {
    const message = `${team.name} is deleted for everyone, with its channels and their messages and its meetings. This cannot be undone.`;
    if (await confirm({ title: `Delete ${team.name}?`, message, action: 'Delete team' })) {
      admin.remove.mutate(undefined, { onSuccess: () => void navigate(paths.admin, { replace: true }) });
    }
  };
  const removeMember = async (member: { userId: string; name: string }) => {
    const message = `${member.name} leaves ${team.name} and its channels; they stay in the organization.`;
    if (await confirm({ title: `Remove ${member.name} from ${team.name}?`, message, action: 'Remove' })) remove.mutate(member.userId);
  };

  return (
    <>
      <header className="page-header">
        <h1># {team.name}</h1>
        {can.has('org:teams:manage') ? (
          <div className="row">
            <button type="button" className="button" onClick={() => setRenaming(true)}>
              Rename team
            </button>
            <button type="button" className="button button-danger" onClick={() => void deleteTeam()}>
              Delete team
            </button>
          </div>
        ) : null}
      </header>
      <ErrorBanner error={remove.error ?? admin.changeRole.error ?? admin.remove.error} />
      {canManageMembers ? <AddTeamMemberForm teamId={team.id} orgId={team.orgId} existing={team.members.map((m) => m.userId)} /> : null}
      <h2>Members</h2>
      <ul className="list" aria-label="Team members">
        {team.members.map((member) => (
          <li key={member.userId} className="list-row" data-testid="team-member">
            <Avatar name={member.name} />
            <span className="grow">{member.name}</span>
            {canManageMembers ? (
              <>
                <label>
                  <span className="visually-hidden">Team role of {member.name}</span>
                  <select value={member.role} onChange={(e) => admin.changeRole.mutate({ userId: member.userId, role: toTeamRole(e.target.value) })}>
                    {TEAM_ROLES.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="button" className="button button-danger button-small" onClick={() => void removeMember(member)}>
                  Remove
                </button>
              </>
            ) : (
              <span className="role-pill">{member.role}</span>
            )}
          </li>
        ))}
      </ul>
      {team.members.length === 0 ? <p className="muted">Nobody is in this team yet.</p> : null}
      <TeamChannels team={team} admin={admin} canCreate={can.has('org:channels:create')} canManage={can.has('org:channels:manage')} />
      <NameDialog
        open={renaming}
        onOpenChange={setRenaming}
        title={`Rename ${team.name}`}
        label="Team name"
        initial={team.name}
        action="Rename"
        pending={admin.rename.isPending}
        error={admin.rename.error}
        onSave={(name) => admin.rename.mutateAsync(name)}
      />
    </>
  );
}

function AddTeamMemberForm({ teamId, orgId, existing }: { teamId: string; orgId: string; existing: string[] }) {
  const members = useOrgMembers(orgId);
  const add = useAddTeamMember(teamId);
  const candidates = (members.data?.members ?? []).filter((m) => !existing.includes(m.userId));
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<TeamRole>('member');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const chosen = userId || candidates[0]?.userId;
    if (chosen) add.mutate({ userId: chosen, role }, { onSuccess: () => setUserId('') });
  };
  return (
    <form className="card inline-form" onSubmit={submit} aria-label="Add to team">
      <label className="grow">
        <span className="visually-hidden">Person to add</span>
        <select value={userId || candidates[0]?.userId || ''} onChange={(e) => setUserId(e.target.value)} disabled={candidates.length === 0}>
          {candidates.length === 0 ? <option value="">Everyone in the organization is already in this team</option> : null}
          {candidates.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name} ({m.email})
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">Team role</span>
        <select value={role} onChange={(e) => setRole(toTeamRole(e.target.value))}>
          {TEAM_ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button-primary" disabled={add.isPending || candidates.length === 0}>
        Add to team
      </button>
      <ErrorBanner error={add.error ?? members.error} />
    </form>
  );
}
