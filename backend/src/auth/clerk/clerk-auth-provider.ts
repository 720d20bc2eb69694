import type { verifyToken } from '@clerk/backend';
import type { TokenVerificationError, TokenVerificationErrorReason } from '@clerk/backend/errors';
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

interface ClerkVerifier {
  verifyToken: typeof verifyToken;
  TokenVerificationError: typeof TokenVerificationError;
  /** What the caller is told for each reason a token was refused. */
  rejections: Record<string, string>;
  /** Verification failures that are the server's trouble (it cannot fetch Clerk's keys), not the caller's. */
  unavailable: Set<string>;
}

let clerkVerifier: Promise<ClerkVerifier> | null = null;

/** Clerk's library, loaded when Clerk is configured (see createClerkAuthProvider), not with every server. */
export function loadClerkVerifier(): Promise<ClerkVerifier> {
  clerkVerifier ??= Promise.all([import('@clerk/backend'), import('@clerk/backend/errors')]).then(([backend, errors]) => {
    const reason: typeof TokenVerificationErrorReason = errors.TokenVerificationErrorReason;
    return {
      verifyToken: backend.verifyToken,
      TokenVerificationError: errors.TokenVerificationError,
      rejections: {
        [reason.TokenExpired]: 'Session token expired',
        [reason.TokenNotActiveYet]: 'Session token is not valid yet',
        [reason.TokenIatInTheFuture]: 'Session token is not valid yet',
        [reason.TokenInvalidAuthorizedParties]: 'Session token was issued for another origin (azp)',
        [reason.TokenInvalidAlgorithm]: 'Session token algorithm not accepted',
        [reason.TokenInvalidSignature]: 'Session token signature is invalid',
        [reason.TokenVerificationFailed]: 'Session token could not be verified',
        [reason.TokenInvalid]: 'Malformed session token',
        [reason.JWKKidMismatch]: 'Session token signed by an unknown key',
      },
      unavailable: new Set<string>([
        reason.RemoteJWKFailedToLoad,
        reason.RemoteJWKInvalid,
        reason.RemoteJWKMissing,
        reason.JWKFailedToResolve,
        reason.InvalidSecretKey,
      ]),
    };
  });
  return clerkVerifier;
}

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
    const { verifyToken, TokenVerificationError, rejections, unavailable } = await loadClerkVerifier();
    try {
      const payload = await verifyToken(token, {
        authorizedParties,
        ...(config.jwtKey ? { jwtKey: config.jwtKey } : { secretKey: config.secretKey, apiUrl: config.apiUrl }),
      });
      return payload;
    } catch (error) {
      if (error instanceof TokenVerificationError) {
        if (unavailable.has(error.reason)) {
          throw new DomainError('service_unavailable', 'Cannot fetch Clerk signing keys to verify the session token; set CLERK_JWT_KEY to verify offline');
        }
        throw unauthorized(rejections[error.reason] ?? 'Invalid session token');
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
