import type { Channel } from '@collaro/shared';
import { ArrowLeft } from 'lucide-react';
import { Link } from 'react-router';
import { paths } from '../../app/paths.js';
import { CallButton } from '../calls/call-button.js';

/** The open conversation's name (and team), the way back to the list on a narrow window, and a direct message's call button. */
export function ChannelHeader({ channel, title, teamName, selfId }: { channel: Channel; title: string; teamName?: string | undefined; selfId: string }) {
  return (
    <header className="channel-header">
      <Link to={paths.chat} className="icon-button narrow-only" aria-label="All conversations" title="All conversations">
        <ArrowLeft size={18} aria-hidden="true" />
      </Link>
      <h1>
        {channel.kind === 'dm' ? title : `# ${title}`}
        {teamName ? <span className="channel-team muted"> {teamName}</span> : null}
      </h1>
      {channel.kind === 'dm' ? <CallButton channel={channel} selfId={selfId} /> : null}
    </header>
  );
}
