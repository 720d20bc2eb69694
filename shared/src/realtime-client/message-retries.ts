import type { FrameErrorCode, ServerFrameOf } from '../ws/frames.js';

/**
 * How often one outbox message is sent again after each error that may pass; no error is retried
 * forever. `rate_limited` is the server pacing the client (it says when to come back); `internal`
 * may be a passing fault, retried after 1, 2 and 4 seconds. After the last retry the message is
 * settled as failed, and the messages queued behind it go out.
 */
const RETRY_LIMITS: Partial<Record<FrameErrorCode, number>> = { rate_limited: 20, internal: 3 };
const INTERNAL_RETRY_DELAY_MS = 1_000;

/** Retries so far of one message, per error code. */
export type RetryCounts = Partial<Record<FrameErrorCode, number>>;

/** The delay before sending again, or null when this error settles the message as failed. */
export function retryDelayAfter(error: ServerFrameOf<'error'>, retries: RetryCounts): number | null {
  const retried = retries[error.code] ?? 0;
  if (retried >= (RETRY_LIMITS[error.code] ?? 0)) return null;
  retries[error.code] = retried + 1;
  return error.code === 'internal' ? INTERNAL_RETRY_DELAY_MS * 2 ** retried : (error.retryAfterMs ?? 1000);
}

export class MessageRejectedError extends Error {
  override name = 'MessageRejectedError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** False when the server refused the message for good (invalid, forbidden): sending it again cannot help. */
  get retryable(): boolean {
    return this.code in RETRY_LIMITS || this.code === 'unauthorized';
  }
}
