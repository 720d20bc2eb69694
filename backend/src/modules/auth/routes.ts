import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpoints } from '@collaro/shared';
import { loadProfile } from '../../auth/profile.js';
import type { AuthRateLimiter } from '../../auth/auth-rate-limiter.js';
import type { LocalAccounts } from '../../auth/local/local-accounts.js';
import { endpointRoute as route } from '../../contract-route.js';

export interface AuthRoutesOptions {
  accounts: LocalAccounts;
  rateLimiter: AuthRateLimiter;
}

const api = endpoints.auth;

export const localAuthRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, { accounts, rateLimiter }) => {
  route(app, api.signup, async (request, reply) => {
    await rateLimiter.signUp(request.ip);
    return reply.code(201).send(await accounts.signup(request.body, request.headers['user-agent']));
  });

  route(app, api.login, async (request) =>
    rateLimiter.signIn(request.ip, request.body.email, () => accounts.login(request.body, request.headers['user-agent'])),
  );

  route(app, api.refresh, async (request) => {
    const { userId, tokens } = await accounts.refresh(request.body.refreshToken);
    if (!request.body.include?.includes('me')) return tokens;
    return { ...tokens, me: await loadProfile(app.db, userId) };
  });

  route(
    app,
    api.logout,
    async (request, reply) => {
      if (request.auth.sessionId) await accounts.logout(request.auth.sessionId);
      return reply.code(204).send(null);
    },
    { onRequest: app.requireAuth, security: [{ bearer: [] }] },
  );
};
