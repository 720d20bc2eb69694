import { QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { RouterProvider } from 'react-router';
import { describeError } from '../api/api-error.js';
import { ServerAddressScreen } from '../features/auth/server-address-screen.js';
import { desktopBridge } from '../platform/desktop-bridge.js';
import { FullPageSpinner } from '../ui/spinner.js';
import { DesktopIntegration } from './desktop-integration.js';
import { MeetingsDesktopSync } from '../features/meetings/meetings-desktop-sync.js';
import { IncomingCalls } from '../features/calls/incoming-calls.js';
import { connect, queryClient, takeEarlyConnection } from './early-start.js';
import { RealtimeProvider } from './realtime.js';
import { clearCacheWhenSessionEnds } from './session-cache.js';
import { createAppRouter } from './routes.js';
import { ServicesProvider, type AppServices } from './services.js';

type Phase =
  | { kind: 'locating' }
  | { kind: 'needs-server'; initial: string }
  | { kind: 'awaiting-reload' }
  | { kind: 'connecting'; origin: string; apiBase: string }
  | { kind: 'failed'; origin: string; apiBase: string; message: string }
  | { kind: 'ready'; services: AppServices };

/** Where the API is: the page's own origin in a browser, the saved server address on the desktop. */
async function locateServer(): Promise<Phase> {
  const bridge = desktopBridge();
  if (!bridge) return { kind: 'connecting', origin: window.location.origin, apiBase: '' };
  const settings = await bridge.settings.get();
  if (!settings.backendUrlConfirmed) return { kind: 'needs-server', initial: settings.backendUrl };
  return { kind: 'connecting', origin: settings.backendUrl, apiBase: settings.backendUrl };
}

function initialPhase(): Phase {
  return desktopBridge() ? { kind: 'locating' } : { kind: 'connecting', origin: window.location.origin, apiBase: '' };
}

export function Bootstrap() {
  const [phase, setPhase] = useState<Phase>(initialPhase);

  const changeServer = useCallback(() => {
    void desktopBridge()
      ?.settings.get()
      .then((settings) => setPhase({ kind: 'needs-server', initial: settings.backendUrl }));
  }, []);

  useEffect(() => {
    if (phase.kind !== 'locating') return;
    locateServer().then(setPhase, (error: unknown) => setPhase({ kind: 'failed', origin: '', apiBase: '', message: describeError(error) }));
  }, [phase.kind]);

  useEffect(() => {
    if (phase.kind !== 'connecting') return;
    let cancelled = false;
    const { api, connection } = takeEarlyConnection(phase.apiBase) ?? connect(phase.apiBase);
    (async () => {
      const { config, auth, start } = await connection;
      if (cancelled) {
        auth.dispose();
        return;
      }
      const services: AppServices = {
        api,
        auth,
        config,
        serverOrigin: phase.origin,
        changeServer: desktopBridge() ? changeServer : null,
      };
      setPhase({ kind: 'ready', services });
      await start();
    })().catch((error: unknown) => {
      if (!cancelled) setPhase({ kind: 'failed', origin: phase.origin, apiBase: phase.apiBase, message: describeError(error) });
    });
    return () => {
      cancelled = true;
    };
  }, [phase, changeServer]);

  const services = phase.kind === 'ready' ? phase.services : null;
  useEffect(() => (services ? clearCacheWhenSessionEnds(services.auth, queryClient) : undefined), [services]);
  useEffect(() => () => services?.auth.dispose(), [services]);

  const router = useMemo(() => (services ? createAppRouter() : null), [services]);

  switch (phase.kind) {
    case 'locating':
      return <FullPageSpinner label="Starting Collaro" />;
    case 'connecting':
    case 'awaiting-reload':
      return <FullPageSpinner label="Connecting to the server" />;
    case 'needs-server':
      return (
        <ServerAddressScreen
          initial={phase.initial}
          // This page's CSP lets it reach only the server it was loaded for: for another server, main
          // reloads the window with a CSP naming it, so this page must not reach out meanwhile.
          onSaved={(origin) => setPhase(origin === phase.initial ? { kind: 'connecting', origin, apiBase: origin } : { kind: 'awaiting-reload' })}
        />
      );
    case 'failed':
      return (
        <main className="full-page-center">
          <div className="card narrow" role="alert">
            <h1>Collaro cannot start</h1>
            <p>{phase.message}</p>
            <div className="row">
              <button
                type="button"
                className="button button-primary"
                onClick={() => setPhase(phase.origin ? { kind: 'connecting', origin: phase.origin, apiBase: phase.apiBase } : { kind: 'locating' })}
              >
                Try again
              </button>
              {desktopBridge() ? (
                <button type="button" className="button" onClick={changeServer}>
                  Change server
                </button>
              ) : null}
            </div>
          </div>
        </main>
      );
    case 'ready':
      return (
        <ServicesProvider value={phase.services}>
          <QueryClientProvider client={queryClient}>
            <RealtimeProvider>
              {router ? <RouterProvider router={router} /> : null}
              <DesktopIntegration router={router} />
              <IncomingCalls navigate={router ? (path) => void router.navigate(path) : null} />
              <MeetingsDesktopSync />
            </RealtimeProvider>
          </QueryClientProvider>
        </ServicesProvider>
      );
  }
}
