import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface CorsOptions {
  /** Exact origins allowed to read the API's answers from a browser. */
  origins: string[];
  methods: string[];
  allowedHeaders: string[];
  maxAgeSeconds: number;
}

/**
 * CORS for the API: the allowed origins are a fixed set, so every header value is computed once and
 * each request costs a header lookup and a set membership test (a general-purpose plugin rebuilt its
 * options and resolver on every request, a visible share of a cached read). Preflights are answered
 * here, before authentication, as browsers send them without credentials.
 */
export const corsPlugin = fp(async function corsPlugin(app: FastifyInstance, options: CorsOptions) {
  const allowed = new Set(options.origins);
  const preflightHeaders = {
    'access-control-allow-methods': options.methods.join(', '),
    'access-control-allow-headers': options.allowedHeaders.join(', '),
    'access-control-max-age': String(options.maxAgeSeconds),
  };
  app.addHook('onRequest', (request, reply, done) => {
    // Answers differ by Origin (allowed or not), so shared caches must keep them apart.
    reply.header('vary', 'Origin');
    const origin = request.headers.origin;
    if (origin !== undefined && allowed.has(origin)) reply.header('access-control-allow-origin', origin);
    if (request.method !== 'OPTIONS') return done();
    if (origin === undefined || request.headers['access-control-request-method'] === undefined) {
      reply.code(400).type('text/plain').send('Invalid Preflight Request');
      return;
    }
    reply.headers(preflightHeaders).header('content-length', '0').code(204).send();
  });
  // Routes OPTIONS requests to the hook above; never reached, as the hook always answers them.
  app.options('*', { schema: { hide: true } }, (_request, reply) => reply.callNotFound());
});
