import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, signUp, type SignedInUser, type TestApp } from '../helpers/test-app.js';
import { createLocalRbacWorld } from '../rbac/local-world.js';
import { controlLacedText } from './control-text.js';

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
  bodySchema?: { properties?: Record<string, PropertySchema>; required?: string[] };
}

interface PropertySchema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
}

let testApp: TestApp;
let operations: Operation[];
let callers: Record<string, SignedInUser | null | { headers: { authorization: string } }>;
let ownIds: string[];
let victim: { admin: SignedInUser; orgId: string; teamId: string };
let victimSnapshot: unknown;
/**
 * The text-rule fuzzing's own admin, organization and resources (real ids by path parameter or
 * body field name), so its requests reach the handlers: the first fuzzing may sign `admin` out.
 */
let textAdmin: SignedInUser;
let realIds: Record<string, string>;

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

  textAdmin = await signUp(testApp.app, 'Text');
  const textOrg = (await call(testApp.app, textAdmin, 'POST', '/api/orgs', { name: 'Text rules' })).body;
  const textTeam = (await call(testApp.app, textAdmin, 'POST', `/api/orgs/${textOrg.id}/teams`, { name: 'Writers' })).body;
  const channelId = (await call(testApp.app, textAdmin, 'GET', `/api/orgs/${textOrg.id}/channels`)).body.channels[0].id;
  const message = (await call(testApp.app, textAdmin, 'POST', `/api/channels/${channelId}/messages`, { clientId: crypto.randomUUID(), body: 'fuzz target' }))
    .body.message;
  const meeting = (await call(testApp.app, textAdmin, 'POST', '/api/meetings', { orgId: textOrg.id, title: 'Fuzz target' })).body;
  realIds = { orgId: textOrg.id, teamId: textTeam.id, channelId, messageId: message.id, id: meeting.id };

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
        bodySchema,
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
  'name\u0000',
  '\u0000',
  'bell\u0007 escape\u001b[2J del\u007f nel\u0085 csi\u009b',
  'line\r\nbreak\u2028separator',
  '\ud800',
  '💥'.repeat(50),
  'a'.repeat(70_000),
);

function idLike() {
  return fc.oneof(fc.constantFrom(...ownIds, victim.orgId, victim.teamId, victim.admin.id), fc.uuid(), fc.string({ maxLength: 40 }), hostileStrings);
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

  it(
    'never answers 5xx, always answers errors in the documented shape with security headers, and never touches another organization',
    { timeout: 600_000 },
    async () => {
      for (const operation of operations) {
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...Object.keys(callers)),
            fc.tuple(...operation.pathParams.map(() => idLike())),
            fc.dictionary(fc.constantFrom(...(operation.queryParams.length ? operation.queryParams : ['x'])), fc.oneof(idLike(), fc.integer().map(String)), {
              maxKeys: 3,
            }),
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
    },
  );
});

/** A value the field's schema accepts, so that only the text under test can make the request fail. */
function acceptedValue(name: string, schema: PropertySchema): unknown {
  if (realIds[name]) return realIds[name];
  if (schema.enum) return schema.enum[0];
  if (schema.format === 'uuid') return crypto.randomUUID();
  if (schema.format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
  if (schema.format === 'email') return `fuzz-${crypto.randomUUID()}@example.test`;
  if (schema.type === 'integer' || schema.type === 'number') return Math.max(1, schema.minimum ?? 1);
  if (schema.type === 'array') return [];
  if (schema.type === 'boolean') return true;
  return 'ordinary text 12345';
}

describe('fuzzing the text rules', () => {
  it(
    'control characters in any text field of an otherwise valid request never answer 5xx; fields under the text rules answer 422 naming the field',
    { timeout: 300_000 },
    async () => {
      const textRoutes = operations.flatMap((operation) =>
        Object.entries(operation.bodySchema?.properties ?? {})
          .filter(([, schema]) => schema.type === 'string' && !schema.format && !schema.enum)
          .map(([field, schema]) => ({ operation, field, pattern: schema.pattern?.includes('\\u0000') ? new RegExp(schema.pattern) : undefined })),
      );
      for (const { operation, field, pattern } of textRoutes) {
        await fc.assert(
          fc.asyncProperty(controlLacedText, async (text) => {
            let url = operation.path;
            for (const name of operation.pathParams) url = url.replace(`{${name}}`, encodeURIComponent(realIds[name] ?? '👍'));
            const payload: Record<string, unknown> = {};
            for (const [name, schema] of Object.entries(operation.bodySchema?.properties ?? {})) {
              if (name === field) payload[name] = text;
              else if (operation.bodySchema?.required?.includes(name) || schema.pattern) payload[name] = acceptedValue(name, schema);
            }
            if (url === '/api/auth/signup') payload.password = 'correct horse battery';
            const response = await testApp.app.inject({ method: operation.method, url, headers: textAdmin.headers, payload });
            const where = `${operation.method} ${url} ${field}=${JSON.stringify(text)} -> ${response.statusCode} ${response.body.slice(0, 300)}`;
            expect(response.statusCode, where).toBeLessThan(500);
            // Trimmed fields may lose a leading or trailing line break before the rule applies.
            if (pattern && !pattern.test(text) && !pattern.test(text.trim())) {
              expect(response.statusCode, where).toBe(422);
              expect(response.json().error.message, where).toContain(`body.${field}:`);
            }
          }),
          { numRuns: Math.max(10, Math.round(RUNS_PER_ROUTE / 2)), seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
        );
      }
      // Names of people, organizations, teams and channels; meeting titles and descriptions; message bodies; reactions.
      const ruled = textRoutes.filter(({ pattern }) => pattern);
      expect(ruled.map(({ operation, field }) => `${operation.method} ${operation.path} ${field}`)).toEqual(
        expect.arrayContaining([
          'POST /api/auth/signup name',
          'POST /api/orgs name',
          'POST /api/orgs/{orgId}/teams name',
          'POST /api/teams/{teamId}/channels name',
          'POST /api/meetings/ title',
          'POST /api/meetings/ description',
          'PATCH /api/meetings/{id} title',
          'PATCH /api/meetings/{id} description',
          'POST /api/channels/{channelId}/messages body',
        ]),
      );
    },
  );
});
