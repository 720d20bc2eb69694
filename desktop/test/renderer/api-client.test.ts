import { endpoints } from '@collaro/shared';
import { describe, expect, it } from 'vitest';
import { ApiClient, type TokenSource } from '../../src/renderer/src/api/api-client.js';
import { ApiRequestError, describeError, isWorthRetrying } from '../../src/renderer/src/api/api-error.js';

const ME = { user: { id: '5e8b0c9a-0000-4000-8000-000000000001', email: 'ada@example.test', name: 'Ada' }, organizations: [] };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('API client', () => {
  it('sends the bearer token and returns the validated body', async () => {
    const seen: (string | undefined)[] = [];
    const api = new ApiClient('https://collaro.example.com', async (input, init) => {
      seen.push(`${String(input)} ${(init?.headers as Record<string, string>).authorization}`);
      return json(200, ME);
    });
    api.useTokens({ getAccessToken: async () => 'tok', recoverFromUnauthorized: async () => false });
    await expect(api.call(endpoints.me.profile)).resolves.toEqual(ME);
    expect(seen).toEqual(['https://collaro.example.com/api/me Bearer tok']);
  });

  it('refuses an answer that does not match the shared schema', async () => {
    const api = new ApiClient('', async () => json(200, { user: { id: 'not-a-uuid' } }));
    const error = await api.call(endpoints.me.profile).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect((error as ApiRequestError).code).toBe('unexpected_response');
  });

  it('carries the server message and status of a refusal, and says "Not allowed" for a 403', async () => {
    const api = new ApiClient('', async () => json(403, { error: { code: 'forbidden', message: 'Only admins can add members' } }));
    const error = await api
      .call(endpoints.orgs.addMember, { params: { orgId: 'x' }, body: { email: 'grace@example.test' } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 403, code: 'forbidden', message: 'Only admins can add members' });
    expect(describeError(error)).toBe('Not allowed: Only admins can add members');
  });

  it('describes a failure without a JSON body by its status', async () => {
    const api = new ApiClient('', async () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(api.call(endpoints.me.profile)).rejects.toThrow('The server answered 502 Bad Gateway');
  });

  it('after a 401 refreshes once and retries with the new token; gives up when the session is over', async () => {
    let token = 'old';
    const sentWith: string[] = [];
    const api = new ApiClient('', async (_input, init) => {
      const auth = (init?.headers as Record<string, string>).authorization ?? '';
      sentWith.push(auth);
      return auth === 'Bearer new' ? json(200, ME) : json(401, { error: { code: 'unauthorized', message: 'Access token expired' } });
    });
    let recoverable = true;
    const tokens: TokenSource = {
      getAccessToken: async () => token,
      recoverFromUnauthorized: async () => {
        if (!recoverable) return false;
        token = 'new';
        return true;
      },
    };
    api.useTokens(tokens);
    await expect(api.call(endpoints.me.profile)).resolves.toEqual(ME);
    expect(sentWith).toEqual(['Bearer old', 'Bearer new']);

    token = 'old';
    recoverable = false;
    await expect(api.call(endpoints.me.profile)).rejects.toMatchObject({ status: 401 });
  });
});

describe('error messages a person reads', () => {
  const invalid = (message: string) => new ApiRequestError(422, 'validation_failed', message);

  it('never show the API field paths or Zod wording', () => {
    expect(describeError(invalid('params.teamId: Invalid UUID'))).toBe('This address is not valid: the link may be incomplete or mistyped.');
    expect(describeError(invalid('body.email: Invalid email address'))).toBe('Email is not a valid email address.');
    expect(
      describeError(invalid('body.name: Too small: expected string to have >=1 characters; body.role: Invalid option: expected one of "admin"|"member"')),
    ).toBe('Name cannot be empty. Role must be one of admin, member.');
    expect(describeError(invalid('body.expiresInDays: Too big: expected string to have <=30 characters'))).toBe(
      'Expires in days is too long (at most 30 characters).',
    );
    expect(describeError(invalid('body.email: no Collaro account uses this email yet. Send them an invitation link instead.'))).toBe(
      'Email: No Collaro account uses this email yet. Send them an invitation link instead.',
    );
    for (const message of ['params.teamId: Invalid UUID', 'body.email: Invalid email address'])
      expect(describeError(invalid(message))).not.toMatch(/params\.|body\.|UUID/);
  });

  it('offer Retry only where trying again can help', () => {
    expect(isWorthRetrying(new ApiRequestError(403, 'forbidden', 'no'))).toBe(false);
    expect(isWorthRetrying(new ApiRequestError(404, 'not_found', 'gone'))).toBe(false);
    expect(isWorthRetrying(new ApiRequestError(422, 'validation_failed', 'bad'))).toBe(false);
    expect(isWorthRetrying(new ApiRequestError(503, 'service_unavailable', 'later'))).toBe(true);
    expect(isWorthRetrying(new ApiRequestError(429, 'rate_limited', 'slow down'))).toBe(true);
    expect(isWorthRetrying(new TypeError('Failed to fetch'))).toBe(true);
  });
});
