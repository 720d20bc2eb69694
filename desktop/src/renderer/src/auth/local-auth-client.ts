import { endpoints, type LoginBody, type MeResponse, type SignupBody, type TokenPair, type User } from '@collaro/shared';
import type { ApiClient } from '../api/api-client.js';
import { ApiRequestError } from '../api/api-error.js';
import type { AuthClient, AuthState } from './auth-client.js';
import type { EarlyRefresh } from '../app/early-session.js';
import { refreshLockExclusive, type RefreshTokenStore } from './refresh-token-store.js';

/** Refresh this long before the access token expires, so no request ever carries an expired one. */
export const REFRESH_MARGIN_MS = 60_000;

interface Session {
  accessToken: string;
  expiresAtMs: number;
}

export interface LocalAuthOptions {
  api: ApiClient;
  /** Shared by every tab; read and written only inside `exclusive`, so each rotated token is used once. */
  refreshTokens: RefreshTokenStore;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /**
   * Runs `task` while no other tab of this app runs a refresh (Web Locks in browsers): tabs share
   * one stored refresh token, and using it twice would look like token theft to the server.
   */
  exclusive?: <T>(task: () => Promise<T>) => Promise<T>;
  /**
   * Given the user's profile (what `GET /api/me` answers) when a session is restored, before the
   * state turns signed-in: the screens can start from it instead of asking the server again.
   */
  onProfile?: (me: MeResponse) => void;
  /**
   * The refresh the page made before the app's code arrived (early-session.ts): `start` takes its
   * outcome instead of refreshing again, and restores the usual way when it was not attempted.
   */
  earlyRefresh?: Promise<EarlyRefresh>;
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
 * Local accounts: the access token lives in memory only; the refresh token is kept in the shared
 * store so a reload stays signed in. Each refresh rotates the refresh token.
 */
export class LocalAuthClient implements AuthClient {
  readonly kind = 'local' as const;
  private state: AuthState = { status: 'loading' };
  private session: Session | null = null;
  private listeners = new Set<(state: AuthState) => void>();
  private refreshing: Promise<boolean> | null = null;
  /** The profile the last refresh brought, when it asked for one (see `start`). */
  private refreshedProfile: MeResponse | null = null;
  private timer: unknown = null;
  /** Set by dispose: a refresh still in flight then keeps no timer going. */
  private disposed = false;
  private stopWatchingOtherTabs: (() => void) | null = null;
  /** Taken by the first `start`: a later start (after signing out, say) refreshes anew. */
  private earlyRefresh: Promise<EarlyRefresh> | null;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: LocalAuthOptions) {
    this.now = options.now ?? (() => Date.now());
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.earlyRefresh = options.earlyRefresh ?? null;
  }

  getState(): AuthState {
    return this.state;
  }

  subscribe(listener: (state: AuthState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    // Signing out in one tab signs out the others: their refresh token is gone.
    this.stopWatchingOtherTabs ??= this.options.refreshTokens.onClearedElsewhere(() => {
      if (this.state.status === 'signed-in') this.forgetSession('You signed out in another window.');
    });
    const early = this.earlyRefresh;
    this.earlyRefresh = null;
    if (early && (await this.takeEarlyRefresh(early)) === 'done') return;
    if (!(await this.options.refreshTokens.read())) {
      this.setState({ status: 'signed-out' });
      return;
    }
    // The refresh brings the profile along: one round trip from a stored token to the signed-in screens.
    this.refreshing ??= this.doRefresh(true).finally(() => {
      this.refreshing = null;
    });
    if (!(await this.refreshing)) return;
    const me = this.refreshedProfile;
    this.refreshedProfile = null;
    await this.enter(me);
  }

  /** Signs in with `me`, asking for it first when the refresh did not bring it (one already under way, an older server). */
  private async enter(me: MeResponse | null): Promise<void> {
    try {
      me ??= await this.options.api.call(endpoints.me.profile);
    } catch (error) {
      await this.endSession(error instanceof ApiRequestError ? error.message : 'Could not restore your session');
      return;
    }
    this.options.onProfile?.(me);
    this.setState({ status: 'signed-in', user: me.user });
  }

  /** Takes over the early refresh's outcome; `not-attempted` leaves the restore to `start`. */
  private async takeEarlyRefresh(pending: Promise<EarlyRefresh>): Promise<'done' | 'not-attempted'> {
    const early = await pending;
    if (early.outcome === 'not-attempted') return 'not-attempted';
    if (early.outcome === 'no-token') {
      this.setState({ status: 'signed-out' });
      return 'done';
    }
    if (early.outcome === 'refused') {
      this.forgetSession('Your session has ended. Sign in again.');
      return 'done';
    }
    const answer = endpoints.auth.refresh.responses[200].safeParse(early.body);
    if (!answer.success) {
      // The rotated token is stored; the next start can use it.
      this.setState({ status: 'signed-out', reason: 'Could not restore your session' });
      return 'done';
    }
    const { me, ...pair } = answer.data;
    this.holdSession(pair);
    await this.enter(me ?? null);
    return 'done';
  }

  async signUp(body: SignupBody): Promise<User> {
    const result = await this.options.api.call(endpoints.auth.signup, { body, anonymous: true });
    await this.acceptTokens(result);
    this.setState({ status: 'signed-in', user: result.user });
    return result.user;
  }

  async signIn(body: LoginBody): Promise<User> {
    const result = await this.options.api.call(endpoints.auth.login, { body, anonymous: true });
    await this.acceptTokens(result);
    this.setState({ status: 'signed-in', user: result.user });
    return result.user;
  }

  async signOut(): Promise<void> {
    try {
      if (this.session) await this.options.api.call(endpoints.auth.logout);
    } catch {
      // The server may already have ended the session; signing out locally is what matters.
    }
    await this.endSession();
  }

  async getAccessToken(): Promise<string | null> {
    if (!this.session) return null;
    if (this.session.expiresAtMs - this.now() <= REFRESH_MARGIN_MS) await this.refresh();
    return this.session?.accessToken ?? null;
  }

  async recoverFromUnauthorized(): Promise<boolean> {
    if (!(await this.options.refreshTokens.read())) {
      await this.endSession('Your session has ended. Sign in again.');
      return false;
    }
    return this.refresh();
  }

  dispose(): void {
    this.disposed = true;
    this.stopWatchingOtherTabs?.();
    this.stopWatchingOtherTabs = null;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  /** One refresh at a time: concurrent callers share it, because a refresh token is good for one use. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh(false).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private doRefresh(withProfile: boolean): Promise<boolean> {
    return (this.options.exclusive ?? refreshLockExclusive)(() => this.refreshNow(withProfile));
  }

  private async refreshNow(withProfile: boolean): Promise<boolean> {
    // Read inside the lock: another tab may just have rotated the token, leaving the fresh one here.
    const refreshToken = await this.options.refreshTokens.read();
    if (!refreshToken) {
      await this.endSession();
      return false;
    }
    try {
      const body = withProfile ? { refreshToken, include: ['me' as const] } : { refreshToken };
      const { me, ...pair } = await this.options.api.call(endpoints.auth.refresh, { body, anonymous: true });
      // Stored before the lock is released, so the next tab to refresh uses the new token.
      await this.acceptTokens(pair);
      this.refreshedProfile = me ?? null;
      return true;
    } catch (error) {
      if (error instanceof ApiRequestError && (error.status === 401 || error.status === 422)) {
        await this.endSession('Your session has ended. Sign in again.');
      } else {
        // Offline or server down: keep the refresh token so a later attempt can succeed.
        this.setState({ status: 'signed-out', reason: 'Cannot reach the Collaro server to restore your session.' });
      }
      return false;
    }
  }

  private async acceptTokens(pair: TokenPair): Promise<void> {
    this.holdSession(pair);
    await this.options.refreshTokens.write(pair.refreshToken);
  }

  /** Keeps the access token in memory and plans the next refresh; the refresh token is the store's business. */
  private holdSession(pair: TokenPair): void {
    const expiresAtMs = accessTokenExpiry(pair.accessToken) ?? this.now() + 15 * 60_000;
    this.session = { accessToken: pair.accessToken, expiresAtMs };
    if (this.timer !== null) this.clearTimer(this.timer);
    if (this.disposed) return;
    const delay = Math.max(expiresAtMs - this.now() - REFRESH_MARGIN_MS, 1_000);
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.refresh();
    }, delay);
  }

  private async endSession(reason?: string): Promise<void> {
    this.forgetSession(reason);
    await this.options.refreshTokens.clear();
  }

  /** Ends the session in this tab only (another tab already cleared the shared token). */
  private forgetSession(reason?: string): void {
    this.session = null;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.setState(reason ? { status: 'signed-out', reason } : { status: 'signed-out' });
  }

  private setState(state: AuthState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}
