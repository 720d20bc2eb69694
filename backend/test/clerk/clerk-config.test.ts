import './offline-guard.js';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { generateRsaKeys, newWebhookSecret, PUBLISHABLE_KEY, SECRET_KEY, FRONTEND_API } from './clerk-fixtures.js';

const keys = generateRsaKeys();
const base = { COLLARO_DATA_DIR: '/tmp/collaro-clerk-config-test', LOG_LEVEL: 'silent' };
const clerkOn = { CLERK_SECRET_KEY: SECRET_KEY, CLERK_PUBLISHABLE_KEY: PUBLISHABLE_KEY };

function problemWith(env: Record<string, string>): string {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('Clerk configuration', () => {
  it('is off without keys, and on with both keys', () => {
    expect(loadConfig(base).clerk).toBeUndefined();
    const on = loadConfig({ ...base, ...clerkOn });
    expect(on.clerk).toMatchObject({
      secretKey: SECRET_KEY,
      publishableKey: PUBLISHABLE_KEY,
      frontendApi: FRONTEND_API,
      jwtKey: undefined,
      authorizedParties: undefined,
      apiUrl: 'https://api.clerk.com',
    });
  });

  it('reads every optional variable', () => {
    const secret = newWebhookSecret();
    const config = loadConfig({
      ...base,
      ...clerkOn,
      CLERK_JWT_KEY: keys.publicPem,
      CLERK_AUTHORIZED_PARTIES: 'collaro-app://app, http://localhost:5173/ ,https://collaro.example.com',
      CLERK_WEBHOOK_SIGNING_SECRET: secret,
      CLERK_API_URL: 'http://127.0.0.1:7777/',
    });
    expect(config.clerk).toMatchObject({
      jwtKey: expect.stringContaining('-----BEGIN PUBLIC KEY-----'),
      authorizedParties: ['collaro-app://app', 'http://localhost:5173', 'https://collaro.example.com'],
      webhookSigningSecret: secret,
      apiUrl: 'http://127.0.0.1:7777',
    });
  });

  it('accepts the PEM on one line with literal \\n, as env files carry it', () => {
    const oneLine = keys.publicPem.trim().replace(/\n/g, '\\n');
    expect(loadConfig({ ...base, ...clerkOn, CLERK_JWT_KEY: oneLine }).clerk?.jwtKey).toBe(keys.publicPem);
  });

  const malformed: Array<[string, Record<string, string>, string]> = [
    ['a secret key that is not one', { ...clerkOn, CLERK_SECRET_KEY: 'pk_test_oops' }, 'CLERK_SECRET_KEY'],
    ['a publishable key that is not one', { ...clerkOn, CLERK_PUBLISHABLE_KEY: 'pk_test_bm90LWEta2V5' }, 'CLERK_PUBLISHABLE_KEY'],
    ['a secret key without the publishable key', { CLERK_SECRET_KEY: SECRET_KEY }, 'CLERK_PUBLISHABLE_KEY'],
    ['a publishable key without the secret key', { CLERK_PUBLISHABLE_KEY: PUBLISHABLE_KEY }, 'CLERK_SECRET_KEY'],
    ['a JWT key that is not PEM', { ...clerkOn, CLERK_JWT_KEY: 'not a key' }, 'CLERK_JWT_KEY'],
    [
      'a JWT key that is not RSA',
      { ...clerkOn, CLERK_JWT_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString() },
      'CLERK_JWT_KEY',
    ],
    [
      'an RSA key shorter than 2048 bits',
      { ...clerkOn, CLERK_JWT_KEY: generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString() },
      'CLERK_JWT_KEY',
    ],
    ['authorized parties with a path', { ...clerkOn, CLERK_AUTHORIZED_PARTIES: 'https://app.example.com/login' }, 'CLERK_AUTHORIZED_PARTIES'],
    ['authorized parties that are not URLs', { ...clerkOn, CLERK_AUTHORIZED_PARTIES: 'app.example.com' }, 'CLERK_AUTHORIZED_PARTIES'],
    ['a webhook secret without whsec_', { ...clerkOn, CLERK_WEBHOOK_SIGNING_SECRET: 'secret' }, 'CLERK_WEBHOOK_SIGNING_SECRET'],
    ['Clerk options while Clerk is off', { CLERK_WEBHOOK_SIGNING_SECRET: newWebhookSecret() }, 'CLERK_WEBHOOK_SIGNING_SECRET: Clerk is off'],
  ];
  for (const [name, env, variable] of malformed) {
    it(`refuses ${name}, naming ${variable.split(':')[0]}`, () => {
      expect(problemWith(env)).toContain(variable);
    });
  }

  it('stops the server at start-up with the variable named', async () => {
    const server = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const run = promisify(execFile)(tsx, [server], {
      env: { PATH: process.env.PATH, ...base, ...clerkOn, CLERK_JWT_KEY: 'garbage', PORT: '0' },
      timeout: 60_000,
    });
    const failure = await run.then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('Collaro cannot start');
    expect(failure?.stderr).toContain('CLERK_JWT_KEY');
  }, 120_000);
});
