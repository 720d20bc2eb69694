import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApiErrorSchema,
  AuthResponseSchema,
  LoginBodySchema,
  RefreshBodySchema,
  SignupBodySchema,
  TokenPairSchema,
} from '@collaro/shared';
import { z } from 'zod';
import type { AuthRateLimiter } from '../../auth/auth-rate-limiter.js';
import type { LocalAccounts } from '../../auth/local/local-accounts.js';

export interface AuthRoutesOptions {
  accounts: LocalAccounts;
  rateLimiter: AuthRateLimiter;
}

const errors = { 401: ApiErrorSchema, 409: ApiErrorSchema, 422: ApiErrorSchema, 429: ApiErrorSchema };

export const localAuthRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, { accounts, rateLimiter }) => {
  app.post(
    '/signup',
    { schema: { tags: ['auth'], body: SignupBodySchema, response: { 201: AuthResponseSchema, ...errors } } },
    async (request, reply) => {
      await rateLimiter.consume(request.ip, request.body.email);
      return reply.code(201).send(await accounts.signup(request.body, request.headers['user-agent']));
    },
  );

  app.post(
    '/login',
    { schema: { tags: ['auth'], body: LoginBodySchema, response: { 200: AuthResponseSchema, ...errors } } },
    async (request) => {
      await rateLimiter.consume(request.ip, request.body.email);
      return accounts.login(request.body, request.headers['user-agent']);
    },
  );

  app.post(
    '/refresh',
    { schema: { tags: ['auth'], body: RefreshBodySchema, response: { 200: TokenPairSchema, ...errors } } },
    async (request) => accounts.refresh(request.body.refreshToken),
  );

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
