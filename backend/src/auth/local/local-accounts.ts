import { createHash, randomBytes } from 'node:crypto';
import type { AuthResponse, TokenPair } from '@collaro/shared';
import { BatchLoader } from '../../db/batch-loader.js';
import type { Database } from '../../db/client.js';
import { conflict, unauthorized } from '../../domain-errors.js';
import { findActiveSessionUser, findActiveSessionUsers, insertRefreshToken, insertSession, revokeSession, rotateRefreshToken } from './sessions-repository.js';
import { findUserByEmail, insertLocalUser, toUser } from '../../modules/users/repository.js';
import type { AuthIdentity, AuthProvider } from '../provider.js';
import { SessionCache, SessionRevocations } from '../session-cache.js';
import type { AccessTokens, Clock } from './access-tokens.js';
import { hashPassword, verifyPassword } from './passwords.js';

/** How long a session seen active is trusted without asking the database again (see SessionCache). */
export const SESSION_CACHE_TTL_MS = 10_000;
/** During a burst of session lookups (sockets reconnecting together), how long a batch waits for more (see BatchLoader). */
const SESSION_BURST_COLLECT_MS = 40;

/** A session lives this long after its last refresh, so an active user stays signed in. */
export const SESSION_IDLE_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/** How a refresh token is stored: only its digest, so a copy of the database holds no usable token. */
export function hashRefreshToken(token: string) {
  return createHash('sha256').update(token).digest('base64url');
}

/** Email and password accounts with rotating refresh tokens, for when no identity provider is configured. */
export class LocalAccounts implements AuthProvider {
  readonly name = 'local' as const;

  constructor(
    private readonly db: Database,
    private readonly tokens: AccessTokens,
    private readonly clock: Clock = () => Date.now(),
    private readonly sessionCache: SessionCache = new SessionCache(SESSION_CACHE_TTL_MS, clock),
    /** Where revocations are announced: to this instance's open sockets and, through Redis, to every other instance. */
    private revocations = new SessionRevocations(null),
  ) {
    this.revocations.onRevoked((sessionId) => this.sessionCache.forget(sessionId));
    this.sessionLookup = new BatchLoader(
      async (sessionIds) => {
        const now = new Date(this.clock());
        if (sessionIds.length > 1) return findActiveSessionUsers(this.db, sessionIds, now);
        // Alone (the usual case for HTTP requests): the prepared single-session statement is quicker.
        const userId = await findActiveSessionUser(this.db, sessionIds[0]!, now);
        return new Map(userId ? [[sessionIds[0]!, userId]] : []);
      },
      { collectMs: SESSION_BURST_COLLECT_MS },
    );
  }

  /**
   * Sessions not in the cache are looked up together with the others asked for at the same moment:
   * thousands of sockets reconnecting at once cost a few queries, not one each.
   */
  private readonly sessionLookup: BatchLoader<string, string>;

  useRevocations(revocations: SessionRevocations) {
    this.revocations = revocations;
    revocations.onRevoked((sessionId) => this.sessionCache.forget(sessionId));
  }

  async signup(input: { email: string; password: string; name: string }, userAgent?: string): Promise<AuthResponse> {
    const passwordHash = await hashPassword(input.password);
    const user = await insertLocalUser(this.db, { email: input.email, name: input.name, passwordHash });
    if (!user) throw conflict('An account with this email already exists');
    return { user: toUser(user), ...(await this.startSession(user.id, userAgent)) };
  }

  async login(input: { email: string; password: string }, userAgent?: string): Promise<AuthResponse> {
    const user = await findUserByEmail(this.db, input.email);
    const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
    if (!user || !ok) throw unauthorized('Email or password is incorrect');
    return { user: toUser(user), ...(await this.startSession(user.id, userAgent)) };
  }

  /** Rotates the refresh token: a new pair, and whose session it is. */
  async refresh(refreshToken: string): Promise<{ userId: string; tokens: TokenPair }> {
    const now = new Date(this.clock());
    const replacement = newRefreshToken();
    const outcome = await rotateRefreshToken(this.db, hashRefreshToken(refreshToken), hashRefreshToken(replacement), now);
    if (outcome.kind === 'reused') {
      // A rotated token came back: either the client or a thief holds a copy. End the session for both.
      await this.revoke(outcome.sessionId, now);
      throw unauthorized('Refresh token was already used; the session has been revoked');
    }
    if (outcome.kind === 'invalid') throw unauthorized('Refresh token is invalid or expired');
    return { userId: outcome.userId, tokens: await this.tokenPair(outcome.userId, outcome.sessionId, replacement) };
  }

  async logout(sessionId: string) {
    await this.revoke(sessionId, new Date(this.clock()));
  }

  private async revoke(sessionId: string, now: Date) {
    await revokeSession(this.db, sessionId, now);
    this.revocations.publish(sessionId);
  }

  async authenticate(token: string): Promise<AuthIdentity> {
    const claims = await this.tokens.verify(token);
    let userId = this.sessionCache.get(claims.sessionId);
    if (!userId) {
      userId = await this.sessionLookup.load(claims.sessionId);
      if (userId) this.sessionCache.remember(claims.sessionId, userId);
    }
    if (!userId || userId !== claims.userId) throw unauthorized('Session has ended');
    return { userId, sessionId: claims.sessionId, provider: 'local', expiresAt: claims.expiresAt };
  }

  private async startSession(userId: string, userAgent?: string): Promise<TokenPair> {
    const sessionId = await insertSession(this.db, {
      userId,
      expiresAt: new Date(this.clock() + SESSION_IDLE_LIFETIME_MS),
      userAgent,
    });
    return this.issueTokens(userId, sessionId);
  }

  private async issueTokens(userId: string, sessionId: string): Promise<TokenPair> {
    const refreshToken = newRefreshToken();
    await insertRefreshToken(this.db, sessionId, hashRefreshToken(refreshToken));
    return this.tokenPair(userId, sessionId, refreshToken);
  }

  /** An access token to go with a refresh token already stored for the session. */
  private async tokenPair(userId: string, sessionId: string, refreshToken: string): Promise<TokenPair> {
    const { token } = await this.tokens.issue(userId, sessionId);
    return { accessToken: token, refreshToken };
  }
}

function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}
