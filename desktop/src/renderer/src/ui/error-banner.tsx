import { ApiRequestError, describeError } from '../api/api-error.js';

/** Shows a failed request the way the server explained it; a 403 says plainly that it was refused. */
export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  const forbidden = error instanceof ApiRequestError && error.status === 403;
  return (
    <div className={forbidden ? 'banner banner-forbidden' : 'banner banner-error'} role="alert">
      <strong>{forbidden ? 'Permission denied' : 'Error'}</strong>
      <span>{describeError(error)}</span>
      {onRetry ? (
        <button type="button" className="button button-small" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
