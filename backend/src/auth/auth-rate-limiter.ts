import type { Redis } from 'ioredis';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { tooManyRequests } from '../domain-errors.js';
import { consumeOrRefuse, createRateLimiter } from '../rate-limiter-store.js';

export interface AuthRateLimits {
  /** Sign-in and sign-up attempts from one client address, whatever the account. */
  perIp: number;
  /** Failed sign-ins to one account from one client address. */
  perEmail: number;
  /** Failed sign-ins to one account from all addresses; past it only the account's usual addresses may try. */
  perAccount: number;
  windowSeconds: number;
}

/**
 * An address the account signed in from successfully is "usual" for this long after the last time.
 * (The in-memory store expires keys with a timer, which cannot wait longer than about 24.8 days.)
 */
export const USUAL_ADDRESS_SECONDS = 20 * 24 * 60 * 60;

/**
 * Sign-in limits that stop password guessing without letting anyone lock the owner out.
 *
 * - Per client address, every sign-in and sign-up attempt counts (`perIp`): one machine cannot
 *   spray passwords across many accounts or enumerate them.
 * - Per account and client address, failed sign-ins count (`perEmail`): one machine cannot guess
 *   one account's password. Wrong passwords from an attacker's address lock out that address only,
 *   and the owner's successful sign-in clears the count for theirs, so their own typos never add up.
 * - Per account over all addresses, failed sign-ins count too (`perAccount`): a botnet trying one
 *   account from many addresses is stopped once they add up. From then on, until the window ends,
 *   only the owner's usual addresses (those it signed in from successfully in the last 20 days)
 *   may try; every other address gets 429, even with the right password. The owner at home or at
 *   work is never denied by someone elsewhere; the owner on a new network during an attack waits
 *   for the window to end.
 *
 * Counts are taken before the password is checked, so parallel guesses cannot slip between the
 * check and the count; a successful sign-in gives its own point back.
 */
export class AuthRateLimiter {
  private readonly byIp: RateLimiterAbstract;
  private readonly byEmailAndIp: RateLimiterAbstract;
  private readonly byAccount: RateLimiterAbstract;
  private readonly usualAddresses: RateLimiterAbstract;

  /** With a Redis client the counts (and usual addresses) are shared by every instance (see createRateLimiter). */
  constructor(
    private readonly limits: AuthRateLimits,
    redis?: Redis,
  ) {
    this.byIp = createRateLimiter('auth-ip', limits.perIp, limits.windowSeconds, redis);
    this.byEmailAndIp = createRateLimiter('auth-email-ip', limits.perEmail, limits.windowSeconds, redis);
    this.byAccount = createRateLimiter('auth-account', limits.perAccount, limits.windowSeconds, redis);
    this.usualAddresses = createRateLimiter('auth-usual', 1, USUAL_ADDRESS_SECONDS, redis);
  }

  /** A sign-up attempt: only the client address's budget applies (a new account has no owner to protect). */
  async signUp(ip: string): Promise<void> {
    await consumeOrRefuse(this.byIp, ip);
  }

  /**
   * Runs `verify` (the password check) if the limits allow a sign-in attempt to `email` from `ip`.
   * A failed check (it throws) keeps the attempt counted; a successful one clears the address's
   * failures for this account and remembers the address as usual for it.
   */
  async signIn<T>(ip: string, email: string, verify: () => Promise<T>): Promise<T> {
    await consumeOrRefuse(this.byIp, ip);
    const pair = `${email} ${ip}`;
    await consumeOrRefuse(this.byEmailAndIp, pair);
    const [usual, account] = await Promise.all([this.usualAddresses.get(pair), this.countAccountAttempt(email)]);
    if (usual === null && account.consumedPoints > this.limits.perAccount) {
      throw tooManyRequests(Math.max(1, Math.ceil(account.msBeforeNext / 1000)));
    }
    const result = await verify();
    await Promise.all([this.byEmailAndIp.delete(pair), this.byAccount.reward(email, 1), this.usualAddresses.set(pair, 1, USUAL_ADDRESS_SECONDS)]);
    return result;
  }

  /** Counts the attempt against the account; over the limit is not an error here, only for unusual addresses. */
  private async countAccountAttempt(email: string): Promise<RateLimiterRes> {
    try {
      return await this.byAccount.consume(email);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return rejection;
      throw rejection;
    }
  }
}
