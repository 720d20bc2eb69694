import type { CallParticipant } from './call-session.js';

export interface Tile {
  key: string;
  participant: CallParticipant;
  kind: 'camera' | 'screen';
  stream: MediaStream | null;
}

/** Shared screens first (they are what people came to read), then everyone's camera. */
export function tilesOf(participants: CallParticipant[]): Tile[] {
  const screens = participants
    .filter((participant) => participant.screen)
    .map((participant) => ({ key: `${participant.id}:screen`, participant, kind: 'screen' as const, stream: participant.screen }));
  const cameras = participants.map((participant) => ({ key: `${participant.id}:camera`, participant, kind: 'camera' as const, stream: participant.camera }));
  return [...screens, ...cameras];
}

/**
 * The speaker layout's big tile: the one the user pinned, else a shared screen, else whoever is
 * speaking, else someone else, else oneself.
 */
export function featuredTile(tiles: Tile[], pinned: string | null, speakerId: string | null = null): Tile | undefined {
  return (
    tiles.find((tile) => tile.key === pinned) ??
    tiles.find((tile) => tile.kind === 'screen') ??
    tiles.find((tile) => tile.kind === 'camera' && tile.participant.id === speakerId) ??
    tiles.find((tile) => !tile.participant.isLocal) ??
    tiles[0]
  );
}
