import { createPublicKey, verify as verifySignature, type JsonWebKey, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors, SignJWT, UnsecuredJWT } from 'jose';
import { unauthorized } from '../../domain-errors.js';
import { ACCESS_TOKEN_ALGORITHM, type SigningKey } from './signing-keys.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = 'collaro';
const AUDIENCE = 'collaro-api';
const CLOCK_TOLERANCE_SECONDS = 5;

export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
  expiresAt: number;
}

export type Clock = () => number;
const systemClock: Clock = () => Date.now();

/** What the unsigned copy of a verified token carries as its header, for jose's claim checks (see verifyUncached). */
const CHECKED_HEADER = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** How many verified tokens are remembered; one per active session is plenty. */
const VERIFIED_CACHE_SIZE = 10_000;

/** Short-lived JWTs for local accounts: EdDSA only, a known `kid` only, expiry always checked. */
export class AccessTokens {
  private readonly publicKey: KeyObject;
  /**
   * Signature checks are the costliest step of a request. A token's bytes fully determine whether
   * its signature is valid, so a verified token is remembered until it expires; the time-dependent
   * checks (expiry) are made again on every use.
   */
  private readonly verified = new Map<string, AccessTokenClaims>();

  constructor(
    private readonly signingKey: SigningKey,
    private readonly clock: Clock = systemClock,
  ) {
    this.publicKey = createPublicKey({ key: signingKey.publicJwk as JsonWebKey, format: 'jwk' });
  }

  get publicJwks() {
    return { keys: [this.signingKey.publicJwk] };
  }

  async issue(userId: string, sessionId: string): Promise<{ token: string; expiresAt: number }> {
    const now = Math.floor(this.clock() / 1000);
    const expiresAt = now + ACCESS_TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: this.signingKey.kid, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(expiresAt)
      .sign(this.signingKey.privateKey);
    return { token, expiresAt };
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    const remembered = this.verified.get(token);
    if (remembered) {
      if (remembered.expiresAt + CLOCK_TOLERANCE_SECONDS <= Math.floor(this.clock() / 1000)) {
        this.verified.delete(token);
        throw unauthorized('Access token expired');
      }
      return remembered;
    }
    const claims = await this.verifyUncached(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, claims);
    return claims;
  }

  /**
   * The signature is checked with Node's Ed25519 (synchronous, a fraction of WebCrypto's cost: a
   * restarted instance checks thousands of tokens at once), then the claims by jose's own rules on
   * an unsigned copy of the verified payload: issuer, audience, required claims, expiry and not-before
   * exactly as jwtVerify checks them.
   */
  private async verifyUncached(token: string): Promise<AccessTokenClaims> {
    const parts = token.split('.');
    if (parts.length !== 3) throw unauthorized('Malformed access token');
    const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw unauthorized('Malformed access token');
    }
    if (header.alg !== ACCESS_TOKEN_ALGORITHM) throw unauthorized('Access token algorithm not accepted');
    if (typeof header.kid !== 'string' || header.kid !== this.signingKey.kid) {
      throw unauthorized('Access token signed by an unknown key');
    }
    // Tokens minted here name no critical extensions; one that does is not ours to understand.
    if ('crit' in header || 'b64' in header || !parts.every((part) => BASE64URL.test(part))) throw unauthorized('Invalid access token');
    const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`);
    if (!verifySignature(null, signed, this.publicKey, Buffer.from(encodedSignature, 'base64url'))) {
      throw unauthorized('Invalid access token');
    }
    try {
      const nowSeconds = Math.floor(this.clock() / 1000);
      const { payload } = UnsecuredJWT.decode(`${CHECKED_HEADER}.${encodedPayload}.`, {
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'sid', 'iat', 'exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(nowSeconds * 1000),
      });
      if (typeof payload.iat !== 'number' || payload.iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) {
        throw unauthorized('Access token is not valid yet');
      }
      if (payload.exp! - payload.iat > ACCESS_TOKEN_TTL_SECONDS) throw unauthorized('Access token lifetime too long');
      if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string') throw unauthorized('Malformed access token');
      return { userId: payload.sub, sessionId: payload.sid, expiresAt: payload.exp! };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthorized('Access token expired');
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') {
        throw unauthorized('Access token is not valid yet');
      }
      if (error instanceof errors.JOSEError) throw unauthorized('Invalid access token');
      throw error;
    }
  }
}
