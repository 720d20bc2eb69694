import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ClientConfig } from '@collaro/shared';
import type { ApiClient } from '../api/api-client.js';
import type { AuthClient, AuthState } from '../auth/auth-client.js';

/** Everything a screen needs to talk to the server, created once at start-up. */
export interface AppServices {
  api: ApiClient;
  auth: AuthClient;
  config: ClientConfig;
  /** The origin of the Collaro server, for join links and `parseMeetingLink`. */
  serverOrigin: string;
  /** Desktop only: go back to the server-address screen. */
  changeServer: (() => void) | null;
}

const ServicesContext = createContext<AppServices | null>(null);
export const ServicesProvider = ServicesContext.Provider;

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices must be used inside <ServicesProvider>');
  return services;
}

export function useAuthState(): AuthState {
  const { auth } = useServices();
  return useSyncExternalStore(
    (listener) => auth.subscribe(listener),
    () => auth.getState(),
  );
}
