import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useCurrentOrg } from '../../app/current-org.js';
import { paths } from '../../app/paths.js';
import { useMe, useOrgMembers, useTeams } from '../../api/queries.js';
import { PresenceDot } from '../../ui/avatar.js';
import { Dialog } from '../../ui/dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { useChannels, useOpenDirectMessage } from './chat-api.js';
import { ChannelPane } from './channel-pane.js';
import { useChatSession, usePresenceLookup } from './chat-session-hooks.js';
import { ChatSidebar, groupByTeam } from './chat-sidebar.js';
import { loadMarkdown } from './message-body.js';
import { channelTitle, type People } from './people.js';
import './chat.css';

/** Matches the breakpoint in chat.css where the list and the conversation stop fitting side by side. */
const NARROW = '(max-width: 900px)';

export function ChatScreen() {
  const { channelId } = useParams();
  const { org } = useCurrentOrg();
  const me = useMe();
  const members = useOrgMembers(org?.id ?? null);
  const channels = useChannels(org?.id ?? null);
  const teams = useTeams(org?.id ?? null);
  const navigate = useNavigate();
  const [dmOpen, setDmOpen] = useState(false);

  useEffect(() => void loadMarkdown(), []);

  const people = useMemo<People>(() => {
    const names = new Map((members.data?.members ?? []).map((m) => [m.userId, m.name]));
    return { nameOf: (userId) => names.get(userId) ?? 'Someone', selfId: me.data?.user.id ?? '', members: members.data?.members ?? [] };
  }, [members.data, me.data]);

  const list = channels.data?.channels ?? [];
  const teamChannels = list.filter((c) => c.kind === 'team' && !c.archived);
  const directMessages = list.filter((c) => c.kind === 'dm');
  const active = list.find((c) => c.id === channelId) ?? null;

  useEffect(() => {
    // A narrow window shows the list first; a wide one opens the first channel beside it.
    if (!channelId && teamChannels[0] && !window.matchMedia(NARROW).matches) void navigate(paths.channel(teamChannels[0].id), { replace: true });
  }, [channelId, teamChannels, navigate]);

  if (!org) return <div className="page muted">Join or create an organization to chat.</div>;
  const groups = groupByTeam(list, teams.data?.teams ?? [], channelId);
  const teamName = active?.teamId ? groups.find((group) => group.teamId === active.teamId)?.teamName : undefined;

  return (
    <div className={channelId ? 'chat has-active' : 'chat'}>
      <ChatSidebar
        groups={groups}
        directMessages={directMessages}
        people={people}
        loading={channels.isLoading}
        error={channels.error}
        onRetry={() => void channels.refetch()}
        onNewDirectMessage={() => setDmOpen(true)}
      />
      {active ? (
        <ChannelPane key={active.id} channel={active} title={channelTitle(active, people)} teamName={teamName} people={people} orgRole={org.role} />
      ) : (
        <section className="channel-pane empty">
          <p className="muted">{channelId && !channels.isLoading ? 'This conversation does not exist or you cannot see it.' : 'Pick a conversation.'}</p>
        </section>
      )}
      <NewDirectMessageDialog open={dmOpen} onOpenChange={setDmOpen} orgId={org.id} selfId={people.selfId} />
    </div>
  );
}

function NewDirectMessageDialog({
  open,
  onOpenChange,
  orgId,
  selfId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  orgId: string;
  selfId: string;
}) {
  const members = useOrgMembers(orgId);
  const openDm = useOpenDirectMessage(orgId);
  const navigate = useNavigate();
  const session = useChatSession();
  const presenceOf = usePresenceLookup();
  const others = (members.data?.members ?? []).filter((m) => m.userId !== selfId);
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New direct message">
      <ErrorBanner error={openDm.error ?? members.error} />
      <ul className="list">
        {others.map((member) => (
          <li key={member.userId} className="list-row">
            {session ? <PresenceDot status={presenceOf(member.userId)} /> : null}
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
