import type { Channel } from '@collaro/shared';
import { Link, NavLink } from 'react-router';
import { paths } from '../../app/paths.js';
import { PresenceDot } from '../../ui/avatar.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Spinner } from '../../ui/spinner.js';
import { useChatSession, useConnectionState, usePresence, useUnreadCount } from './chat-session-hooks.js';
import { channelTitle, type People } from './people.js';

export interface TeamGroup {
  teamId: string;
  teamName: string;
  channels: Channel[];
}

/** Team channels under their team's name (default channel first), archived ones left out unless open. */
export function groupByTeam(channels: Channel[], teams: { id: string; name: string }[], activeId: string | undefined): TeamGroup[] {
  const groups = new Map<string, Channel[]>();
  for (const channel of channels) {
    if (channel.kind !== 'team' || (channel.archived && channel.id !== activeId)) continue;
    const key = channel.teamId ?? '';
    groups.set(key, [...(groups.get(key) ?? []), channel]);
  }
  return [...groups]
    .map(([teamId, inTeam]) => ({
      teamId,
      teamName: teams.find((team) => team.id === teamId)?.name ?? 'Team',
      channels: inTeam.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name)),
    }))
    .sort((a, b) => a.teamName.localeCompare(b.teamName));
}

export function ChatSidebar(props: {
  groups: TeamGroup[];
  directMessages: Channel[];
  people: People;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  onNewDirectMessage: () => void;
}) {
  const connection = useConnectionState();
  const { people } = props;
  return (
    <aside className="chat-sidebar" aria-label="Conversations">
      {connection !== 'open' && connection !== 'idle' ? (
        <p className="connection-state" role="status">
          {connection === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </p>
      ) : null}
      <ErrorBanner error={props.error} onRetry={props.onRetry} />
      {props.loading ? <Spinner /> : null}
      {props.groups.map(({ teamId, teamName, channels }) => (
        <section key={teamId} aria-label={teamName} data-testid="team-channels">
          <h2 className="chat-section">
            <Link to={paths.team(teamId)} className="chat-section-link" title={`${teamName}: members and channels`}>
              {teamName}
            </Link>
          </h2>
          <ul className="channel-list">
            {channels.map((channel) => (
              <ChannelLink key={channel.id} channel={channel} title={`# ${channel.name}`} />
            ))}
          </ul>
        </section>
      ))}
      {props.groups.length === 0 && !props.loading ? <p className="muted small">No channels yet: join a team to see its channels.</p> : null}
      <div className="chat-section-row">
        <h2 className="chat-section">Direct messages</h2>
        <button type="button" className="icon-button" aria-label="New direct message" title="New direct message" onClick={props.onNewDirectMessage}>
          +
        </button>
      </div>
      <ul className="channel-list">
        {props.directMessages.map((channel) => (
          <ChannelLink
            key={channel.id}
            channel={channel}
            title={channelTitle(channel, people)}
            dmPeer={channel.memberIds.find((id) => id !== people.selfId) ?? people.selfId}
          />
        ))}
      </ul>
    </aside>
  );
}

function ChannelLink({ channel, title, dmPeer }: { channel: Channel; title: string; dmPeer?: string }) {
  const unread = useUnreadCount(channel.id);
  const session = useChatSession();
  const presence = usePresence(dmPeer ?? '');
  return (
    <li>
      <NavLink to={paths.channel(channel.id)} className={`channel-link${unread > 0 ? ' has-unread' : ''}`} data-testid="channel-link">
        {dmPeer && session ? <PresenceDot status={presence} /> : null}
        <span className="channel-name">{title}</span>
        {channel.archived ? <span className="muted small">archived</span> : null}
        {unread > 0 ? (
          <span className="badge" aria-label={`${unread} unread`}>
            {unread}
          </span>
        ) : null}
      </NavLink>
    </li>
  );
}
