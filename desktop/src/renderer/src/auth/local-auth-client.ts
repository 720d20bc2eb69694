import {
  AuthResponseSchema,
  MeResponseSchema,
  TokenPairSchema,
  type LoginBody,
  type SignupBody,
  type TokenPair,
  type User,
} from '@collaro/shared';
import type { ApiClient } from '../api/api-client.js';
import { ApiRequestError } from '../api/api-error.js';
import type { AuthClient, AuthState, KeyValueStorage } from './auth-client.js';

export const REFRESH_TOKEN_KEY = 'collaro.refreshToken';
/** Refresh this long before the access token expires, so no request ever carries an expired one. */
export const REFRESH_MARGIN_MS = 60_000;

interface Session {
  accessToken: string;
  expiresAtMs: number;
}

export interface LocalAuthOptions {
  api: ApiClient;
  storage: KeyValueStorage;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /**
   * Runs `task` while no other tab of this app runs a refresh (Web Locks in browsers): tabs share
   * one stored refresh token, and using it twice would look like token theft to the server.
   */
  exclusive?: <T>(task: () => Promise<T>) => Promise<T>;
}

export async function webLocksExclusive<T>(task: () => Promise<T>): Promise<T> {
  if (typeof navigator === 'undefined' || !navigator.locks) return task();
  let result!: T;
  await navigator.locks.request('collaro.auth.refresh', async () => {
    result = await task();
  });
  return result;
}

/** Reads `exp` from a JWT without verifying it: the server verifies; the client only plans its refresh. */
export function accessTokenExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    if (typeof json === 'object' && json !== null && 'exp' in json && typeof json.exp === 'number') return json.exp * 1000;
  } catch {
    return null;
  }
  return null;
}

/**
 * Local accounts: the access token lives in memory only; the refresh token is kept in storage
 * so a reload stays signed in. Each refresh rotates the refresh token.
 */
export class LocalAuthClient implements AuthClient {
  readonly kind = 'local' as const;
  private state: AuthState = { status: 'loading' };
  private session: Session | null = null;
  private listeners = new Set<(state: AuthState) => void>();
  private refreshing: Promise<boolean> | null = null;
  private timer: unknown = null;
  private watchingOtherTabs = false;
  /** Signing out in one tab signs out the others: their refresh token is gone. */
  private readonly onOtherTabStorage = (event: StorageEvent) => {
    if (event.key === REFRESH_TOKEN_KEY && event.newValue === null && this.state.status === 'signed-in') {
      this.endSession('You signed out in another window.');
    }
  };
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: LocalAuthOptions) {
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
    if (typeof window !== 'undefined' && !this.watchingOtherTabs) {
      this.watchingOtherTabs = true;
      window.addEventListener('storage', this.onOtherTabStorage);
    }
    if (!this.options.storage.getItem(REFRESH_TOKEN_KEY)) {
      this.setState({ status: 'signed-out' });
      return;
    }
    if (!(await this.refresh())) return;
    try {
      const me = await this.options.api.get('/api/me', MeResponseSchema);
      this.setState({ status: 'signed-in', user: me.user });
    } catch (error) {
      this.endSession(error instanceof ApiRequestError ? error.message : 'Could not restore your session');
    }
  }

  async signUp(body: SignupBody): Promise<User> {
    const result = await this.options.api.postAnonymous('/api/auth/signup', body, AuthResponseSchema);
    this.acceptTokens(result);
    this.setState({ status: 'signed-in', user: result.user });
    return result.user;
  }

  async signIn(body: LoginBody): Promise<User> {
    const result = await this.options.api.postAnonymous('/api/auth/login', body, AuthResponseSchema);
    this.acceptTokens(result);
    this.setState({ status: 'signed-in', user: result.user });
    return result.user;
  }

  async signOut(): Promise<void> {
    try {
      if (this.session) await this.options.api.send('POST', '/api/auth/logout', undefined, undefined);
    } catch {
      // The server may already have ended the session; signing out locally is what matters.
    }
    this.endSession();
  }

  async getAccessToken(): Promise<string | null> {
    if (!this.session) return null;
    if (this.session.expiresAtMs - this.now() <= REFRESH_MARGIN_MS) await this.refresh();
    return this.session?.accessToken ?? null;
  }

  async recoverFromUnauthorized(): Promise<boolean> {
    if (!this.options.storage.getItem(REFRESH_TOKEN_KEY)) {
      this.endSession('Your session has ended. Sign in again.');
      return false;
    }
    return this.refresh();
  }

  dispose(): void {
    if (typeof window !== 'undefined') window.removeEventListener('storage', this.onOtherTabStorage);
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  /** One refresh at a time: concurrent callers share it, because a refresh token is good for one use. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private doRefresh(): Promise<boolean> {
    return (this.options.exclusive ?? webLocksExclusive)(() => this.refreshNow());
  }

  private async refreshNow(): Promise<boolean> {
    // Read inside the lock: another tab may just have rotated the token, leaving the fresh one here.
    const refreshToken = this.options.storage.getItem(REFRESH_TOKEN_KEY);
    if (!refreshToken) {
      this.endSession();
      return false;
    }
    try {
      const pair = await this.options.api.postAnonymous('/api/auth/refresh', { refreshToken }, TokenPairSchema);
      this.acceptTokens(pair);
      return true;
    } catch (error) {
      if (error instanceof ApiRequestError && (error.status === 401 || error.status === 422)) {
        this.endSession('Your session has ended. Sign in again.');
      } else {
        // Offline or server down: keep the refresh token so a later attempt can succeed.
        this.setState({ status: 'signed-out', reason: 'Cannot reach the Collaro server to restore your session.' });
      }
      return false;
    }
  }

  private acceptTokens(pair: TokenPair): void {
    const expiresAtMs = accessTokenExpiry(pair.accessToken) ?? this.now() + 15 * 60_000;
    this.session = { accessToken: pair.accessToken, expiresAtMs };
    this.options.storage.setItem(REFRESH_TOKEN_KEY, pair.refreshToken);
    if (this.timer !== null) this.clearTimer(this.timer);
    const delay = Math.max(expiresAtMs - this.now() - REFRESH_MARGIN_MS, 1_000);
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.refresh();
    }, delay);
  }

  private endSession(reason?: string): void {
    this.session = null;
    this.options.storage.removeItem(REFRESH_TOKEN_KEY);
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.setState(reason ? { status: 'signed-out', reason } : { status: 'signed-out' });
  }

  private setState(state: AuthState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}
