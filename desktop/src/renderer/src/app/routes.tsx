import { createBrowserRouter, Navigate, Outlet, useLocation, type RouteObject } from 'react-router';
import type { ReactNode } from 'react';
import { SignInScreen } from '../features/auth/sign-in-screen.js';
import { SignUpScreen } from '../features/auth/sign-up-screen.js';
import { HomeScreen } from '../features/home/home-screen.js';
import { FullPageSpinner } from '../ui/spinner.js';
import { AppShell } from './app-shell.js';
import { NotFoundScreen } from './not-found-screen.js';
import { paths } from './paths.js';
import { retryingLazyRoutes, RouteErrorScreen } from './route-errors.js';
import { useAuthState } from './services.js';

/**
 * Meeting screens plug in here: `features/meetings/meeting-routes.tsx` exports
 * `meetingRoutes` (rendered inside the app shell) and may export `meetingFullscreenRoutes`
 * (signed in, without the shell, e.g. the meeting room). Use `lazy` in those route objects so
 * meeting code stays out of the first download.
 */
interface MeetingRoutesModule {
  meetingRoutes: RouteObject[];
  meetingFullscreenRoutes?: RouteObject[];
  /** Screens anyone may open, signed in or not (a meeting's guest link). */
  meetingPublicRoutes?: RouteObject[];
}
const meetingModules = Object.values(import.meta.glob<MeetingRoutesModule>('../features/meetings/meeting-routes.tsx', { eager: true }));

/** Screens shown inside the app shell (sidebar and navigation). */
export const shellRoutes: RouteObject[] = [
  { index: true, element: <HomeScreen /> },
  { path: 'chat', lazy: () => import('../features/chat/chat-screen.js').then((m) => ({ Component: m.ChatScreen })) },
  { path: 'chat/:channelId', lazy: () => import('../features/chat/chat-screen.js').then((m) => ({ Component: m.ChatScreen })) },
  { path: 'admin', lazy: () => import('../features/admin/org-admin-screen.js').then((m) => ({ Component: m.OrgAdminScreen })) },
  { path: 'settings', lazy: () => import('../features/settings/settings-screen.js').then((m) => ({ Component: m.SettingsScreen })) },
  { path: 'admin/teams/:teamId', lazy: () => import('../features/admin/team-screen.js').then((m) => ({ Component: m.TeamScreen })) },
  ...meetingModules.flatMap((module) => module.meetingRoutes),
];

/** Signed-in screens that take the whole window. */
export const fullscreenRoutes: RouteObject[] = [
  ...meetingModules.flatMap((module) => module.meetingFullscreenRoutes ?? []),
  { path: 'calls/:callId', lazy: () => import('../features/calls/call-screen.js').then((m) => ({ Component: m.CallScreen })) },
];

export function RequireAuth({ children }: { children: ReactNode }) {
  const state = useAuthState();
  const location = useLocation();
  if (state.status === 'loading') return <FullPageSpinner label="Signing you in" />;
  if (state.status === 'signed-out') {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`${paths.signIn}${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`} replace />;
  }
  return children;
}

export function createAppRouter() {
  return createBrowserRouter(
    retryingLazyRoutes([
      {
        // Whatever fails below (a screen's download, a render error), a person gets a plain message and a way on.
        errorElement: <RouteErrorScreen />,
        // Shown when the app opens on a lazily loaded screen (chat, a meeting), while its code arrives.
        hydrateFallbackElement: <FullPageSpinner label="Opening" />,
        children: [
          { path: paths.signIn, element: <SignInScreen /> },
          { path: paths.signUp, element: <SignUpScreen /> },
          { path: paths.invitation, lazy: () => import('../features/invitations/invitation-screen.js').then((m) => ({ Component: m.InvitationScreen })) },
          ...meetingModules.flatMap((module) => module.meetingPublicRoutes ?? []),
          {
            element: (
              <RequireAuth>
                <AppShell />
              </RequireAuth>
            ),
            children: [{ errorElement: <RouteErrorScreen inShell />, children: shellRoutes }],
          },
          {
            element: (
              <RequireAuth>
                <Outlet />
              </RequireAuth>
            ),
            children: fullscreenRoutes,
          },
          { path: '*', element: <NotFoundScreen /> },
        ],
      },
    ]),
  );
}
