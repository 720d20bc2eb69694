import type { ClientConfig, User } from '@collaro/shared';
import type { TokenSource } from '../api/api-client.js';

export type AuthState = { status: 'loading' } | { status: 'signed-out'; reason?: string } | { status: 'signed-in'; user: User };

/**
 * What the UI needs from whichever identity provider the server uses. The local implementation
 * talks to `/api/auth/*`; a Clerk implementation lives in `auth/clerk-auth-client.ts`.
 */
export interface AuthClient extends TokenSource {
  readonly kind: ClientConfig['auth'];
  getState(): AuthState;
  /** Calls `listener` on every state change; returns the unsubscribe function. */
  subscribe(listener: (state: AuthState) => void): () => void;
  /** Restores a session kept from an earlier visit, if any. */
  start(): Promise<void>;
  signOut(): Promise<void>;
  /** Stops timers and listeners. */
  dispose(): void;
  /**
   * Providers with their own sign-in UI (Clerk) render it into `element`; returns a cleanup.
   * The local provider has none: the app shows its own forms.
   */
  mountSignIn?(element: HTMLElement): () => void;
}

/** A Clerk module, when present, exports this factory from `auth/clerk-auth-client.ts`. */
export interface ClerkAuthModule {
  createClerkAuthClient(options: { publishableKey: string; apiBaseUrl: string }): Promise<AuthClient>;
}
