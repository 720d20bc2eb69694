/** Who is calling, as established by whichever identity provider is switched on. */
export interface AuthIdentity {
  userId: string;
  /** The local session behind the token; null for providers that keep sessions themselves. */
  sessionId: string | null;
  provider: 'local' | 'clerk';
  /** Token expiry (seconds since the epoch), so long-lived connections know when to re-authenticate. */
  expiresAt: number;
  /** Set for a meeting's guest (see modules/guests): the one meeting whose room and chat they may use. */
  guestMeetingId?: string;
}

export interface AuthProvider {
  readonly name: AuthIdentity['provider'];
  /** Resolves a bearer token to an identity, or throws an DomainError 401 that says why. */
  authenticate(token: string): Promise<AuthIdentity>;
}
