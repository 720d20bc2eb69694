import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
  RouteShorthandOptions,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { HttpEndpoint } from '@collaro/shared';

/** A Fastify instance (or plugin scope) typed by the zod type provider, as every route plugin gets it. */
export type ZodFastify = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** The Fastify schema of an endpoint: what types a handler's request and reply. */
export type EndpointSchema<E extends HttpEndpoint> = { tags: E['tags']; response: E['responses'] } & (E['params'] extends object
  ? { params: E['params'] }
  : unknown) &
  (E['query'] extends object ? { querystring: E['query'] } : unknown) &
  (E['body'] extends object ? { body: E['body'] } : unknown);

export type EndpointHandler<E extends HttpEndpoint> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  ContextConfigDefault,
  EndpointSchema<E>,
  ZodTypeProvider,
  FastifyBaseLogger
>;

/** What a route adds to its endpoint: hooks (a route's own auth guard), its log level, OpenAPI security. */
export interface EndpointRouteOptions {
  onRequest?: RouteShorthandOptions['onRequest'];
  logLevel?: RouteShorthandOptions['logLevel'];
  security?: readonly Record<string, readonly string[]>[];
  /** Also answer the path with a trailing slash, as a route registered at `/` under its prefix always did. */
  trailingSlash?: boolean;
}

/**
 * Registers the route of a contract entry (shared/src/api/endpoints/) in `app`: its method, its path
 * (relative to the plugin's prefix, which must begin the path), and its schemas for validation,
 * response serialization and the OpenAPI description. Guards and hooks of the plugin scope apply
 * as to any other route.
 */
export function endpointRoute<E extends HttpEndpoint>(app: ZodFastify, endpoint: E, handler: EndpointHandler<E>, options: EndpointRouteOptions = {}): void {
  const { trailingSlash, security, ...routeOptions } = options;
  const rest = endpoint.path.slice(app.prefix.length);
  if (!endpoint.path.startsWith(app.prefix) || !(rest === '' || rest.startsWith('/'))) {
    throw new Error(`${endpoint.method} ${endpoint.path} cannot be registered under the prefix ${app.prefix}`);
  }
  const schema = {
    tags: [...endpoint.tags],
    ...(endpoint.summary ? { summary: endpoint.summary } : {}),
    ...(security ? { security: security.map((entry) => ({ ...entry })) } : {}),
    ...(endpoint.params ? { params: endpoint.params } : {}),
    ...(endpoint.query ? { querystring: endpoint.query } : {}),
    ...(endpoint.body ? { body: endpoint.body } : {}),
    response: endpoint.responses,
  };
  app.route({
    ...routeOptions,
    method: endpoint.method,
    url: rest === '' && trailingSlash ? '/' : rest,
    ...(rest === '' && trailingSlash ? { prefixTrailingSlash: 'both' as const } : {}),
    schema,
    handler: handler as RouteHandlerMethod,
  });
}
