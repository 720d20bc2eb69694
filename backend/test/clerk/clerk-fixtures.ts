import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { Webhook } from 'svix';
import type { Caller } from '../helpers/test-app.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

export const FRONTEND_API = 'collaro-test.clerk.accounts.dev';
export const PUBLISHABLE_KEY = `pk_test_${Buffer.from(`${FRONTEND_API}$`).toString('base64')}`;
export const SECRET_KEY = 'sk_test_collaroTestSecretKey0123456789';
export const APP_ORIGIN = 'collaro-app://app';
export const DEV_ORIGIN = 'http://localhost:5173';

export interface RsaKeys {
  privateKey: KeyObject;
  publicPem: string;
}

export function generateRsaKeys(): RsaKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** A Collaro app with Clerk switched on through the real configuration: fresh RSA keys and webhook secret. */
export async function createClerkTestApp(): Promise<{ keys: RsaKeys; secret: string; testApp: TestApp }> {
  const keys = generateRsaKeys();
  const secret = newWebhookSecret();
  return { keys, secret, testApp: await createTestApp({ env: clerkEnv(keys, secret) }) };
}

export function clerkEnv(keys: RsaKeys, webhookSecret: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CLERK_SECRET_KEY: SECRET_KEY,
    CLERK_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
    CLERK_JWT_KEY: keys.publicPem,
    CLERK_AUTHORIZED_PARTIES: `${APP_ORIGIN},${DEV_ORIGIN}`,
    CLERK_WEBHOOK_SIGNING_SECRET: webhookSecret,
    // Profile lookups go here; tests that expect one start a stand-in and override it.
    CLERK_API_URL: 'http://127.0.0.1:9',
    ...extra,
  };
}

export interface TokenOptions {
  clerkUserId: string;
  /** Seconds since the epoch; now by default. */
  issuedAt?: number;
  lifetimeSeconds?: number;
  azp?: string | null;
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  key?: KeyObject;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A session token shaped like Clerk's, signed RS256 with a test key. */
export async function mintSessionToken(keys: RsaKeys, options: TokenOptions): Promise<string> {
  const iat = options.issuedAt ?? nowSeconds();
  const claims: Record<string, unknown> = {
    sid: `sess_${randomBytes(8).toString('hex')}`,
    iss: `https://${FRONTEND_API}`,
    nbf: iat - 10,
    iat,
    // Clerk's tokens live a minute; test tokens live longer so a loaded machine cannot expire them mid-test.
    exp: iat + (options.lifetimeSeconds ?? 600),
    ...(options.azp === null ? {} : { azp: options.azp ?? APP_ORIGIN }),
    ...options.claims,
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'ins_test', typ: 'JWT', ...options.header })
    .setSubject(options.clerkUserId)
    .sign(options.key ?? keys.privateKey);
}

/** Claims v1: the active organization at the top level. */
export function v1OrgClaims(org: { id: string; slug?: string; role: string; permissions?: string[] }) {
  return { org_id: org.id, org_slug: org.slug ?? org.id, org_role: org.role, org_permissions: org.permissions ?? [] };
}

/**
 * Claims v2: the compact `o` claim. `features` maps each organization feature to the permissions the
 * member holds in it; they are packed into `fea`, `o.per` and `o.fpm` as Clerk does.
 */
export function v2OrgClaims(org: { id: string; slug?: string; role: string; features?: Record<string, string[]> }) {
  const features = Object.entries(org.features ?? {});
  const names = [...new Set(features.flatMap(([, permissions]) => permissions))];
  const masks = features.map(([, permissions]) => permissions.reduce((mask, name) => mask | (1 << names.indexOf(name)), 0));
  return {
    v: 2,
    fea: features.map(([feature]) => `o:${feature}`).join(','),
    o: {
      id: org.id,
      slg: org.slug ?? org.id,
      rol: org.role.replace(/^org:/, ''),
      ...(features.length > 0 ? { per: names.join(','), fpm: masks.join(',') } : {}),
    },
  };
}

export function bearer(token: string): Caller {
  return { headers: { authorization: `Bearer ${token}` } };
}

export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
}

/** Signs `body` exactly as Clerk's webhook sender (Svix) does. */
export function signDelivery(secret: string, body: string, options: { id?: string; timestamp?: Date } = {}): SignedDelivery {
  const id = options.id ?? `msg_${randomBytes(10).toString('hex')}`;
  const timestamp = options.timestamp ?? new Date();
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'svix-signature': new Webhook(secret).sign(id, timestamp, body),
    },
  };
}

export async function deliver(app: FastifyInstance, delivery: SignedDelivery) {
  const response = await app.inject({ method: 'POST', url: '/api/webhooks/clerk', headers: delivery.headers, payload: delivery.body });
  return { status: response.statusCode, body: response.json<{ outcome?: string; error?: { code: string; message: string } }>() };
}

/** Signs and delivers one Clerk event; returns the response. */
export async function sendEvent(app: FastifyInstance, secret: string, event: ClerkEvent, options: { id?: string; timestamp?: Date } = {}) {
  return deliver(app, signDelivery(secret, JSON.stringify(event), options));
}

export interface ClerkEvent {
  type: string;
  object: 'event';
  timestamp: number;
  data: Record<string, unknown>;
  instance_id?: string;
}

const envelope = (type: string, data: Record<string, unknown>, at: number): ClerkEvent => ({
  type,
  object: 'event',
  timestamp: at,
  data,
  instance_id: 'ins_test',
});

export const clerkEvents = {
  user(type: 'user.created' | 'user.updated', user: { id: string; firstName?: string; lastName?: string; email?: string }, at = Date.now()) {
    const emailId = `idn_${user.id}`;
    return envelope(
      type,
      {
        object: 'user',
        id: user.id,
        first_name: user.firstName ?? null,
        last_name: user.lastName ?? null,
        username: null,
        primary_email_address_id: user.email ? emailId : null,
        email_addresses: user.email ? [{ id: emailId, object: 'email_address', email_address: user.email, verification: { status: 'verified' } }] : [],
        created_at: at,
        updated_at: at,
      },
      at,
    );
  },
  userDeleted(id: string, at = Date.now()) {
    return envelope('user.deleted', { object: 'user', id, deleted: true }, at);
  },
  organization(type: 'organization.created' | 'organization.updated', org: { id: string; name: string }, at = Date.now()) {
    return envelope(
      type,
      { object: 'organization', id: org.id, name: org.name, slug: org.name.toLowerCase().replace(/\W+/g, '-'), created_at: at, updated_at: at },
      at,
    );
  },
  organizationDeleted(id: string, at = Date.now()) {
    return envelope('organization.deleted', { object: 'organization', id, deleted: true }, at);
  },
  membership(
    type: 'organizationMembership.created' | 'organizationMembership.updated' | 'organizationMembership.deleted',
    m: { orgId: string; orgName?: string; userId: string; role: string; permissions?: string[]; firstName?: string },
    at = Date.now(),
  ) {
    return envelope(
      type,
      {
        object: 'organization_membership',
        id: `orgmem_${m.orgId}_${m.userId}`,
        role: m.role,
        permissions: m.permissions ?? [],
        organization: { object: 'organization', id: m.orgId, name: m.orgName ?? m.orgId, slug: m.orgId, created_at: at, updated_at: at },
        public_user_data: {
          user_id: m.userId,
          first_name: m.firstName ?? null,
          last_name: null,
          identifier: `${m.userId}@example.test`,
          image_url: '',
          has_image: false,
        },
        created_at: at,
        updated_at: at,
      },
      at,
    );
  },
};

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

/** A loopback stand-in for Clerk's Backend API that records every request it receives. */
export async function startClerkApiStandIn(answer: (request: RecordedRequest) => { status: number; body: unknown } | undefined) {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    requests.push(recorded);
    const { status, body } = answer(recorded) ?? { status: 404, body: { errors: [{ code: 'resource_not_found', message: 'not found' }] } };
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** The parts of Clerk's Backend API user object that Collaro reads. */
export function backendApiUser(user: { id: string; firstName: string; lastName: string; email: string }) {
  return {
    object: 'user',
    id: user.id,
    first_name: user.firstName,
    last_name: user.lastName,
    username: null,
    primary_email_address_id: 'idn_primary',
    email_addresses: [{ id: 'idn_primary', object: 'email_address', email_address: user.email, verification: { status: 'verified' }, linked_to: [] }],
    phone_numbers: [],
    web3_wallets: [],
    external_accounts: [],
    public_metadata: {},
    private_metadata: {},
    unsafe_metadata: {},
    created_at: Date.now(),
    updated_at: Date.now(),
  };
}

let idCounter = 0;
/** Clerk-looking ids, unique within a test run. */
export function clerkId(prefix: 'user' | 'org') {
  idCounter += 1;
  return `${prefix}_${randomBytes(6).toString('hex')}${idCounter}`;
}
