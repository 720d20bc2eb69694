import { TeamDetailSchema } from '@collaro/shared';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compiledSerializerCompiler } from '../../src/response-serializer.js';

const compile = (schema: z.ZodType) => compiledSerializerCompiler({ schema, method: 'GET', url: '/', httpStatus: '200' }) as (data: unknown) => string;

describe('responses serialized by compiled schemas', () => {
  it('writes only the properties the schema declares, so nothing a query picked up by mistake leaves the server', () => {
    const serialize = compile(TeamDetailSchema);
    const team = {
      id: 't1',
      orgId: 'o1',
      name: 'Readers',
      members: [{ userId: 'u1', name: 'Ada', role: 'lead', passwordHash: '$argon2id$secret' }],
      inviteToken: 'secret',
    };
    expect(JSON.parse(serialize(team))).toEqual({ id: 't1', orgId: 'o1', name: 'Readers', members: [{ userId: 'u1', name: 'Ada', role: 'lead' }] });
  });

  it('fails an answer that lacks a required property instead of sending it', () => {
    const serialize = compile(TeamDetailSchema);
    expect(() => serialize({ id: 't1', orgId: 'o1', members: [] })).toThrow(/name/);
  });

  it('keeps zod for a schema that has no JSON Schema form (a date)', () => {
    const serialize = compile(z.object({ at: z.date() }));
    expect(JSON.parse(serialize({ at: new Date(0), extra: 1 }))).toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });
});
