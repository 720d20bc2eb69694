import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiErrorSchema, StreamWebhookEventSchema } from '@collaro/shared';
import { z } from 'zod';
import { HttpError, unauthorized, unprocessable } from '../../http-errors.js';
import type { MeetingService } from '../../meetings/meeting-service.js';
import type { StreamProvider } from '../../meetings/providers/stream.js';

const WebhookHeadersSchema = z.object({
  'x-signature': z.string().min(1).max(256).optional(),
  'x-api-key': z.string().max(256).optional(),
});

const WebhookResultSchema = z.object({ result: z.enum(['applied', 'ignored']) });

/**
 * Stream's call events. The signature covers the exact bytes Stream sent, so this plugin keeps
 * JSON bodies raw (its parser is scoped to this plugin) and verifies before parsing anything.
 */
export const streamWebhookRoutes: FastifyPluginAsyncZod<{ meetings: MeetingService; stream: StreamProvider; apiKey: string }> = async (
  app,
  { meetings, stream, apiKey },
) => {
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/',
    {
      schema: {
        tags: ['webhooks'],
        headers: WebhookHeadersSchema,
        response: { 200: WebhookResultSchema, 400: ApiErrorSchema, 401: ApiErrorSchema, 422: ApiErrorSchema },
      },
    },
    async (request) => {
      const signature = request.headers['x-signature'];
      if (!signature) throw unauthorized('Missing X-Signature header');
      const givenKey = request.headers['x-api-key'];
      if (givenKey !== undefined && givenKey !== apiKey) throw unauthorized('X-Api-Key does not match this server\'s Stream app');
      const raw = request.body;
      if (!Buffer.isBuffer(raw)) throw new HttpError(400, 'bad_request', 'Expected a JSON body');
      if (!stream.verifyWebhook(raw, signature)) throw unauthorized('Webhook signature does not match the body');
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new HttpError(400, 'bad_request', 'Body is not valid JSON');
      }
      const parsed = StreamWebhookEventSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw unprocessable(`body.${issue.path.join('.')}: ${issue.message}`);
      }
      return { result: await meetings.applyStreamEvent(parsed.data.type, parsed.data.call_cid) };
    },
  );
};
