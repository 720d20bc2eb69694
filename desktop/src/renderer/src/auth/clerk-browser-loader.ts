import { Clerk } from '@clerk/clerk-js';
import { loadClerkUIScript } from '@clerk/shared/loadClerkJsScript';
import type { LoadedClerk } from './clerk-auth-client.js';

type ClerkUIConstructor = NonNullable<NonNullable<NonNullable<Parameters<Clerk['load']>[0]>['ui']>['ClerkUI']>;

/**
 * In a browser, clerk-js keeps the Clerk session in its own cookies. Its sign-in components are not
 * bundled: Clerk's UI script comes from the instance's Frontend API, as Clerk ships it.
 */
export async function loadClerk(publishableKey: string): Promise<LoadedClerk> {
  await loadClerkUIScript({ publishableKey });
  // The UI script announces itself on window under this name (see @clerk/shared's loader).
  const ClerkUI = (window as Window & { __internal_ClerkUICtor?: ClerkUIConstructor }).__internal_ClerkUICtor;
  if (!ClerkUI) throw new Error('Clerk sign-in UI did not load');
  const clerk = new Clerk(publishableKey);
  await clerk.load({ ui: { ClerkUI } });
  return clerk;
}
