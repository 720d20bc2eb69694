import cors from '@fastify/cors';
import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { DESKTOP_APP_ORIGIN, type ClientConfig } from '@collaro/shared';
import { AuthRateLimiter } from './auth/auth-rate-limiter.js';
import { clerkOnlyAuthRoutes, createClerkAuthProvider } from './auth/clerk/index.js';
import { AccessTokens, type Clock } from './auth/local/access-tokens.js';
import { LocalAccounts } from './auth/local/local-accounts.js';
import { connectRedisRevocationFeed } from './auth/session-cache.js';
import { Redis } from 'ioredis';
import { loadOrCreateSigningKey, type SigningKey } from './auth/local/signing-keys.js';
import type { Config } from './config.js';
import type { Database, DatabaseHandle } from './db/client.js';
import { createChatFrameHandlers } from './chat/chat-frame-handlers.js';
import { ChatService } from './chat/chat-service.js';
import { realtimePlugin } from './realtime/gateway.js';
import { channelRoutes } from './routes/channels/index.js';
import { meetingFrameHandlers } from './meetings/meeting-frame-handlers.js';
import { meetingsPlugin } from './meetings/meetings-plugin.js';
import { authPlugin } from './plugins/auth.js';
import { docsPlugin } from './plugins/docs.js';
import { managedServiceSources, webUiPlugin } from './plugins/web-ui.js';
import { errorsPlugin } from './plugins/errors.js';
import { securityPlugin } from './plugins/security.js';
import { localAuthRoutes } from './routes/auth/index.js';
import { clientConfigRoutes } from './routes/config/index.js';
import { healthRoutes } from './routes/health/index.js';
import { meRoutes } from './routes/me/index.js';
import { orgRoutes } from './routes/orgs/index.js';
import { teamRoutes } from './routes/teams/index.js';
import { clerkWebhookRoutes } from './routes/webhooks/clerk.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    config: Config;
  }
}

export interface AppDependencies {
  config: Config;
  database: DatabaseHandle;
  /** Injected in tests to move time; the system clock otherwise. */
  clock?: Clock;
  /** Injected in tests to skip the data dir; loaded from (or created in) the data dir otherwise. */
  signingKey?: SigningKey;
  logger?: FastifyServerOptions['logger'];
  /** The built web UI; desktop/dist/web by default. */
  webUiDir?: string;
}

const OVERLOAD_RETRY_AFTER_SECONDS = 10;

const ROUTER_ERROR_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Values that must never reach a log line, whatever logs them. */
export const LOG_REDACTIONS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
  '*.password',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
];

export function loggerOptions(level: Config['logLevel']): FastifyServerOptions['logger'] {
  return { level, redact: { paths: LOG_REDACTIONS, censor: '[redacted]' } };
}

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, database } = deps;
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(config.logLevel),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Errors the router raises before any route runs still answer in the API's error shape,
    // without echoing the offending (possibly huge) path back.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      // These answers are sent before any hook runs, so the security plugin never sees them.
      reply
        .headers(ROUTER_ERROR_SECURITY_HEADERS)
        .code(tooLong ? 414 : 400)
        .send({ error: { code: 'bad_request', message: tooLong ? 'A path parameter is too long' : 'The URL is malformed' } });
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorate('db', database.db);
  app.decorate('config', config);

  const tokens = new AccessTokens(deps.signingKey ?? (await loadOrCreateSigningKey(config.dataDir)), deps.clock);
  const accounts = new LocalAccounts(database.db, tokens, deps.clock);
  // One command connection for the app's own Redis needs (rate limits, revocations); the realtime
  // gateway keeps its pub/sub connections to itself.
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  if (redis) {
    redis.on('error', (error) => app.log.warn({ err: error }, 'redis connection error'));
    const feed = connectRedisRevocationFeed(
      redis,
      (sessionId) => accounts.forgetSession(sessionId),
      (error) => app.log.warn({ err: error }, 'session revocation feed error'),
    );
    accounts.useRevocationFeed(feed);
    app.addHook('onClose', async () => {
      await feed.close();
      await redis.quit().catch(() => redis.disconnect());
    });
  }
  const clerk = config.clerk
    ? createClerkAuthProvider({
        db: database.db,
        clerk: config.clerk,
        trustedOrigins: [DESKTOP_APP_ORIGIN, config.publicUrl, ...config.corsOrigins],
        log: app.log,
        // Read at call time: the realtime gateway registers after the auth provider exists.
        onAccessChanged: (userIds) => app.realtime.refreshAccess(userIds),
      })
    : undefined;
  const clientConfig: ClientConfig = {
    auth: config.clerk ? 'clerk' : 'local',
    ...(config.clerk ? { clerkPublishableKey: config.clerk.publishableKey } : {}),
    video: 'local',
  };
  if (config.stream) Object.assign(clientConfig, { video: 'stream', streamApiKey: config.stream.apiKey });

  await app.register(errorsPlugin);
  // Shed load with a clear 503 when the process is wedged, instead of answering everyone late. The
  // default threshold (MAX_EVENT_LOOP_DELAY_MS) is generous because the embedded database runs on
  // this same event loop and a large query or migration legitimately holds it for a second or more.
  await app.register(underPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    retryAfter: OVERLOAD_RETRY_AFTER_SECONDS,
    pressureHandler: (_request, reply) => {
      reply
        .code(503)
        .header('retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS))
        .send({ error: { code: 'service_unavailable', message: 'The server is overloaded; try again shortly' } });
    },
  });
  await app.register(securityPlugin);
  await app.register(cors, {
    origin: [DESKTOP_APP_ORIGIN, config.publicUrl, ...config.corsOrigins],
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key'],
    maxAge: 600,
  });
  await app.register(docsPlugin);
  await app.register(authPlugin, { provider: clerk ?? accounts });

  const chat = new ChatService(app);
  await app.register(realtimePlugin, { chatHandlers: createChatFrameHandlers(chat), meetingHandlers: meetingFrameHandlers });
  await app.register(healthRoutes, { ping: database.ping });
  await app.register(meetingsPlugin, { clock: deps.clock });
  await app.register(clientConfigRoutes, { prefix: '/api/config', clientConfig });
  if (config.clerk) {
    await app.register(clerkOnlyAuthRoutes, { prefix: '/api/auth' });
    await app.register(clerkWebhookRoutes, {
      prefix: '/api/webhooks/clerk',
      signingSecret: config.clerk.webhookSigningSecret,
      clock: deps.clock,
      onAccessChanged: (userIds) => app.realtime.refreshAccess(userIds),
    });
  } else {
    await app.register(localAuthRoutes, {
      prefix: '/api/auth',
      accounts,
      rateLimiter: new AuthRateLimiter(config.authRateLimit, redis),
    });
  }
  await app.register(
    async (api) => {
      api.addHook('onRequest', api.requireAuth);
      await api.register(meRoutes, { prefix: '/me' });
      await api.register(orgRoutes, { prefix: '/orgs' });
      await api.register(teamRoutes, { prefix: '/teams' });
      await api.register(channelRoutes, { chat });
    },
    { prefix: '/api' },
  );
  await app.register(webUiPlugin, { root: deps.webUiDir ?? config.webUiDir, ...managedServiceSources(clientConfig) });
  return app;
}
