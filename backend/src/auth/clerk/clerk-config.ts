import { createPublicKey } from 'node:crypto';
import { z } from 'zod';

/** Clerk settings, present only when both CLERK_SECRET_KEY and CLERK_PUBLISHABLE_KEY are set. */
export interface ClerkConfig {
  secretKey: string;
  publishableKey: string;
  /** The instance's Frontend API host, decoded from the publishable key. */
  frontendApi: string;
  /** PEM public key: with it, session tokens are verified without a network call. */
  jwtKey: string | undefined;
  /** Origins accepted in a token's `azp`; undefined means "the origins the server already trusts". */
  authorizedParties: string[] | undefined;
  webhookSigningSecret: string | undefined;
  /** Clerk's Backend API; only changed to reach a proxy or a stand-in server. */
  apiUrl: string;
}

export const CLERK_DEFAULT_API_URL = 'https://api.clerk.com';
/** Clerk signs session tokens with RSA; anything shorter than this is not a key Clerk issued. */
const MIN_RSA_BITS = 2048;

const SecretKeySchema = z.string().regex(/^sk_(test|live)_[A-Za-z0-9]{16,}$/, 'expected a Clerk secret key (sk_test_... or sk_live_...)');

const PublishableKeySchema = z.string().transform((key, ctx) => {
  const match = /^pk_(test|live)_([A-Za-z0-9+/=_-]+)$/.exec(key);
  const decoded = match ? Buffer.from(match[2]!, 'base64').toString('utf8') : '';
  // The key's payload is the Frontend API host followed by "$".
  const host = decoded.endsWith('$') ? decoded.slice(0, -1) : '';
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(host)) {
    ctx.addIssue({ code: 'custom', message: 'expected a Clerk publishable key (pk_test_... or pk_live_...)' });
    return z.NEVER;
  }
  return { key, frontendApi: host };
});

/** Accepts a PEM with real line breaks or with literal "\n" (how one-line env files carry it). */
const JwtKeySchema = z.string().transform((raw, ctx) => {
  const pem = raw.trim().replace(/\\n/g, '\n');
  try {
    const key = createPublicKey(pem);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (key.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS) {
      ctx.addIssue({ code: 'custom', message: `expected an RSA public key of at least ${MIN_RSA_BITS} bits (Clerk's PEM public key)` });
      return z.NEVER;
    }
    return key.export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected a PEM public key (-----BEGIN PUBLIC KEY----- ...)' });
    return z.NEVER;
  }
});

const OriginListSchema = z.string().transform((text, ctx) => {
  const origins: string[] = [];
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not an origin such as https://app.example.com` });
      continue;
    }
    if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash || url.username || !url.host) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not an origin: drop the path, query and credentials` });
      continue;
    }
    // `azp` carries the browser's Origin header: scheme and host, no trailing slash.
    origins.push(`${url.protocol}//${url.host}`);
  }
  if (origins.length === 0) ctx.addIssue({ code: 'custom', message: 'expected a comma-separated list of origins' });
  return origins;
});

const WebhookSecretSchema = z
  .string()
  .refine(
    (secret) => /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret) && Buffer.from(secret.slice(6), 'base64').length >= 16,
    'expected the signing secret shown for the endpoint in Clerk (whsec_...)',
  );

const ClerkEnvSchema = z.object({
  CLERK_SECRET_KEY: SecretKeySchema.optional(),
  CLERK_PUBLISHABLE_KEY: PublishableKeySchema.optional(),
  CLERK_JWT_KEY: JwtKeySchema.optional(),
  CLERK_AUTHORIZED_PARTIES: OriginListSchema.optional(),
  CLERK_WEBHOOK_SIGNING_SECRET: WebhookSecretSchema.optional(),
  CLERK_API_URL: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
});

const OPTIONAL_CLERK_VARIABLES = ['CLERK_JWT_KEY', 'CLERK_AUTHORIZED_PARTIES', 'CLERK_WEBHOOK_SIGNING_SECRET', 'CLERK_API_URL'] as const;

/**
 * Reads the CLERK_* variables. Returns the problems instead of throwing so the caller reports them
 * the same way as every other variable.
 */
export function parseClerkEnv(env: Record<string, string | undefined>): { clerk: ClerkConfig | undefined; problems: string[] } {
  const parsed = ClerkEnvSchema.safeParse(env);
  if (!parsed.success) {
    return { clerk: undefined, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  }
  const e = parsed.data;
  if (!e.CLERK_SECRET_KEY || !e.CLERK_PUBLISHABLE_KEY) {
    if (e.CLERK_SECRET_KEY || e.CLERK_PUBLISHABLE_KEY) {
      const missing = e.CLERK_SECRET_KEY ? 'CLERK_PUBLISHABLE_KEY' : 'CLERK_SECRET_KEY';
      return { clerk: undefined, problems: [`${missing}: required with the other Clerk key; set both to sign in with Clerk, or neither`] };
    }
    const stray = OPTIONAL_CLERK_VARIABLES.filter((name) => e[name] !== undefined);
    if (stray.length > 0) {
      return {
        clerk: undefined,
        problems: stray.map((name) => `${name}: Clerk is off; set CLERK_SECRET_KEY and CLERK_PUBLISHABLE_KEY to use it`),
      };
    }
    return { clerk: undefined, problems: [] };
  }
  return {
    clerk: {
      secretKey: e.CLERK_SECRET_KEY,
      publishableKey: e.CLERK_PUBLISHABLE_KEY.key,
      frontendApi: e.CLERK_PUBLISHABLE_KEY.frontendApi,
      jwtKey: e.CLERK_JWT_KEY,
      authorizedParties: e.CLERK_AUTHORIZED_PARTIES,
      webhookSigningSecret: e.CLERK_WEBHOOK_SIGNING_SECRET,
      apiUrl: (e.CLERK_API_URL ?? CLERK_DEFAULT_API_URL).replace(/\/+$/, ''),
    },
    problems: [],
  };
}
