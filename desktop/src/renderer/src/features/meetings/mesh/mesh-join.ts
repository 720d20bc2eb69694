import type { IceServer } from '@collaro/shared';
import { PreparedOffer } from './client/prepared-offer.js';

/**
 * The ICE servers the last join on each server answered with. A server's ICE servers come from its
 * configuration, so the next join there will very likely answer with the same ones; a server never
 * joined in this window is assumed to have none (the built-in server's default).
 */
const lastIceServers = new Map<string, IceServer[]>();

export function rememberIceServers(apiBase: string, iceServers: IceServer[]): void {
  lastIceServers.set(apiBase, iceServers);
}

/**
 * Started when the user clicks Join on the built-in mesh, before `POST /join` is sent: the peer
 * connection, its offer and its first candidates are made while the request is on its way, so the
 * offer to whoever is already in the room leaves together with `meeting.join`. If the join answers
 * with other ICE servers, or nobody is in the room, the mesh closes it unused.
 */
export function prepareMeshOffer(apiBase: string, stream: MediaStream | null): PreparedOffer | null {
  if (typeof RTCPeerConnection === 'undefined') return null;
  const outgoing = stream ?? new MediaStream();
  try {
    return new PreparedOffer({
      iceServers: lastIceServers.get(apiBase) ?? [],
      tracks: { audio: outgoing.getAudioTracks()[0] ?? null, video: outgoing.getVideoTracks()[0] ?? null, screen: null },
      stream: outgoing,
    });
  } catch {
    // Making it ahead is an optimisation: the mesh makes its own offer once in the room.
    return null;
  }
}
