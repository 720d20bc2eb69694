import type { PresenceStatus } from '@collaro/shared';

const PRESENCE_LABEL: Record<PresenceStatus, string> = {
  online: 'Online',
  away: 'Away',
  dnd: 'Do not disturb',
  in_meeting: 'In a meeting',
  offline: 'Offline',
};

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return (words.length > 1 ? `${words[0]![0]}${words[words.length - 1]![0]}` : (words[0] ?? '?').slice(0, 2)).toUpperCase();
}

export function PresenceDot({ status }: { status: PresenceStatus }) {
  return <span className={`presence-dot presence-${status}`} role="img" aria-label={PRESENCE_LABEL[status]} title={PRESENCE_LABEL[status]} />;
}

export function Avatar({ name, presence, size = 32 }: { name: string; presence?: PresenceStatus; size?: number }) {
  return (
    <span className="avatar" style={{ width: size, height: size, fontSize: size * 0.4 }} aria-hidden={presence ? undefined : true}>
      {initials(name)}
      {presence ? <PresenceDot status={presence} /> : null}
    </span>
  );
}
