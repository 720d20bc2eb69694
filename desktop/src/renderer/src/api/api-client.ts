import { endpointUrl, type EndpointInput, type EndpointResult, type HttpEndpoint, type HttpMethod, type InputOptional } from '@collaro/shared';
import { ApiRequestError, errorFromResponse } from './api-error.js';

export interface TokenSource {
  /** A valid access token, refreshed first when it is about to expire; null when signed out. */
  getAccessToken(): Promise<string | null>;
  /** Called after a 401: refresh once more; false means the session is over. */
  recoverFromUnauthorized(): Promise<boolean>;
}

/** A call's parameters, query and body as its endpoint declares them, and how to send it. */
export type CallInput<E extends HttpEndpoint> = EndpointInput<E> & {
  signal?: AbortSignal;
  /** Sent without a token and never retried on 401 (sign-in, sign-up, refresh, a link read before signing in). */
  anonymous?: boolean;
};
/** Any call's input, as the client reads it once the caller's types have been checked. */
interface CallOptions {
  params?: Record<string, string>;
  query?: unknown;
  body?: unknown;
  signal?: AbortSignal;
  anonymous?: boolean;
}
/** The input argument of a call: optional when the endpoint needs none. */
export type CallArgs<E extends HttpEndpoint> = InputOptional<E> extends true ? [input?: CallInput<E>] : [input: CallInput<E>];

/**
 * Talks to the Collaro HTTP API through the shared contract (`endpoints` in `@collaro/shared`): no
 * path is spelled here or by a caller. Every response is validated against its schema, and every failure becomes an ApiRequestError with the server's message.
 */
export class ApiClient {
  private tokens: TokenSource | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  useTokens(tokens: TokenSource | null): void {
    this.tokens = tokens;
  }

  private url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /**
   * Calls an endpoint of the shared contract (`endpoints` in `@collaro/shared`): the path is built
   * from its template, and the answer is validated against the schema declared for its status.
   */
  async call<E extends HttpEndpoint>(endpoint: E, ...[input]: CallArgs<E>): Promise<EndpointResult<E>> {
    const options = (input ?? {}) as CallOptions;
    const path = endpointUrl(endpoint, options);
    const response = await this.send(endpoint.method, path, options.body, options.signal, options.anonymous ?? false);
    const body: unknown = response.status === 204 ? null : await response.json();
    const parsed = endpoint.responses[response.status]?.safeParse(body);
    if (!parsed?.success) {
      throw new ApiRequestError(response.status, 'unexpected_response', `The server sent an answer this app does not understand (${endpoint.method} ${path})`);
    }
    return parsed.data as EndpointResult<E>;
  }

  /** Calls an endpoint and returns the raw successful response (for downloads such as .ics files). */
  async download<E extends HttpEndpoint>(endpoint: E, ...[input]: CallArgs<E>): Promise<Response> {
    const options = (input ?? {}) as CallOptions;
    return this.send(endpoint.method, endpointUrl(endpoint, options), options.body, options.signal, options.anonymous ?? false);
  }

  private async send(method: HttpMethod, path: string, body: unknown, signal: AbortSignal | undefined, anonymous = false): Promise<Response> {
    let response = await this.once(method, path, body, signal, anonymous);
    if (!anonymous && response.status === 401 && this.tokens && (await this.tokens.recoverFromUnauthorized())) {
      response = await this.once(method, path, body, signal, anonymous);
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  private async once(method: HttpMethod, path: string, body: unknown, signal: AbortSignal | undefined, anonymous: boolean): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.tokens && !anonymous ? await this.tokens.getAccessToken() : null;
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.fetchImpl(this.url(path), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  }
}
