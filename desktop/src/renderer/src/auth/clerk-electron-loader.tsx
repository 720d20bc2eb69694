import { ClerkProvider, useClerk } from '@clerk/electron/react';
import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import type { LoadedClerk } from './clerk-auth-client.js';

/** How long to wait for Clerk to load before telling the user it cannot be reached. */
const LOAD_TIMEOUT_MS = 20_000;

function HandOver({ onLoaded }: { onLoaded: (clerk: LoadedClerk) => void }) {
  const clerk = useClerk();
  useEffect(() => {
    if (clerk.loaded) onLoaded(clerk);
  }, [clerk, clerk.loaded, onLoaded]);
  return null;
}

/**
 * In the desktop app the page's origin is `collaro-app://app`, where Clerk's cookies do not work:
 * `@clerk/electron` keeps Clerk's client token in the main process instead (its bridge is set up by
 * `createClerkBridge` in main and `exposeClerkBridge` in preload). Its entry point is a React
 * provider, so it is mounted off-screen once and the loaded instance is handed to the auth client.
 */
export function loadClerk(publishableKey: string): Promise<LoadedClerk> {
  const host = document.createElement('div');
  host.hidden = true;
  document.body.append(host);
  const root = createRoot(host);
  return new Promise<LoadedClerk>((resolve, reject) => {
    const timeout = setTimeout(() => {
      root.unmount();
      host.remove();
      reject(new Error('Clerk did not load'));
    }, LOAD_TIMEOUT_MS);
    const onLoaded = (clerk: LoadedClerk) => {
      clearTimeout(timeout);
      resolve(clerk);
    };
    root.render(
      <ClerkProvider publishableKey={publishableKey}>
        <HandOver onLoaded={onLoaded} />
      </ClerkProvider>,
    );
  });
}
