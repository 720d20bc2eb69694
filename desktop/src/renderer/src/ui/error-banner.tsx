import { ApiRequestError, describeError, isWorthRetrying } from '../api/api-error.js';

/**
 * Shows a failed request in words a person understands; a 403 says plainly that it was refused.
 * Retry is offered only where trying again can help: not for a refusal, a missing thing or bad input.
 */
export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: (() => void) | undefined }) {
  if (!error) return null;
  const forbidden = error instanceof ApiRequestError && error.status === 403;
  const retry = onRetry && isWorthRetrying(error) ? onRetry : undefined;
  return (
    <div className={forbidden ? 'banner banner-forbidden' : 'banner banner-error'} role="alert">
      <strong>{forbidden ? 'Permission denied' : 'Error'}</strong>
      <span>{describeError(error)}</span>
      {retry ? (
        <button type="button" className="button button-small" onClick={retry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
