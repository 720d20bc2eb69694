import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Stream webhook deliveries already applied, by the SHA-256 of the signed body. Stream's
 * X-Webhook-Id header is not covered by the signature, so a replayed body could carry any id;
 * the body's own hash recognises a replay (and Stream's retries) whatever the headers say.
 */
export const streamWebhookDeliveries = pgTable(
  'stream_webhook_deliveries',
  {
    bodySha256: text('body_sha256').primaryKey(),
    eventType: text('event_type').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('stream_webhook_deliveries_received_idx').on(t.receivedAt)],
);
