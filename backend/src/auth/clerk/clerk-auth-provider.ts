import { verifyToken } from '@clerk/backend';
import { TokenVerificationError, TokenVerificationErrorReason } from '@clerk/backend/errors';
import type { Database } from '../../db/client.js';
import { DomainError, unauthorized } from '../../domain-errors.js';
import { applyClerkMembership, membershipVersionMs, provisionClerkUser, type ClerkProfile } from './clerk-sync-repository.js';
import type { AuthIdentity, AuthProvider } from '../provider.js';
import type { ClerkBackendApi } from './clerk-backend-api.js';
import type { ClerkConfig } from './clerk-config.js';
import { clerkProfile } from './clerk-profile.js';
import { collaroPermissionsForClerkPermissions, collaroRoleForClerkRole } from './clerk-roles.js';
import { readSessionClaims, type ClerkSessionClaims } from './session-claims.js';

export interface ClerkAuthProviderOptions {
  db: Database;
  config: ClerkConfig;
  /** Origins accepted in `azp`; never empty, so a token minted for another site is always refused. */
  authorizedParties: string[];
  backendApi: ClerkBackendApi;
  /** Told when a session token changed someone's membership, so their open connections follow at once. */
  onAccessChanged: (userIds: string[]) => void;
  /** Where a failed profile lookup is reported; sign-in goes on without the profile. */
  warn: (details: object, message: string) => void;
}

const REJECTIONS: Record<string, string> = {
  [TokenVerificationErrorReason.TokenExpired]: 'Session token expired',
  [TokenVerificationErrorReason.TokenNotActiveYet]: 'Session token is not valid yet',
  [TokenVerificationErrorReason.TokenIatInTheFuture]: 'Session token is not valid yet',
  [TokenVerificationErrorReason.TokenInvalidAuthorizedParties]: 'Session token was issued for another origin (azp)',
  [TokenVerificationErrorReason.TokenInvalidAlgorithm]: 'Session token algorithm not accepted',
  [TokenVerificationErrorReason.TokenInvalidSignature]: 'Session token signature is invalid',
  [TokenVerificationErrorReason.TokenVerificationFailed]: 'Session token could not be verified',
  [TokenVerificationErrorReason.TokenInvalid]: 'Malformed session token',
  [TokenVerificationErrorReason.JWKKidMismatch]: 'Session token signed by an unknown key',
};

/** Verification failures that are the server's trouble (it cannot fetch Clerk's keys), not the caller's. */
const UNAVAILABLE = new Set<string>([
  TokenVerificationErrorReason.RemoteJWKFailedToLoad,
  TokenVerificationErrorReason.RemoteJWKInvalid,
  TokenVerificationErrorReason.RemoteJWKMissing,
  TokenVerificationErrorReason.JWKFailedToResolve,
  TokenVerificationErrorReason.InvalidSecretKey,
]);

/**
 * Trusts Clerk session tokens: verified by `@clerk/backend` (offline with CLERK_JWT_KEY), `azp`
 * checked, pending sessions refused. The caller becomes a Collaro user on their first request, and
 * the active organization's role in a token newer than the last webhook is applied at once.
 */
export class ClerkAuthProvider implements AuthProvider {
  readonly name = 'clerk' as const;

  constructor(private readonly options: ClerkAuthProviderOptions) {}

  async authenticate(token: string): Promise<AuthIdentity> {
    const claims = readSessionClaims(await this.verify(token));
    if (claims.pending) throw unauthorized('Clerk session is pending: finish signing in (for example, choose an organization)');
    const userId = await provisionClerkUser(this.options.db, claims.clerkUserId, () => this.lookUpProfile(claims.clerkUserId));
    if (!userId) throw unauthorized('This Clerk account has been deleted');
    if (claims.activeOrganization) await this.syncActiveOrganization(claims, claims.activeOrganization);
    return { userId, sessionId: null, provider: 'clerk', expiresAt: claims.expiresAt };
  }

  private async verify(token: string): Promise<Record<string, unknown>> {
    const { config, authorizedParties } = this.options;
    try {
      const payload = await verifyToken(token, {
        authorizedParties,
        ...(config.jwtKey ? { jwtKey: config.jwtKey } : { secretKey: config.secretKey, apiUrl: config.apiUrl }),
      });
      return payload;
    } catch (error) {
      if (error instanceof TokenVerificationError) {
        if (UNAVAILABLE.has(error.reason)) {
          throw new DomainError('service_unavailable', 'Cannot fetch Clerk signing keys to verify the session token; set CLERK_JWT_KEY to verify offline');
        }
        throw unauthorized(REJECTIONS[error.reason] ?? 'Invalid session token');
      }
      throw error;
    }
  }

  private async lookUpProfile(clerkUserId: string): Promise<ClerkProfile> {
    try {
      return await this.options.backendApi.fetchProfile(clerkUserId);
    } catch (error) {
      this.options.warn({ err: error, clerkUserId }, 'Clerk profile lookup failed; the user.created webhook will fill it in');
      return clerkProfile({ clerkUserId });
    }
  }

  private async syncActiveOrganization(claims: ClerkSessionClaims, org: NonNullable<ClerkSessionClaims['activeOrganization']>) {
    const { db } = this.options;
    // Most requests carry a token already applied: one read, no write.
    const storedMs = await membershipVersionMs(db, org.clerkOrgId, claims.clerkUserId);
    if (storedMs !== undefined && storedMs >= claims.issuedAtMs) return;
    const result = await db.transaction((tx) =>
      applyClerkMembership(
        tx,
        { clerkOrgId: org.clerkOrgId, clerkUserId: claims.clerkUserId, observedAtMs: claims.issuedAtMs, source: 'token' },
        {
          role: collaroRoleForClerkRole(org.role),
          grantedPermissions: collaroPermissionsForClerkPermissions(org.permissions),
          organizationName: org.slug ?? org.clerkOrgId,
          userProfile: clerkProfile({ clerkUserId: claims.clerkUserId }),
        },
      ),
    );
    if (result.accessChangedFor.length > 0) this.options.onAccessChanged(result.accessChangedFor);
  }
}
