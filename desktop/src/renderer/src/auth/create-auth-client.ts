import type { ClientConfig } from '@collaro/shared';
import type { ApiClient } from '../api/api-client.js';
import type { AuthClient, ClerkAuthModule } from './auth-client.js';

// Clerk's client is loaded only when the server turns Clerk on, so local installs never download it.
const clerkModules = import.meta.glob<ClerkAuthModule>('./clerk-auth-client.ts');

/** Clerk's client, for a server that announced Clerk in `GET /api/config` (local accounts: see app/connect.ts). */
export async function loadClerkAuthClient(config: ClientConfig, api: ApiClient): Promise<AuthClient> {
  const load = clerkModules['./clerk-auth-client.ts'];
  if (!load) throw new Error('This server uses Clerk sign-in, but this build of Collaro does not include Clerk support.');
  if (!config.clerkPublishableKey) throw new Error('This server uses Clerk sign-in but sent no Clerk publishable key.');
  const clerk = await load();
  return clerk.createClerkAuthClient({ publishableKey: config.clerkPublishableKey, apiBaseUrl: api.baseUrl });
}
