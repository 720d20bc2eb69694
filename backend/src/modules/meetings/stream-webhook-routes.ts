import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiErrorSchema, StreamWebhookEventSchema } from '@collaro/shared';
import { z } from 'zod';
import { DomainError, unauthorized, unprocessable } from '../../domain-errors.js';
import type { MeetingService } from './service.js';
import type { StreamProvider } from './providers/stream.js';
import { forgetStreamDelivery, recordStreamDelivery } from './stream-webhook-repository.js';

const WebhookHeadersSchema = z.object({
  'x-signature': z.string().min(1).max(256).optional(),
  'x-api-key': z.string().max(256).optional(),
});

const WebhookResultSchema = z.object({ result: z.enum(['applied', 'ignored', 'duplicate']) });

/** An event that happened longer ago than this is refused: a replay, or a retry Stream gave up on. */
export const STREAM_WEBHOOK_MAX_AGE_MS = 10 * 60 * 1000;
/** Clocks disagree a little; an event dated further ahead than this is refused too. */
export const STREAM_WEBHOOK_MAX_SKEW_MS = 5 * 60 * 1000;
/** Seen bodies are remembered longer than an event stays acceptable, so no replay slips between the two. */
const DELIVERY_RETENTION_MS = 2 * (STREAM_WEBHOOK_MAX_AGE_MS + STREAM_WEBHOOK_MAX_SKEW_MS);
/** The largest body accepted once inflated, as large as the server's limit for a plain body. */
const MAX_INFLATED_BYTES = 1024 * 1024;
/** RFC 1952: every gzip stream starts with these two bytes, and no JSON text does. */
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

const gunzipAsync = promisify(gunzip);

/**
 * Stream sends gzip-compressed bodies (Content-Encoding: gzip) when compression is on for the app,
 * and signs the uncompressed JSON. The gzip magic bytes decide rather than the header, so a proxy
 * that already inflated the body does not break verification. Inflation is bounded: it runs before
 * the signature can be checked, so anyone can send a small body that inflates to gigabytes.
 */
async function inflate(raw: Buffer): Promise<Buffer> {
  if (!raw.subarray(0, 2).equals(GZIP_MAGIC)) return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DomainError('payload_too_large', `Webhook body inflates to more than ${MAX_INFLATED_BYTES} bytes`);
    }
    throw new DomainError('bad_request', 'Webhook body is not valid gzip');
  }
}

export interface StreamWebhookRoutesOptions {
  meetings: MeetingService;
  stream: StreamProvider;
  apiKey: string;
  now: () => Date;
}

/**
 * Stream's call events. The signature covers the exact bytes Stream sent (before compression), so
 * this plugin keeps JSON bodies raw (its parser is scoped to this plugin) and verifies before
 * parsing anything. Like the Clerk path, it refuses stale events and applies each delivery once:
 * the event's `created_at` (inside the signed body) must be recent, and a body already applied
 * (Stream's retry, or a captured delivery sent again) is acknowledged as a duplicate.
 */
export const streamWebhookRoutes: FastifyPluginAsyncZod<StreamWebhookRoutesOptions> = async (app, { meetings, stream, apiKey, now }) => {
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/',
    {
      schema: {
        tags: ['webhooks'],
        headers: WebhookHeadersSchema,
        response: { 200: WebhookResultSchema, 400: ApiErrorSchema, 401: ApiErrorSchema, 413: ApiErrorSchema, 422: ApiErrorSchema },
      },
    },
    async (request) => {
      const signature = request.headers['x-signature'];
      if (!signature) throw unauthorized('Missing X-Signature header');
      const givenKey = request.headers['x-api-key'];
      if (givenKey !== undefined && givenKey !== apiKey) throw unauthorized("X-Api-Key does not match this server's Stream app");
      if (!Buffer.isBuffer(request.body)) throw new DomainError('bad_request', 'Expected a JSON body');
      const body = await inflate(request.body);
      if (!stream.verifyWebhook(body, signature)) throw unauthorized('Webhook signature does not match the body');
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        throw new DomainError('bad_request', 'Body is not valid JSON');
      }
      const parsed = StreamWebhookEventSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw unprocessable(`body.${issue.path.join('.')}: ${issue.message}`);
      }
      const event = parsed.data;
      const receivedAt = now();
      const occurredAt = new Date(event.created_at);
      if (receivedAt.getTime() - occurredAt.getTime() > STREAM_WEBHOOK_MAX_AGE_MS) {
        throw unauthorized(`Webhook event is more than ${STREAM_WEBHOOK_MAX_AGE_MS / 60_000} minutes old (created_at ${event.created_at})`);
      }
      if (occurredAt.getTime() - receivedAt.getTime() > STREAM_WEBHOOK_MAX_SKEW_MS) {
        throw unauthorized(`Webhook event is dated more than ${STREAM_WEBHOOK_MAX_SKEW_MS / 60_000} minutes ahead (created_at ${event.created_at})`);
      }

      const bodySha256 = createHash('sha256').update(body).digest('hex');
      if (!(await recordStreamDelivery(app.db, bodySha256, event.type, receivedAt, DELIVERY_RETENTION_MS))) {
        request.log.info({ type: event.type, webhookId: request.headers['x-webhook-id'] }, 'Stream webhook already applied');
        return { result: 'duplicate' as const };
      }
      try {
        return { result: await meetings.applyStreamEvent(event.type, event.call_cid) };
      } catch (error) {
        await forgetStreamDelivery(app.db, bodySha256, receivedAt);
        throw error;
      }
    },
  );
};
