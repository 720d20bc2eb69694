import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, signUp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { createLocalRbacWorld } from '../rbac/local-world.js';

/**
 * Throws generated and mutated requests at every route in the OpenAPI description, so routes
 * added later are covered without touching this file. Whatever arrives, the server must answer
 * below 500 with a well-formed error, and must not change another organization's data.
 */

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 25);
const SKIPPED_PREFIXES = ['/docs', '/ws'];

interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[];
}

let testApp: TestApp;
let operations: Operation[];
let callers: Record<string, SignedInUser | null | { headers: { authorization: string } }>;
let ownIds: string[];
let victim: { admin: SignedInUser; orgId: string; teamId: string };
let victimSnapshot: unknown;

async function snapshotVictim() {
  const [members, teams, team] = await Promise.all([
    call(testApp.app, victim.admin, 'GET', `/api/orgs/${victim.orgId}/members`),
    call(testApp.app, victim.admin, 'GET', `/api/orgs/${victim.orgId}/teams`),
    call(testApp.app, victim.admin, 'GET', `/api/teams/${victim.teamId}`),
  ]);
  return { members: members.body, teams: teams.body, team: team.body };
}

beforeAll(async () => {
  testApp = await createTestApp();
  const world = await createLocalRbacWorld(testApp.app);
  const victimAdmin = await signUp(testApp.app, 'Victim');
  const victimOrg = (await call(testApp.app, victimAdmin, 'POST', '/api/orgs', { name: 'Victim Corp' })).body;
  const victimTeam = (await call(testApp.app, victimAdmin, 'POST', `/api/orgs/${victimOrg.id}/teams`, { name: 'Crown jewels' })).body;
  victim = { admin: victimAdmin, orgId: victimOrg.id, teamId: victimTeam.id };
  victimSnapshot = await snapshotVictim();

  callers = {
    admin: world.callers.orgAdmin,
    member: world.callers.orgMember,
    outsider: world.callers.outsider,
    anonymous: null,
    garbage: { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' } },
  };
  ownIds = [world.orgId, world.teamId, world.admin.id, (await world.freshOrgMember()).id];

  const spec = (await testApp.app.inject({ method: 'GET', url: '/docs/json' })).json();
  operations = [];
  for (const [path, methods] of Object.entries<Record<string, any>>(spec.paths)) {
    if (SKIPPED_PREFIXES.some((prefix) => path.startsWith(prefix))) continue;
    for (const [method, operation] of Object.entries<any>(methods)) {
      const parameters: { in: string; name: string }[] = operation.parameters ?? [];
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      operations.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyFields: Object.keys(bodySchema?.properties ?? {}),
      });
    }
  }
});
afterAll(() => testApp.close());

const hostileStrings = fc.constantFrom(
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  '9'.repeat(400),
  'NaN',
  'null',
  '../../etc/passwd',
  '%00',
  "' or 1=1 --",
  '<script>alert(1)</script>',
  '\u202e\u0000\uffff',
  '\ud800',
  '💥'.repeat(50),
  'a'.repeat(70_000),
);

function idLike() {
  return fc.oneof(
    fc.constantFrom(...ownIds, victim.orgId, victim.teamId, victim.admin.id),
    fc.uuid(),
    fc.string({ maxLength: 40 }),
    hostileStrings,
  );
}

function value(): fc.Arbitrary<unknown> {
  return fc.oneof(
    idLike(),
    fc.jsonValue({ maxDepth: 3 }),
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, 2 ** 64),
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.array(fc.string({ maxLength: 10 }), { maxLength: 50 }),
  );
}

/** Percent-encodes a value; a lone surrogate goes out as the invalid UTF-8 bytes it would be. */
function encodePathValue(text: string) {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '')) + '%ED%A0%80';
  }
}

function deepJson(depth: number) {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

function body(operation: Operation): fc.Arbitrary<{ contentType?: string; payload?: string }> {
  const fieldsObject =
    operation.bodyFields.length > 0
      ? fc.dictionary(fc.constantFrom(...operation.bodyFields), value(), { maxKeys: operation.bodyFields.length })
      : fc.object({ maxDepth: 2 });
  return fc.oneof(
    { weight: 6, arbitrary: fieldsObject.map((object) => ({ contentType: 'application/json', payload: JSON.stringify(object) })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((json) => ({ contentType: 'application/json', payload: JSON.stringify(json) })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { contentType: 'application/json', payload: '{' },
        { contentType: 'application/json', payload: '' },
        { contentType: 'application/json', payload: deepJson(5_000) },
        { contentType: 'application/json', payload: JSON.stringify({ blob: 'x'.repeat(1_100_000) }) },
        { contentType: 'application/json', payload: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}' },
        { contentType: 'text/plain', payload: 'hello' },
        { contentType: 'application/x-www-form-urlencoded', payload: 'a=1&b=2' },
        { contentType: 'application/json; charset=utf-16', payload: '{}' },
        {},
      ),
    },
  );
}

describe('fuzzing every route of the API', () => {
  it('has routes to fuzz', () => {
    expect(operations.length).toBeGreaterThan(10);
  });

  it('never answers 5xx, always answers errors in the documented shape with security headers, and never touches another organization', { timeout: 600_000 }, async () => {
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...Object.keys(callers)),
          fc.tuple(...operation.pathParams.map(() => idLike())),
          fc.dictionary(fc.constantFrom(...(operation.queryParams.length ? operation.queryParams : ['x'])), fc.oneof(idLike(), fc.integer().map(String)), { maxKeys: 3 }),
          body(operation),
          async (callerName, pathValues, query, { contentType, payload }) => {
            let url = operation.path;
            operation.pathParams.forEach((name, index) => {
              url = url.replace(`{${name}}`, encodePathValue(String(pathValues[index])));
            });
            const search = Object.entries(query)
              .map(([key, entry]) => `${encodePathValue(key)}=${encodePathValue(String(entry))}`)
              .join('&');
            const caller = callers[callerName];
            const headers: Record<string, string> = { ...(caller ? caller.headers : {}) };
            const hasBody = operation.method !== 'GET' && operation.method !== 'DELETE' && payload !== undefined;
            if (hasBody && contentType) headers['content-type'] = contentType;
            const response = await testApp.app.inject({
              method: operation.method,
              url: search ? `${url}?${search}` : url,
              headers,
              ...(hasBody ? { payload } : {}),
            });
            const where = `${operation.method} ${url.slice(0, 200)} as ${callerName} -> ${response.statusCode} ${response.body.slice(0, 300)}`;
            expect(response.statusCode, where).toBeLessThan(500);
            expect(response.headers['x-content-type-options'], `security headers missing: ${where}`).toBe('nosniff');
            expect(response.headers['content-security-policy'], `security headers missing: ${where}`).toBeDefined();
            if (response.statusCode >= 400 && response.headers['content-type']?.toString().includes('json')) {
              const parsed = JSON.parse(response.body);
              expect(parsed.error?.code, where).toBeTypeOf('string');
              expect(parsed.error?.message, where).toBeTypeOf('string');
            }
            const touchesVictim = [victim.orgId, victim.teamId].some((id) => url.includes(id));
            if (touchesVictim) expect(response.statusCode, `another organization's data leaked: ${where}`).toBeGreaterThanOrEqual(400);
          },
        ),
        { numRuns: RUNS_PER_ROUTE, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
      );
    }
    expect(await snapshotVictim()).toEqual(victimSnapshot);
    expect((await testApp.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
