import { Clerk } from '@clerk/clerk-js';
import type { LoadedClerk } from './clerk-auth-client.js';

/** In a browser, clerk-js keeps the Clerk session in its own cookies; its sign-in UI comes from Clerk's CDN. */
export async function loadClerk(publishableKey: string): Promise<LoadedClerk> {
  const clerk = new Clerk(publishableKey);
  await clerk.load();
  return clerk;
}
