import { lazy } from 'react';

/**
 * The video providers behind one interface: each is a room component taking the join response and
 * the pre-join media choice. Both load on demand, so neither the mesh code nor Stream's SDK (about
 * 2 MB) is in the first download, and Stream's never loads unless the server runs on Stream.
 */
export const LocalMeetingRoom = lazy(() => import('../local/local-meeting-room.js').then((module) => ({ default: module.LocalMeetingRoom })));
export const StreamMeetingRoom = lazy(() => import('../stream/stream-meeting-room.js').then((module) => ({ default: module.StreamMeetingRoom })));
