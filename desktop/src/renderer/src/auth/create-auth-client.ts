import type { ClientConfig } from '@collaro/shared';
import type { ApiClient } from '../api/api-client.js';
import type { AuthClient, ClerkAuthModule, KeyValueStorage } from './auth-client.js';
import { LocalAuthClient } from './local-auth-client.js';

// Clerk's client is loaded only when the server turns Clerk on, so local installs never download it.
const clerkModules = import.meta.glob<ClerkAuthModule>('./clerk-auth-client.ts');

/** Picks the provider the server announced in `GET /api/config`. */
export async function createAuthClient(config: ClientConfig, api: ApiClient, storage: KeyValueStorage): Promise<AuthClient> {
  if (config.auth === 'local') return new LocalAuthClient({ api, storage });
  const load = clerkModules['./clerk-auth-client.ts'];
  if (!load) throw new Error('This server uses Clerk sign-in, but this build of Collaro does not include Clerk support.');
  if (!config.clerkPublishableKey) throw new Error('This server uses Clerk sign-in but sent no Clerk publishable key.');
  const clerk = await load();
  return clerk.createClerkAuthClient({ publishableKey: config.clerkPublishableKey, apiBaseUrl: api.baseUrl });
}
