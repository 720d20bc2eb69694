import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import { z } from 'zod';
import { parseClerkEnv, type ClerkConfig } from './auth/clerk/clerk-config.js';
import { DEFAULT_CALL_RING_SECONDS, IceServersSchema, type IceServer } from '@collaro/shared';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// or postgresql:// URL' });

const EnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  COLLARO_DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' }).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  CORS_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ error: 'expected a comma-separated list of origins' })))
    .default([]),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(5000),
  AUTH_RATE_LIMIT_PER_IP: z.coerce.number().int().positive().default(100),
  AUTH_RATE_LIMIT_PER_EMAIL: z.coerce.number().int().positive().default(10),
  AUTH_RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().positive().default(50),
  COLLARO_WEB_UI_DIR: z.string().min(1).optional(),
  STREAM_API_KEY: z.string().min(1).optional(),
  STREAM_API_SECRET: z.string().min(1).optional(),
  /** Where the Stream SDK sends its REST calls; only set to reach a stand-in server. */
  STREAM_BASE_URL: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
  ICE_SERVERS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected JSON such as [{"urls":"stun:stun.example.org:3478"}]' });
        return z.NEVER;
      }
    })
    .pipe(IceServersSchema)
    .default([]),
  MEETING_MESH_LIMIT: z.coerce.number().int().min(2).max(50).default(6),
  MEETING_EMPTY_GRACE_SECONDS: z.coerce.number().min(0.1).max(3600).default(60),
  CALL_RING_SECONDS: z.coerce.number().int().min(3).max(300).default(DEFAULT_CALL_RING_SECONDS),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
});

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Longest wait for a PostgreSQL connection or query before the request fails with 503. */
  databaseTimeoutMs: number;
  redisUrl: string | undefined;
  publicUrl: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Extra browser origins allowed to call the API (a development server, say). */
  corsOrigins: string[];
  /** Believe X-Forwarded-For when behind a reverse proxy, so rate limits see real client addresses. */
  trustProxy: boolean;
  /** Shed load (503) while the event loop lags more than this; 0 turns load shedding off. */
  maxEventLoopDelayMs: number;
  authRateLimit: { perIp: number; perEmail: number; perAccount: number; windowSeconds: number };
  /** The built web UI served at `/`; desktop/dist/web when unset. */
  webUiDir: string | undefined;
  /** Clerk sign-in is on when both Clerk keys are set; local accounts otherwise. */
  clerk: ClerkConfig | undefined;
  /** Stream video is on when both key and secret are set; the built-in mesh otherwise. */
  stream: { apiKey: string; apiSecret: string; baseUrl: string | undefined } | undefined;
  /** STUN/TURN servers handed to mesh participants. */
  iceServers: IceServer[];
  /** Most participants a built-in mesh meeting takes. */
  meetingMeshLimit: number;
  /** How long a built-in mesh meeting stays on with nobody in it before it ends. */
  meetingEmptyGraceSeconds: number;
  /** How long a call from a direct message rings before whoever has not answered has missed it. */
  callRingSeconds: number;
  /** With both TLS files set the server speaks HTTPS and WSS itself; plain HTTP otherwise. */
  tls: { cert: Buffer; key: Buffer } | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the environment once at start-up; a bad variable stops the start with its name in the message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(blankAsUnset);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment variable ${problems.join('; ')}`);
  }
  const clerk = parseClerkEnv(blankAsUnset);
  if (clerk.problems.length > 0) throw new ConfigError(`Invalid environment variable ${clerk.problems.join('; ')}`);
  const e = parsed.data;
  if (Boolean(e.STREAM_API_KEY) !== Boolean(e.STREAM_API_SECRET)) {
    throw new ConfigError('Invalid environment variable STREAM_API_KEY / STREAM_API_SECRET: set both to use Stream video, or neither');
  }
  const dataDir = path.resolve(e.COLLARO_DATA_DIR ?? envPaths('collaro', { suffix: '' }).data);
  const linkHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? '127.0.0.1' : e.HOST;
  const tls = loadTls(e.TLS_CERT_FILE, e.TLS_KEY_FILE);
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    databaseTimeoutMs: e.DATABASE_TIMEOUT_MS,
    redisUrl: e.REDIS_URL,
    publicUrl: (e.PUBLIC_URL ?? `${tls ? 'https' : 'http'}://${linkHost.includes(':') ? `[${linkHost}]` : linkHost}:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS,
    trustProxy: e.TRUST_PROXY,
    maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS,
    authRateLimit: {
      perIp: e.AUTH_RATE_LIMIT_PER_IP,
      perEmail: e.AUTH_RATE_LIMIT_PER_EMAIL,
      perAccount: e.AUTH_RATE_LIMIT_PER_ACCOUNT,
      windowSeconds: 15 * 60,
    },
    webUiDir: e.COLLARO_WEB_UI_DIR ? path.resolve(e.COLLARO_WEB_UI_DIR) : undefined,
    clerk: clerk.clerk,
    stream: e.STREAM_API_KEY && e.STREAM_API_SECRET ? { apiKey: e.STREAM_API_KEY, apiSecret: e.STREAM_API_SECRET, baseUrl: e.STREAM_BASE_URL } : undefined,
    iceServers: e.ICE_SERVERS,
    meetingMeshLimit: e.MEETING_MESH_LIMIT,
    meetingEmptyGraceSeconds: e.MEETING_EMPTY_GRACE_SECONDS,
    callRingSeconds: e.CALL_RING_SECONDS,
    tls,
  };
}

function readPem(variable: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(`Invalid environment variable ${variable}: cannot read ${file} (${reason})`);
  }
}

/**
 * The certificate chain and private key for built-in HTTPS, checked now so a wrong file stops the
 * start with the variable's name rather than failing on the first connection.
 */
function loadTls(certFile: string | undefined, keyFile: string | undefined): Config['tls'] {
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) {
    throw new ConfigError(
      `Invalid environment variable ${certFile ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE'}: set both TLS_CERT_FILE and TLS_KEY_FILE to serve HTTPS, or neither`,
    );
  }
  const cert = readPem('TLS_CERT_FILE', certFile);
  const key = readPem('TLS_KEY_FILE', keyFile);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new ConfigError(`Invalid environment variable TLS_CERT_FILE: ${certFile} is not a PEM certificate`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new ConfigError(`Invalid environment variable TLS_KEY_FILE: ${keyFile} is not a PEM private key (or it is encrypted)`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new ConfigError(`Invalid environment variable TLS_KEY_FILE: ${keyFile} is not the key of the certificate in TLS_CERT_FILE`);
  }
  return { cert, key };
}
