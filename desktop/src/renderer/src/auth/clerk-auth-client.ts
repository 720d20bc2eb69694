import { endpoints, endpointUrl, MeResponseSchema, type User } from '@collaro/shared';
import type { AuthClient, AuthState } from './auth-client.js';
import { accessTokenExpiry } from './local-auth-client.js';

/** Ask Clerk for a new session token this long before the current one expires (Clerk's live ~60 s). */
export const CLERK_REFRESH_MARGIN_MS = 15_000;

/** The part of a loaded Clerk instance Collaro uses; `@clerk/clerk-js` and `@clerk/electron` both provide it. */
export interface ClerkSession {
  getToken(options?: { skipCache?: boolean }): Promise<string | null>;
}

export interface LoadedClerk {
  readonly session: ClerkSession | null | undefined;
  addListener(listener: (resources: { session?: ClerkSession | null }) => void): () => void;
  mountSignIn(element: HTMLDivElement): void;
  unmountSignIn(element: HTMLDivElement): void;
  signOut(): Promise<void>;
}

export interface ClerkAuthOptions {
  /** Loads Clerk (its code, then its UI from Clerk's servers). Rejects when Clerk cannot be reached. */
  loadClerk: () => Promise<LoadedClerk>;
  /** The Collaro server, for `GET /api/me` once Clerk has a session. */
  apiBaseUrl: string;
  fetch?: typeof fetch;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Clerk sign-in for the Collaro client. Clerk keeps the session; this client hands its short-lived
 * session token to every API request as `Authorization: Bearer`, and fetches the next one shortly
 * before the current one expires, so no request carries an expired token.
 */
export class ClerkAuthClient implements AuthClient {
  readonly kind = 'clerk' as const;
  private state: AuthState = { status: 'loading' };
  private readonly listeners = new Set<(state: AuthState) => void>();
  private clerk: LoadedClerk | null = null;
  private session: ClerkSession | null = null;
  private token: { value: string; expiresAtMs: number } | null = null;
  private timer: unknown = null;
  private stopListening: (() => void) | null = null;
  /** Bumped on every session change, so a slow /api/me for an old session cannot overwrite a newer state. */
  private generation = 0;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: ClerkAuthOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? (() => Date.now());
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  }

  getState(): AuthState {
    return this.state;
  }

  subscribe(listener: (state: AuthState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    try {
      this.clerk = await this.options.loadClerk();
    } catch {
      this.setState({
        status: 'signed-out',
        reason: 'Clerk sign-in could not be loaded. It needs a connection to Clerk; check your network and try again.',
      });
      return;
    }
    this.stopListening = this.clerk.addListener(({ session }) => void this.useSession(session ?? null));
    await this.useSession(this.clerk.session ?? null);
  }

  async getAccessToken(): Promise<string | null> {
    if (!this.session) return null;
    if (this.token && this.token.expiresAtMs - this.now() > CLERK_REFRESH_MARGIN_MS) return this.token.value;
    return this.fetchToken(false);
  }

  async recoverFromUnauthorized(): Promise<boolean> {
    if (!this.session) return false;
    return (await this.fetchToken(true)) !== null;
  }

  async signOut(): Promise<void> {
    await this.clerk?.signOut();
    await this.useSession(null);
  }

  dispose(): void {
    this.stopListening?.();
    this.stopListening = null;
    this.cancelRefresh();
    this.listeners.clear();
  }

  mountSignIn(element: HTMLElement): () => void {
    const clerk = this.clerk;
    if (!clerk) return () => {};
    // Clerk renders into a div it owns; the screen's element stays the screen's.
    const container = element.ownerDocument.createElement('div');
    element.append(container);
    clerk.mountSignIn(container);
    return () => {
      clerk.unmountSignIn(container);
      container.remove();
    };
  }

  private async useSession(session: ClerkSession | null) {
    const generation = ++this.generation;
    this.session = session;
    this.token = null;
    this.cancelRefresh();
    if (!session) {
      this.setState({ status: 'signed-out' });
      return;
    }
    try {
      const user = await this.fetchCurrentUser();
      if (generation === this.generation) this.setState({ status: 'signed-in', user });
    } catch (error) {
      if (generation === this.generation) {
        this.setState({ status: 'signed-out', reason: error instanceof Error ? error.message : 'Signing in to Collaro failed' });
      }
    }
  }

  private async fetchToken(skipCache: boolean): Promise<string | null> {
    const session = this.session;
    if (!session) return null;
    const value = await session.getToken(skipCache ? { skipCache: true } : undefined);
    if (session !== this.session) return null;
    if (!value) {
      this.token = null;
      return null;
    }
    const expiresAtMs = accessTokenExpiry(value) ?? this.now();
    this.token = { value, expiresAtMs };
    this.scheduleRefresh(expiresAtMs);
    return value;
  }

  private scheduleRefresh(expiresAtMs: number) {
    this.cancelRefresh();
    const delay = Math.max(0, expiresAtMs - CLERK_REFRESH_MARGIN_MS - this.now());
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.fetchToken(true).catch(() => {
        // The next request will try again through getAccessToken; a failed refresh is not fatal here.
      });
    }, delay);
  }

  private cancelRefresh() {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private async fetchCurrentUser(): Promise<User> {
    const token = await this.fetchToken(false);
    if (!token) throw new Error('Clerk has no session token for this sign-in');
    const response = await this.fetchImpl(`${this.options.apiBaseUrl}${endpointUrl(endpoints.me.profile)}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
    });
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
      throw new Error(typeof message === 'string' ? message : `The Collaro server answered ${response.status}`);
    }
    const parsed = MeResponseSchema.safeParse(body);
    if (!parsed.success) throw new Error('The Collaro server sent an answer this app does not understand (GET /api/me)');
    return parsed.data.user;
  }

  private setState(state: AuthState) {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}

/** What the desktop app's preload exposes for Clerk (`exposeClerkBridge`): where it is, cookies give way to it. */
const CLERK_ELECTRON_BRIDGE = '__clerk_internal_electron';

/**
 * The factory `create-auth-client.ts` loads lazily. Clerk's code is imported only here, and its
 * UI comes from Clerk's servers, so a local-accounts start never downloads or waits for either.
 */
export async function createClerkAuthClient(options: { publishableKey: string; apiBaseUrl: string }): Promise<AuthClient> {
  const inDesktopApp = CLERK_ELECTRON_BRIDGE in globalThis;
  const client = new ClerkAuthClient({
    apiBaseUrl: options.apiBaseUrl,
    loadClerk: async () => {
      const loader = inDesktopApp ? await import('./clerk-electron-loader.js') : await import('./clerk-browser-loader.js');
      return loader.loadClerk(options.publishableKey);
    },
  });
  return client;
}
