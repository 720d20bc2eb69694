import type { RouteObject } from 'react-router';

/** Registered by `app/routes.tsx`. Every screen loads on demand so meetings code stays off the first download. */
export const meetingRoutes: RouteObject[] = [
  { path: 'meetings', lazy: () => import('./meetings-screen.js').then((m) => ({ Component: m.MeetingsScreen })) },
  { path: 'meetings/new', lazy: () => import('./instant-meeting-screen.js').then((m) => ({ Component: m.InstantMeetingScreen })) },
  { path: 'meetings/schedule', lazy: () => import('./schedule-meeting-screen.js').then((m) => ({ Component: m.ScheduleMeetingScreen })) },
  { path: 'meetings/personal', lazy: () => import('./personal-room-screen.js').then((m) => ({ Component: m.PersonalRoomScreen })) },
];

/** The pre-join and the room take the whole window. */
export const meetingFullscreenRoutes: RouteObject[] = [
  { path: 'meetings/:meetingId', lazy: () => import('./meeting-screen.js').then((m) => ({ Component: m.MeetingScreen })) },
];

/** Open without signing in: a host's guest link for one meeting. */
export const meetingPublicRoutes: RouteObject[] = [
  { path: 'guest/:token', lazy: () => import('./guest/guest-screen.js').then((m) => ({ Component: m.GuestScreen })) },
];
