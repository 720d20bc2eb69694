import { and, eq, lt } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { streamWebhookDeliveries } from '../../db/schema/index.js';

/**
 * Records a Stream delivery by the hash of its signed body; false when that body was seen before
 * (a retry or a replay). Rows older than `retentionMs` are pruned: by then the event is refused
 * as stale anyway.
 */
export async function recordStreamDelivery(db: Queryable, bodySha256: string, eventType: string, now: Date, retentionMs: number): Promise<boolean> {
  const inserted = await db
    .insert(streamWebhookDeliveries)
    .values({ bodySha256, eventType, receivedAt: now })
    .onConflictDoNothing()
    .returning({ bodySha256: streamWebhookDeliveries.bodySha256 });
  await db.delete(streamWebhookDeliveries).where(lt(streamWebhookDeliveries.receivedAt, new Date(now.getTime() - retentionMs)));
  return inserted.length > 0;
}

/** Forgets a delivery whose event could not be applied, so Stream's retry is applied instead of ignored. */
export async function forgetStreamDelivery(db: Queryable, bodySha256: string, now: Date): Promise<void> {
  await db.delete(streamWebhookDeliveries).where(and(eq(streamWebhookDeliveries.bodySha256, bodySha256), eq(streamWebhookDeliveries.receivedAt, now)));
}
