import { endpoint } from '@collaro/shared';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type FastifyPluginAsyncZod, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { endpointRoute } from '../../src/contract-route.js';

const ThingSchema = z.object({ id: z.uuid(), name: z.string() });
const things = {
  rename: endpoint({
    method: 'PATCH',
    path: '/api/things/:thingId',
    tags: ['things'],
    params: z.object({ thingId: z.uuid() }),
    query: z.object({ dryRun: z.enum(['yes', 'no']).default('no') }),
    body: z.object({ name: z.string().min(1) }),
    responses: { 200: ThingSchema, 400: z.object({ message: z.string() }) },
  }),
  list: endpoint({ method: 'GET', path: '/api/things', tags: ['things'], responses: { 200: z.object({ things: z.array(ThingSchema) }) } }),
};
const ID = '5e8b0c9a-0000-4000-8000-000000000001';

let app: ReturnType<typeof bareApp> | undefined;
function bareApp() {
  const instance = Fastify().withTypeProvider<ZodTypeProvider>();
  instance.setValidatorCompiler(validatorCompiler);
  instance.setSerializerCompiler(serializerCompiler);
  return instance;
}
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const thingRoutes: FastifyPluginAsyncZod = async (scope) => {
  endpointRoute(scope, things.rename, async (request) => ({
    id: request.params.thingId,
    name: `${request.body.name}${request.query.dryRun === 'yes' ? ' (dry run)' : ''}`,
    // Not in the response schema: never sent.
    secret: 'x',
  }));
  endpointRoute(scope, things.list, async () => ({ things: [] }), { trailingSlash: true });
};

describe('routes registered from contract entries', () => {
  it('answers the declared method and path under the plugin prefix, with typed and validated input', async () => {
    app = bareApp();
    await app.register(thingRoutes, { prefix: '/api/things' });
    const ok = await app.inject({ method: 'PATCH', url: `/api/things/${ID}?dryRun=yes`, payload: { name: 'Lamp' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ id: ID, name: 'Lamp (dry run)' });
    expect((await app.inject({ method: 'POST', url: `/api/things/${ID}`, payload: { name: 'Lamp' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'PATCH', url: '/api/things/not-a-uuid', payload: { name: 'Lamp' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'PATCH', url: `/api/things/${ID}`, payload: { name: '' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'PATCH', url: `/api/things/${ID}?dryRun=maybe`, payload: { name: 'Lamp' } })).statusCode).toBe(400);
  });

  it('keeps the trailing-slash form of a route at the prefix itself only when asked', async () => {
    app = bareApp();
    await app.register(thingRoutes, { prefix: '/api/things' });
    expect((await app.inject({ method: 'GET', url: '/api/things' })).json()).toEqual({ things: [] });
    expect((await app.inject({ method: 'GET', url: '/api/things/' })).statusCode).toBe(200);
    const routes = app.printRoutes({ commonPrefix: false });
    expect(routes).toContain('/api/things (GET, HEAD)');
  });

  it('registers the full path at the root, and refuses a prefix the path does not begin with', async () => {
    app = bareApp();
    endpointRoute(app, things.list, async () => ({ things: [] }));
    expect((await app.inject({ method: 'GET', url: '/api/things' })).statusCode).toBe(200);
    for (const prefix of ['/api/other', '/api/thing']) {
      const refused = bareApp().register(async (scope) => endpointRoute(scope, things.list, async () => ({ things: [] })), { prefix });
      await expect(refused).rejects.toThrow(`GET /api/things cannot be registered under the prefix ${prefix}`);
    }
  });

  it('types a handler by the endpoint', () => {
    const typeChecks: FastifyPluginAsyncZod = async (scope) => {
      endpointRoute(scope, things.rename, async (request) => {
        // @ts-expect-error: the path has no :id
        void request.params.id;
        // @ts-expect-error: name is a string
        const name: number = request.body.name;
        return { id: request.params.thingId, name: String(name) };
      });
      // @ts-expect-error: the answer lacks the schema's name
      endpointRoute(scope, things.rename, async (request) => ({ id: request.params.thingId }));
    };
    expect(typeChecks).toBeTypeOf('function');
  });
});
