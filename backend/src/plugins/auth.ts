import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuthIdentity, AuthProvider } from '../auth/provider.js';
import { unauthorized } from '../domain-errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    authProvider: AuthProvider;
    /** onRequest hook for route trees that require a signed-in caller. */
    requireAuth: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    /** Set by `requireAuth`; only read it inside a route tree guarded by that hook. */
    auth: AuthIdentity;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9\-_=.~+/]+)$/;

export function bearerToken(header: string | undefined): string {
  if (!header) throw unauthorized('Missing Authorization header');
  const match = BEARER.exec(header);
  if (!match) throw unauthorized('Authorization header must be "Bearer <token>"');
  return match[1]!;
}

/** Turns `Authorization: Bearer <token>` into `request.auth` through whichever provider is on. */
export const authPlugin = fp(
  async function authPlugin(app: FastifyInstance, options: { provider: AuthProvider }) {
    app.decorate('authProvider', options.provider);
    app.decorateRequest('auth', null as unknown as AuthIdentity);
    app.decorate('requireAuth', async (request: FastifyRequest) => {
      request.auth = await options.provider.authenticate(bearerToken(request.headers.authorization));
    });
  },
  { name: 'collaro-auth' },
);
