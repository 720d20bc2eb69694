import { permissionsFor, TEAM_ROLES, type TeamRole } from '@collaro/shared';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { paths } from '../../app/paths.js';
import { useAddTeamMember, useMe, useOrgMembers, useRemoveTeamMember, useTeam } from '../../api/queries.js';
import { Avatar } from '../../ui/avatar.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Spinner } from '../../ui/spinner.js';

export function TeamScreen() {
  const { teamId = '' } = useParams();
  const team = useTeam(teamId);
  const me = useMe();
  const orgRole = me.data?.organizations.find((o) => o.id === team.data?.orgId)?.role ?? null;
  const myTeamRole = team.data?.members.find((m) => m.userId === me.data?.user.id)?.role ?? null;
  const canManage = orgRole !== null && permissionsFor(orgRole, myTeamRole).has('org:team_members:manage');
  const remove = useRemoveTeamMember(teamId);

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={paths.admin}>Organization</Link> / <span>Team</span>
      </nav>
      <ErrorBanner error={team.error ?? remove.error} onRetry={team.error ? () => void team.refetch() : undefined} />
      {team.isLoading ? <Spinner /> : null}
      {team.data ? (
        <>
          <header className="page-header">
            <h1># {team.data.name}</h1>
          </header>
          {canManage ? <AddTeamMemberForm teamId={teamId} orgId={team.data.orgId} existing={team.data.members.map((m) => m.userId)} /> : null}
          <h2>Members</h2>
          <ul className="list" aria-label="Team members">
            {team.data.members.map((member) => (
              <li key={member.userId} className="list-row" data-testid="team-member">
                <Avatar name={member.name} />
                <span className="grow">{member.name}</span>
                <span className="role-pill">{member.role}</span>
                {canManage ? (
                  <button type="button" className="button button-danger button-small" onClick={() => remove.mutate(member.userId)}>
                    Remove
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          {team.data.members.length === 0 ? <p className="muted">Nobody is in this team yet.</p> : null}
        </>
      ) : null}
    </div>
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
        <select value={role} onChange={(e) => setRole(TEAM_ROLES.find((r) => r === e.target.value) ?? 'member')}>
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
