import { createServer as createHttpsServer } from 'node:https';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { DESKTOP_APP_ORIGIN, GUEST_TOKEN_PREFIX, type ClientConfig } from '@collaro/shared';
import { AuthRateLimiter } from './auth/auth-rate-limiter.js';
import { clerkOnlyAuthRoutes, createClerkAuthProvider } from './auth/clerk/index.js';
import { AccessTokens, type Clock } from './auth/local/access-tokens.js';
import { LocalAccounts } from './auth/local/local-accounts.js';
import { SessionRevocations } from './auth/session-cache.js';
import { loadOrCreateSigningKey, type SigningKey } from './auth/local/signing-keys.js';
import type { Config } from './config.js';
import type { Database, DatabaseHandle } from './db/client.js';
import { createChatFrameHandlers } from './modules/chat/frame-handlers.js';
import { ChatService } from './modules/chat/service.js';
import { ChatWriteLimiter } from './modules/chat/write-limiter.js';
import { DEFAULT_REALTIME_LIMITS, realtimePlugin } from './realtime/gateway.js';
import { RealtimeHub } from './realtime/realtime-hub.js';
import { channelRoutes } from './modules/channels/routes.js';
import { createGuestFrameHandlers, createMeetingFrameHandlers } from './modules/meetings/frame-handlers.js';
import { meetingApiRoutes, meetingsPlugin } from './modules/meetings/plugin.js';
import { MeetingRooms } from './modules/meetings/rooms.js';
import { callsPlugin } from './modules/calls/plugin.js';
import { callRoutes } from './modules/calls/routes.js';
import { authPlugin } from './plugins/auth.js';
import { docsPlugin } from './plugins/docs.js';
import { managedServiceSources, webUiPlugin } from './plugins/web-ui.js';
import { errorsPlugin } from './plugins/errors.js';
import { compiledSerializerCompiler } from './response-serializer.js';
import { redisPlugin } from './plugins/redis.js';
import { securityPlugin } from './plugins/security.js';
import { corsPlugin } from './plugins/cors.js';
import { loadSheddingPlugin } from './plugins/load-shedding.js';
import { localAuthRoutes } from './modules/auth/routes.js';
import { clientConfigRoutes } from './modules/config/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { invitationRoutes } from './modules/invitations/routes.js';
import { InvitationService } from './modules/invitations/service.js';
import { meRoutes } from './modules/me/routes.js';
import { orgRoutes } from './modules/orgs/routes.js';
import { OrgService } from './modules/orgs/service.js';
import { organizationMembershipChanged } from './modules/orgs/membership-changes.js';
import { teamRoutes } from './modules/teams/routes.js';
import { TeamService } from './modules/teams/service.js';
import { clerkWebhookRoutes } from './auth/clerk/clerk-webhook-routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    config: Config;
    /** Sessions ended by logout or by a replayed refresh token, announced on every instance. */
    sessionRevocations: SessionRevocations;
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
  /** Per-user budget for chat writes over HTTP; a WebSocket connection's frame budget by default. */
  chatWriteLimits?: ConstructorParameters<typeof ChatWriteLimiter>[0];
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

/** Paths whose last segment is a secret (invitation links, calendar feeds): logged with it masked. */
const SECRET_PATH = /^(\/api\/invitations\/|\/invite\/|\/api\/calendar\/feed\/|\/api\/guest-links\/|\/guest\/)[^/?]+/;

export function loggerOptions(level: Config['logLevel']): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: LOG_REDACTIONS, censor: '[redacted]' },
    serializers: {
      req: (request: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: request.method,
        url: request.url.replace(SECRET_PATH, '$1[redacted]'),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
}

function httpsServerFactory(tls: { cert: Buffer; key: Buffer }): FastifyServerOptions['serverFactory'] {
  return (handler) => createHttpsServer({ cert: tls.cert, key: tls.key }, handler);
}

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, database } = deps;
  const app = Fastify({
    // With a certificate the same port speaks HTTPS, and the WebSocket upgrade on it is WSS.
    ...(config.tls ? { serverFactory: httpsServerFactory(config.tls) } : {}),
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
  app.setSerializerCompiler(compiledSerializerCompiler);

  app.decorate('db', database.db);
  app.decorate('config', config);
  // First, so it closes last: the realtime bus, presence, rate limits and revocations all use it.
  await app.register(redisPlugin, { url: config.redisUrl });
  const redis = app.redis?.client;
  const sessionRevocations = new SessionRevocations(app.redis);
  app.decorate('sessionRevocations', sessionRevocations);
  // Before any feature, so each is handed it; the transport registered below gives it its connections.
  const realtime = new RealtimeHub({ db: database.db, redis: app.redis, sessionRevocations, log: app.log });
  await realtime.start();
  app.decorate('realtime', realtime);
  // Runs after the transport's preClose has closed every socket.
  app.addHook('onClose', async () => realtime.close());
  const clock = deps.clock ?? Date.now;
  const meetingRooms = new MeetingRooms(database.db, realtime, () => new Date(clock()), app.log);
  const membershipChanged = (userIds: string[]) =>
    void organizationMembershipChanged({ realtime, meetingRooms }, userIds).catch((error: unknown) =>
      app.log.error({ err: error }, 'applying a membership change failed'),
    );

  const tokens = new AccessTokens(deps.signingKey ?? (await loadOrCreateSigningKey(config.dataDir)), deps.clock);
  const accounts = new LocalAccounts(database.db, tokens, deps.clock);
  accounts.useRevocations(sessionRevocations);
  const clerk = config.clerk
    ? await createClerkAuthProvider({
        db: database.db,
        clerk: config.clerk,
        trustedOrigins: [DESKTOP_APP_ORIGIN, config.publicUrl, ...config.corsOrigins],
        log: app.log,
        onAccessChanged: membershipChanged,
      })
    : undefined;
  const clientConfig: ClientConfig = {
    auth: config.clerk ? 'clerk' : 'local',
    ...(config.clerk ? { clerkPublishableKey: config.clerk.publishableKey } : {}),
    video: 'local',
  };
  if (config.stream) Object.assign(clientConfig, { video: 'stream', streamApiKey: config.stream.apiKey });

  await app.register(errorsPlugin);
  // The default threshold (MAX_EVENT_LOOP_DELAY_MS) is generous because the embedded database runs
  // on this same event loop and a large query or migration legitimately holds it for a second or more.
  await app.register(loadSheddingPlugin, { maxEventLoopDelayMs: config.maxEventLoopDelayMs, retryAfterSeconds: OVERLOAD_RETRY_AFTER_SECONDS });
  await app.register(securityPlugin);
  await app.register(corsPlugin, {
    origins: [DESKTOP_APP_ORIGIN, config.publicUrl, ...config.corsOrigins],
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key'],
    maxAgeSeconds: 600,
  });
  await app.register(docsPlugin);
  await app.register(authPlugin, { provider: clerk ?? accounts });

  const chat = new ChatService(database.db, realtime);
  const authProvider = clerk ?? accounts;
  await app.register(healthRoutes, { ping: () => database.ping() });
  await app.register(meetingsPlugin, { clock: deps.clock, realtime, rooms: meetingRooms });
  await app.register(callsPlugin, { chat, realtime, clock: deps.clock });
  // The transport comes after the features it dispatches frames to: their services exist by now.
  const guests = app.meetingGuests;
  const meetingHandlers = createMeetingFrameHandlers(meetingRooms);
  await app.register(realtimePlugin, {
    hub: realtime,
    handlers: {
      chat: createChatFrameHandlers(chat, database.db),
      meetings: meetingHandlers,
      guests: createGuestFrameHandlers(meetingHandlers, guests),
    },
    // A meeting guest's token is only good on the WebSocket (and the guest routes), never for requireAuth.
    authenticate: (token) => (token.startsWith(GUEST_TOKEN_PREFIX) ? guests.authenticate(token) : authProvider.authenticate(token)),
  });
  await app.register(clientConfigRoutes, { prefix: '/api/config', clientConfig });
  if (config.clerk) {
    await app.register(clerkOnlyAuthRoutes, { prefix: '/api/auth' });
    await app.register(clerkWebhookRoutes, {
      prefix: '/api/webhooks/clerk',
      signingSecret: config.clerk.webhookSigningSecret,
      clock: deps.clock,
      onAccessChanged: membershipChanged,
    });
  } else {
    await app.register(localAuthRoutes, {
      prefix: '/api/auth',
      accounts,
      rateLimiter: new AuthRateLimiter(config.authRateLimit, redis),
    });
  }
  // The one signed-in tree: every route under it needs an authenticated caller.
  await app.register(
    async (api) => {
      api.addHook('onRequest', api.requireAuth);
      await api.register(meRoutes, { prefix: '/me' });
      await api.register(orgRoutes, { prefix: '/orgs', orgs: new OrgService(database.db, { realtime, meetingRooms }) });
      await api.register(teamRoutes, { prefix: '/teams', teams: new TeamService(database.db, realtime) });
      await api.register(channelRoutes, { chat, writeLimiter: new ChatWriteLimiter(deps.chatWriteLimits ?? DEFAULT_REALTIME_LIMITS, redis) });
      await api.register(meetingApiRoutes);
      await api.register(callRoutes, { calls: app.calls });
    },
    { prefix: '/api' },
  );
  // Outside the signed-in tree: an invitation link can be looked at before its reader has an account.
  const invitations = new InvitationService({
    db: database.db,
    changes: { realtime, meetingRooms },
    publicUrl: config.publicUrl,
    now: () => new Date(clock()),
  });
  await app.register(invitationRoutes, { prefix: '/api', invitations });
  await app.register(webUiPlugin, { root: deps.webUiDir ?? config.webUiDir, publicUrl: config.publicUrl, ...managedServiceSources(clientConfig) });
  return app;
}
