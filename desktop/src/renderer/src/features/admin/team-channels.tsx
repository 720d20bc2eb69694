import type { Channel } from '@collaro/shared';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { paths } from '../../app/paths.js';
import { useConfirm } from '../../ui/confirm-dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { useChannels } from '../chat/chat-api.js';
import { NameDialog } from './name-dialog.js';
import type { TeamAdmin } from './team-api.js';

/** A team's channels: leads and admins create, rename, archive and unarchive them. */
export function TeamChannels({
  team,
  admin,
  canCreate,
  canManage,
}: {
  team: { id: string; orgId: string };
  admin: TeamAdmin;
  canCreate: boolean;
  canManage: boolean;
}) {
  const channels = useChannels(team.orgId);
  const confirm = useConfirm();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<Channel | null>(null);
  const inTeam = (channels.data?.channels ?? [])
    .filter((channel) => channel.kind === 'team' && channel.teamId === team.id)
    .sort((a, b) => Number(a.archived) - Number(b.archived) || Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name));

  const create = (event: FormEvent) => {
    event.preventDefault();
    admin.createChannel.mutate(name.trim(), { onSuccess: () => setName('') });
  };
  const archive = async (channel: Channel) => {
    const message = `Nobody can post in #${channel.name} while it is archived; its history stays readable and it can be unarchived.`;
    if (await confirm({ title: `Archive #${channel.name}?`, message, action: 'Archive' })) {
      admin.updateChannel.mutate({ channelId: channel.id, change: { archived: true } });
    }
  };

  return (
    <section aria-label="Channels">
      <h2>Channels</h2>
      {canCreate ? (
        <form className="card inline-form" onSubmit={create} aria-label="Create a channel">
          <label className="field grow">
            <span className="visually-hidden">New channel name</span>
            <input required maxLength={100} placeholder="New channel name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="button button-primary" disabled={admin.createChannel.isPending}>
            Create channel
          </button>
        </form>
      ) : null}
      <ErrorBanner
        error={admin.createChannel.error ?? admin.updateChannel.error ?? channels.error}
        onRetry={channels.error ? () => void channels.refetch() : undefined}
      />
      <ul className="list" aria-label="Team channels">
        {inTeam.map((channel) => (
          <li key={channel.id} className="list-row" data-testid="team-channel">
            <Link className="grow" to={paths.channel(channel.id)}>
              # {channel.name}
            </Link>
            {channel.isDefault ? <span className="role-pill">everyone lands here</span> : null}
            {channel.archived ? <span className="role-pill">archived</span> : null}
            {canManage ? (
              <>
                <button type="button" className="button button-small" onClick={() => setRenaming(channel)} aria-label={`Rename #${channel.name}`}>
                  Rename
                </button>
                {channel.archived ? (
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => admin.updateChannel.mutate({ channelId: channel.id, change: { archived: false } })}
                  >
                    Unarchive
                  </button>
                ) : channel.isDefault ? null : (
                  <button
                    type="button"
                    className="button button-small button-danger"
                    onClick={() => void archive(channel)}
                    aria-label={`Archive #${channel.name}`}
                  >
                    Archive
                  </button>
                )}
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <NameDialog
        open={renaming !== null}
        onOpenChange={(open) => (open ? undefined : setRenaming(null))}
        title={`Rename #${renaming?.name ?? ''}`}
        label="Channel name"
        initial={renaming?.name ?? ''}
        action="Rename"
        pending={admin.updateChannel.isPending}
        error={admin.updateChannel.error}
        onSave={(newName) => admin.updateChannel.mutateAsync({ channelId: renaming!.id, change: { name: newName } })}
      />
    </section>
  );
}
