import type { Channel } from '@collaro/shared';
import { Phone } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { describeError } from '../../api/api-error.js';
import { paths } from '../../app/paths.js';
import { useServices } from '../../app/services.js';
import { startCall, useCalls } from './calls-api.js';
import './calls.css';

/** In a direct message's header: ring its other members, or join the call already on there. */
export function CallButton({ channel, selfId }: { channel: Channel; selfId: string }) {
  const { api } = useServices();
  const store = useCalls();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  if (!channel.memberIds.some((id) => id !== selfId)) return null;
  const current = store?.inChannel(channel.id);
  const label = current ? 'Join call' : 'Call';
  return (
    <div className="call-button">
      <button
        type="button"
        className={current ? 'button button-small button-primary' : 'button button-small'}
        disabled={starting || !store}
        title={current ? 'A call is on in this conversation' : 'Ring everyone in this conversation'}
        onClick={() => {
          setStarting(true);
          setError(null);
          startCall(api, store, channel.id).then(
            (call) => void navigate(paths.call(call.id)),
            (caught: unknown) => {
              setError(describeError(caught));
              setStarting(false);
            },
          );
        }}
      >
        <Phone size={14} aria-hidden /> {label}
      </button>
      {error ? (
        <p className="banner banner-error call-button-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
