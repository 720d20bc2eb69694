import type { ErrorCode } from '@collaro/shared';

/** What the policy and the services can refuse with: the API's error codes a request or a frame can cause. */
export type DomainErrorCode = Exclude<ErrorCode, 'unsupported_media_type' | 'internal'>;

/**
 * A refusal meant for the client, in the domain's words: what went wrong (`code`) and why (`message`).
 * It knows nothing of its transport: `plugins/errors.ts` turns it into an HTTP answer and
 * `realtime/frame-intake.ts` into an `error` frame, each in one place.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** When the client may try again (rate limits). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badRequest = (message: string) => new DomainError('bad_request', message);
export const unauthorized = (message = 'Authentication required') => new DomainError('unauthorized', message);
export const forbidden = (message = 'You do not have permission to do this') => new DomainError('forbidden', message);
export const notFound = (what = 'Resource') => new DomainError('not_found', `${what} not found`);
export const conflict = (message: string) => new DomainError('conflict', message);
export const unprocessable = (message: string) => new DomainError('validation_failed', message);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new DomainError('rate_limited', `Too many attempts; try again in ${retryAfterSeconds} seconds`, retryAfterSeconds);
