import type { Channel } from '@collaro/shared';
import { useEffect, useMemo, useState } from 'react';
import { NavLink, useNavigate, useParams } from 'react-router';
import { useCurrentOrg } from '../../app/current-org.js';
import { paths } from '../../app/paths.js';
import { useChatStore, useConnectionState } from '../../app/realtime.js';
import { useChannelUnread } from '../../app/unread.js';
import { useMe, useOrgMembers, useTeams } from '../../api/queries.js';
import { PresenceDot } from '../../ui/avatar.js';
import { Dialog } from '../../ui/dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Spinner } from '../../ui/spinner.js';
import { useChannels, useOpenDirectMessage } from './chat-api.js';
import { ChannelPane } from './channel-pane.js';
import { loadMarkdown } from './message-body.js';
import './chat.css';

export interface People {
  nameOf: (userId: string) => string;
  selfId: string;
  /** Everyone in the organization, for turning typed @names into mentions. */
  members: { userId: string; name: string }[];
}

export function channelTitle(channel: Channel, people: People): string {
  if (channel.kind !== 'dm') return channel.name;
  const others = channel.memberIds.filter((id) => id !== people.selfId);
  return others.length === 0 ? `${people.nameOf(people.selfId)} (you)` : others.map(people.nameOf).join(', ');
}

export function ChatScreen() {
  const { channelId } = useParams();
  const { org } = useCurrentOrg();
  const me = useMe();
  const members = useOrgMembers(org?.id ?? null);
  const channels = useChannels(org?.id ?? null);
  const teams = useTeams(org?.id ?? null);
  const navigate = useNavigate();
  const connection = useConnectionState();
  const [dmOpen, setDmOpen] = useState(false);

  useEffect(() => void loadMarkdown(), []);

  const people = useMemo<People>(() => {
    const names = new Map((members.data?.members ?? []).map((m) => [m.userId, m.name]));
    return { nameOf: (userId) => names.get(userId) ?? 'Someone', selfId: me.data?.user.id ?? '', members: members.data?.members ?? [] };
  }, [members.data, me.data]);

  const list = channels.data?.channels ?? [];
  const teamChannels = list.filter((c) => c.kind === 'team');
  const directMessages = list.filter((c) => c.kind === 'dm');
  const active = list.find((c) => c.id === channelId) ?? null;

  useEffect(() => {
    if (!channelId && teamChannels[0]) void navigate(paths.channel(teamChannels[0].id), { replace: true });
  }, [channelId, teamChannels, navigate]);

  if (!org) return <div className="page muted">Join or create an organization to chat.</div>;

  return (
    <div className="chat">
      <aside className="chat-sidebar" aria-label="Conversations">
        {connection !== 'open' && connection !== 'idle' ? (
          <p className="connection-state" role="status">
            {connection === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
          </p>
        ) : null}
        <ErrorBanner error={channels.error} onRetry={() => void channels.refetch()} />
        {channels.isLoading ? <Spinner /> : null}
        {groupByTeam(teamChannels, teams.data?.teams ?? []).map(({ teamId, teamName, channels: inTeam }) => (
          <div key={teamId}>
            <h2 className="chat-section">{teamName}</h2>
            <ul className="channel-list">
              {inTeam.map((channel) => (
                <ChannelLink key={channel.id} channel={channel} title={`# ${channel.name}`} />
              ))}
            </ul>
          </div>
        ))}
        {teamChannels.length === 0 && !channels.isLoading ? <p className="muted small">No channels yet: join a team to see its channels.</p> : null}
        <div className="chat-section-row">
          <h2 className="chat-section">Direct messages</h2>
          <button type="button" className="icon-button" aria-label="New direct message" title="New direct message" onClick={() => setDmOpen(true)}>
            +
          </button>
        </div>
        <ul className="channel-list">
          {directMessages.map((channel) => (
            <ChannelLink key={channel.id} channel={channel} title={channelTitle(channel, people)} dmPeer={channel.memberIds.find((id) => id !== people.selfId) ?? people.selfId} />
          ))}
        </ul>
      </aside>
      {active ? (
        <ChannelPane key={active.id} channel={active} title={channelTitle(active, people)} people={people} orgRole={org.role} />
      ) : (
        <section className="channel-pane empty">
          <p className="muted">{channelId && !channels.isLoading ? 'This conversation does not exist or you cannot see it.' : 'Pick a conversation.'}</p>
        </section>
      )}
      <NewDirectMessageDialog open={dmOpen} onOpenChange={setDmOpen} orgId={org.id} selfId={people.selfId} />
    </div>
  );
}

function groupByTeam(channels: Channel[], teams: { id: string; name: string }[]) {
  const groups = new Map<string, Channel[]>();
  for (const channel of channels) {
    const key = channel.teamId ?? '';
    groups.set(key, [...(groups.get(key) ?? []), channel]);
  }
  return [...groups].map(([teamId, inTeam]) => ({
    teamId,
    teamName: teams.find((team) => team.id === teamId)?.name ?? 'Channels',
    channels: inTeam.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name)),
  }));
}

function ChannelLink({ channel, title, dmPeer }: { channel: Channel; title: string; dmPeer?: string }) {
  const unread = useChannelUnread(channel.id);
  const store = useChatStore();
  return (
    <li>
      <NavLink to={paths.channel(channel.id)} className={`channel-link${unread > 0 ? ' has-unread' : ''}`} data-testid="channel-link">
        {dmPeer && store ? <PresenceDot status={store.presenceOf(dmPeer)} /> : null}
        <span className="channel-name">{title}</span>
        {unread > 0 ? (
          <span className="badge" aria-label={`${unread} unread`}>
            {unread}
          </span>
        ) : null}
      </NavLink>
    </li>
  );
}

function NewDirectMessageDialog({ open, onOpenChange, orgId, selfId }: { open: boolean; onOpenChange: (open: boolean) => void; orgId: string; selfId: string }) {
  const members = useOrgMembers(orgId);
  const openDm = useOpenDirectMessage(orgId);
  const navigate = useNavigate();
  const store = useChatStore();
  const others = (members.data?.members ?? []).filter((m) => m.userId !== selfId);
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New direct message">
      <ErrorBanner error={openDm.error ?? members.error} />
      <ul className="list">
        {others.map((member) => (
          <li key={member.userId} className="list-row">
            {store ? <PresenceDot status={store.presenceOf(member.userId)} /> : null}
            <span className="grow">{member.name}</span>
            <button
              type="button"
              className="button button-small"
              disabled={openDm.isPending}
              onClick={() =>
                openDm.mutate([member.userId], {
                  onSuccess: (channel) => {
                    onOpenChange(false);
                    void navigate(paths.channel(channel.id));
                  },
                })
              }
            >
              Message {member.name}
            </button>
          </li>
        ))}
      </ul>
      {others.length === 0 ? <p className="muted">Nobody else is in this organization yet.</p> : null}
    </Dialog>
  );
}
