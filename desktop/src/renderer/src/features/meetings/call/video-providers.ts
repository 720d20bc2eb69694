import { lazy } from 'react';

/**
 * The video providers behind one interface: each is a room component taking the join response and
 * the pre-join media choice. Both load on demand, so neither the mesh code nor Stream's SDK (about
 * 2 MB) is in the first download, and Stream's never loads unless the server runs on Stream.
 */
const loadMeshRoom = () => import('../mesh/mesh-meeting-room.js');
export const MeshMeetingRoom = lazy(() => loadMeshRoom().then((module) => ({ default: module.MeshMeetingRoom })));

/**
 * Fetches the mesh room's code while the user is still on the pre-join screen, so a click on Join
 * does not wait for the join answer and then for the download, one after the other.
 */
export function preloadMeshMeetingRoom(): void {
  loadMeshRoom().catch(() => undefined);
}
export const StreamMeetingRoom = lazy(() => import('../stream/stream-meeting-room.js').then((module) => ({ default: module.StreamMeetingRoom })));
