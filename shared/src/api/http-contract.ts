/**
 * Collaro's HTTP API declared once: each endpoint's method, path template, parameter, query and body
 * schemas and its responses by status. The backend registers its Fastify routes from these entries
 * (backend/src/contract-route.ts) and the renderer's client builds its requests from them
 * (desktop/src/renderer/src/api/api-client.ts), as the IPC contract (ipc.ts) does for Electron.
 */
import { z } from 'zod';
import { ApiErrorSchema } from '../errors.js';

export const HTTP_METHODS = ['GET', 'POST', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The names of a path template's parameters: `/api/teams/:teamId/members/:userId` gives `'teamId' | 'userId'`. */
export type PathParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? ParamName<Name> | PathParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? ParamName<Name>
    : never;
/** `:token.ics` names `token`: the suffix after a dot is literal. */
type ParamName<Segment extends string> = Segment extends `${infer Name}.${string}` ? Name : Segment;

export interface HttpEndpoint<Path extends string = string> {
  readonly method: HttpMethod;
  readonly path: Path;
  /** OpenAPI grouping. */
  readonly tags: readonly string[];
  readonly summary?: string;
  /** One schema per parameter of the path template, and no other. */
  readonly params?: z.ZodObject;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly responses: Readonly<Record<number, z.ZodType>>;
}

type ParamsSchemaFor<Path extends string> = [PathParamNames<Path>] extends [never]
  ? { readonly params?: never }
  : { readonly params: z.ZodObject<{ [Name in PathParamNames<Path>]: z.ZodType }> };

/** Declares an endpoint; its `params` schema must name exactly the path template's parameters. */
export function endpoint<const Path extends string, const E extends HttpEndpoint<Path> & ParamsSchemaFor<Path>>(definition: E & { path: Path }): E {
  return definition;
}

/**
 * The error answers every signed-in resource route can give: no valid token (401), no permission
 * (403), not in the caller's organizations (404), a conflict (409), a malformed request (422), and
 * the database or server being unavailable (503).
 */
export const resourceErrorResponses = {
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
  422: ApiErrorSchema,
  503: ApiErrorSchema,
} as const;

/** A 204's body, for schemas: nothing. */
export const NoContentSchema = z.null();

type SuccessStatus = 200 | 201 | 202 | 204;
type SuccessSchemas<E extends HttpEndpoint> = E['responses'][Extract<keyof E['responses'], SuccessStatus>];
/** What a successful call to the endpoint answers, after its schema has parsed it. */
export type EndpointResult<E extends HttpEndpoint> = z.output<SuccessSchemas<E>>;

/** What a caller gives to call the endpoint: its path parameters, query and body, each only when the endpoint has one. */
export type EndpointInput<E extends HttpEndpoint> = ([PathParamNames<E['path']>] extends [never]
  ? { params?: never }
  : { params: Record<PathParamNames<E['path']>, string> }) &
  (E['query'] extends z.ZodType ? QueryInput<z.input<E['query']>> : { query?: never }) &
  (E['body'] extends z.ZodType ? { body: z.input<E['body']> } : { body?: never });

/** A query whose every field is optional may be left out. */
type QueryInput<Query> = object extends Query ? { query?: Query } : { query: Query };

/** True when an endpoint can be called with no input at all. */
export type InputOptional<E extends HttpEndpoint> = object extends EndpointInput<E> ? true : false;

const PARAM = /:([A-Za-z0-9_]+)/g;

/** The parameter names of a path template, at run time. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(PARAM)].map((match) => match[1]!);
}

/**
 * The URL path (and query string) of a call: each parameter percent-encoded into the template, the
 * query's defined values appended in order. A missing or empty parameter is refused, never sent as
 * an empty segment that would reach another route.
 */
export function endpointUrl(target: Pick<HttpEndpoint, 'path'>, input: { params?: Record<string, string>; query?: unknown } = {}): string {
  const params: Record<string, unknown> = input.params ?? {};
  const path = target.path.replace(PARAM, (_match, name: string) => {
    const value = params[name];
    if (typeof value !== 'string' || value === '') throw new TypeError(`${target.path} needs a value for :${name}`);
    return encodeURIComponent(value);
  });
  return `${path}${queryString(input.query)}`;
}

function queryString(query: unknown): string {
  if (query === undefined || query === null) return '';
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new TypeError(`query parameter ${name} must be a string, number or boolean`);
    }
    search.append(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
