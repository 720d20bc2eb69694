import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiErrorSchema, AuthResponseSchema, LoginBodySchema, RefreshBodySchema, RefreshResponseSchema, SignupBodySchema } from '@collaro/shared';
import { z } from 'zod';
import { loadProfile } from '../../auth/profile.js';
import type { AuthRateLimiter } from '../../auth/auth-rate-limiter.js';
import type { LocalAccounts } from '../../auth/local/local-accounts.js';

export interface AuthRoutesOptions {
  accounts: LocalAccounts;
  rateLimiter: AuthRateLimiter;
}

const errors = { 401: ApiErrorSchema, 409: ApiErrorSchema, 422: ApiErrorSchema, 429: ApiErrorSchema };

export const localAuthRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, { accounts, rateLimiter }) => {
  app.post('/signup', { schema: { tags: ['auth'], body: SignupBodySchema, response: { 201: AuthResponseSchema, ...errors } } }, async (request, reply) => {
    await rateLimiter.signUp(request.ip);
    return reply.code(201).send(await accounts.signup(request.body, request.headers['user-agent']));
  });

  app.post('/login', { schema: { tags: ['auth'], body: LoginBodySchema, response: { 200: AuthResponseSchema, ...errors } } }, async (request) =>
    rateLimiter.signIn(request.ip, request.body.email, () => accounts.login(request.body, request.headers['user-agent'])),
  );

  app.post('/refresh', { schema: { tags: ['auth'], body: RefreshBodySchema, response: { 200: RefreshResponseSchema, ...errors } } }, async (request) => {
    const { userId, tokens } = await accounts.refresh(request.body.refreshToken);
    if (!request.body.include?.includes('me')) return tokens;
    return { ...tokens, me: await loadProfile(app.db, userId) };
  });

  app.post(
    '/logout',
    {
      onRequest: app.requireAuth,
      schema: { tags: ['auth'], security: [{ bearer: [] }], response: { 204: z.null(), 401: ApiErrorSchema } },
    },
    async (request, reply) => {
      if (request.auth.sessionId) await accounts.logout(request.auth.sessionId);
      return reply.code(204).send(null);
    },
  );
};
