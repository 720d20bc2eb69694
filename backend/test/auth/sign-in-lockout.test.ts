import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type SignedInUser, type TestApp } from '../helpers/test-app.js';

/**
 * Sign-in limits must stop guessing without handing an attacker a way to lock the owner out:
 * failures count per email and client address, and an account under attack from many addresses
 * refuses only addresses its owner has not signed in from.
 */
const PER_EMAIL_AND_ADDRESS = 5;
const PER_ACCOUNT = 12;

let t: TestApp;
let seed = 0;
// Counters may live in Redis for the whole window, so every run uses addresses of its own.
const run = (process.pid * 7 + Date.now()) % 200;
const address = (block: number) => `10.${run}.${block}.${++seed % 250}`;

beforeAll(async () => {
  t = await createTestApp({
    env: {
      AUTH_RATE_LIMIT_PER_EMAIL: String(PER_EMAIL_AND_ADDRESS),
      AUTH_RATE_LIMIT_PER_ACCOUNT: String(PER_ACCOUNT),
      AUTH_RATE_LIMIT_PER_IP: '1000',
      // With REDIS_URL (as in CI) the counts and usual addresses live in Redis.
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    },
  });
});
afterAll(async () => {
  await t?.close();
});

async function signIn(user: { email: string }, password: string, remoteAddress: string) {
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password }, remoteAddress });
  return response.statusCode;
}
const PASSWORD = 'correct horse battery';

async function owner(): Promise<{ user: SignedInUser; home: string }> {
  const user = await signUp(t.app, 'Owner');
  const home = address(1);
  expect(await signIn(user, PASSWORD, home)).toBe(200);
  return { user, home };
}

describe('sign-in limits an attacker cannot turn against the owner', () => {
  it("wrong passwords from an attacker's address lock out that address, not the owner at home or on a new network", async () => {
    const { user, home } = await owner();
    const attacker = address(2);
    const statuses: number[] = [];
    for (let i = 0; i < PER_EMAIL_AND_ADDRESS + 3; i += 1) statuses.push(await signIn(user, 'guess', attacker));
    expect(statuses.slice(0, PER_EMAIL_AND_ADDRESS)).toEqual(Array(PER_EMAIL_AND_ADDRESS).fill(401));
    expect(statuses.slice(PER_EMAIL_AND_ADDRESS)).toEqual([429, 429, 429]);
    // Even the right password does not get through from the attacker's address now.
    expect(await signIn(user, PASSWORD, attacker)).toBe(429);

    expect(await signIn(user, PASSWORD, home)).toBe(200);
    expect(await signIn(user, PASSWORD, address(3))).toBe(200);
  });

  it('guessing from many addresses is stopped for addresses the owner never used, while the owner still signs in from home', async () => {
    const { user, home } = await owner();
    const statuses: number[] = [];
    for (let i = 0; i < PER_ACCOUNT + 4; i += 1) statuses.push(await signIn(user, `guess ${i}`, address(4)));
    expect(statuses.slice(0, PER_ACCOUNT)).toEqual(Array(PER_ACCOUNT).fill(401));
    expect(statuses.slice(PER_ACCOUNT)).toEqual([429, 429, 429, 429]);
    // A fresh address is refused even with the right password while the account is under attack...
    expect(await signIn(user, PASSWORD, address(5))).toBe(429);
    // ...but the owner's usual address is not.
    expect(await signIn(user, PASSWORD, home)).toBe(200);
  });

  it("the owner's own typos are forgiven by a successful sign-in, and guessing from home is still limited", async () => {
    const { user, home } = await owner();
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < PER_EMAIL_AND_ADDRESS - 1; i += 1) expect(await signIn(user, 'typo', home)).toBe(401);
      expect(await signIn(user, PASSWORD, home)).toBe(200);
    }
    for (let i = 0; i < PER_EMAIL_AND_ADDRESS; i += 1) expect(await signIn(user, 'guess', home)).toBe(401);
    expect(await signIn(user, 'guess', home)).toBe(429);
  });

  it('a retry hint comes with every refusal', async () => {
    const { user } = await owner();
    const attacker = address(6);
    for (let i = 0; i < PER_EMAIL_AND_ADDRESS; i += 1) await signIn(user, 'guess', attacker);
    const refused = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: 'guess' }, remoteAddress: attacker });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});
