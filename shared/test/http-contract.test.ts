import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { endpoint, endpoints, endpointUrl, HTTP_METHODS, pathParamNames, type HttpEndpoint } from '../src/index.js';

const every: [string, HttpEndpoint][] = Object.entries(endpoints).flatMap(([feature, group]) =>
  Object.entries(group as Record<string, HttpEndpoint>).map(([name, entry]): [string, HttpEndpoint] => [`${feature}.${name}`, entry]),
);

describe('the HTTP contract', () => {
  it('gives every endpoint a params schema naming exactly its path parameters', () => {
    for (const [name, entry] of every) {
      const declared = entry.params ? Object.keys(entry.params.shape).sort() : [];
      expect(declared, name).toEqual(pathParamNames(entry.path).sort());
    }
  });

  it('declares each method and path once, under /api or at the root, with a success answer', () => {
    const seen = new Set<string>();
    for (const [name, entry] of every) {
      const key = `${entry.method} ${entry.path}`;
      expect(seen.has(key), `${name}: ${key} declared twice`).toBe(false);
      seen.add(key);
      expect(HTTP_METHODS, name).toContain(entry.method);
      expect(entry.path, name).toMatch(/^\/[a-z]/);
      expect(
        Object.keys(entry.responses).some((status) => Number(status) < 300),
        name,
      ).toBe(true);
    }
  });
});

describe('endpoint paths', () => {
  const member = endpoint({
    method: 'DELETE',
    path: '/api/teams/:teamId/members/:userId',
    tags: ['teams'],
    params: z.object({ teamId: z.string(), userId: z.string() }),
    responses: { 204: z.null() },
  });

  it('fills the template with each parameter percent-encoded', () => {
    expect(endpointUrl(member, { params: { teamId: 't1', userId: 'u/2?x=1#frag' } })).toBe('/api/teams/t1/members/u%2F2%3Fx%3D1%23frag');
    expect(endpointUrl(member, { params: { teamId: '../admin', userId: 'ä b' } })).toBe('/api/teams/..%2Fadmin/members/%C3%A4%20b');
  });

  it('refuses a missing or empty parameter instead of sending a shorter path', () => {
    expect(() => endpointUrl(member, { params: { teamId: 't1' } })).toThrow('/api/teams/:teamId/members/:userId needs a value for :userId');
    expect(() => endpointUrl(member, { params: { teamId: '', userId: 'u1' } })).toThrow('needs a value for :teamId');
    expect(() => endpointUrl(member)).toThrow('needs a value for :teamId');
  });

  it('keeps a literal suffix after a parameter', () => {
    expect(endpointUrl(endpoints.meetings.inviteIcs, { params: { id: 'm1' } })).toBe('/api/meetings/m1/invite.ics');
    expect(pathParamNames('/api/calendar/feed/:token.ics')).toEqual(['token']);
  });

  it('appends the defined query values in order, encoded', () => {
    expect(endpointUrl(endpoints.meetings.list, { query: { orgId: 'o1', scope: 'live' } })).toBe('/api/meetings?orgId=o1&scope=live');
    expect(endpointUrl(endpoints.meetings.next, { query: { orgId: undefined } })).toBe('/api/meetings/next');
    expect(endpointUrl({ path: '/api/x' }, { query: { q: 'a&b=c d', n: 5, on: true } })).toBe('/api/x?q=a%26b%3Dc+d&n=5&on=true');
    expect(() => endpointUrl({ path: '/api/x' }, { query: { q: { nested: 1 } } })).toThrow('query parameter q must be a string, number or boolean');
  });
});
