import { Link, isRouteErrorResponse, useLocation, useNavigate, useRouteError, type RouteObject } from 'react-router';
import { paths } from './paths.js';

/** A screen's code could not be downloaded, even after retrying. */
export class ScreenLoadError extends Error {
  override name = 'ScreenLoadError';
}

const RETRY_DELAYS_MS = [400, 1_500];

/**
 * Downloads a screen's code, trying again twice (a dropped connection or a server restarting is
 * often over within a second or two) before giving up with a ScreenLoadError.
 */
export async function loadWithRetries<T>(load: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await load();
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined) throw new ScreenLoadError('This screen could not be downloaded', { cause: error });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Every lazily loaded route (including the ones other features register) retries its download. */
export function retryingLazyRoutes(routes: RouteObject[]): RouteObject[] {
  return routes.map((route) => {
    const lazy = typeof route.lazy === 'function' ? route.lazy : null;
    const children = route.children ? retryingLazyRoutes(route.children) : undefined;
    return {
      ...route,
      ...(lazy ? { lazy: () => loadWithRetries(lazy) } : {}),
      ...(children ? { children } : {}),
    } as RouteObject;
  });
}

/**
 * What a person sees when a screen fails: a plain sentence and a way forward, never a stack trace.
 * `inShell` keeps the sidebar around it; otherwise it fills the window.
 */
export function RouteErrorScreen({ inShell = false }: { inShell?: boolean }) {
  const error = useRouteError();
  const navigate = useNavigate();
  const location = useLocation();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const download =
    error instanceof ScreenLoadError || (error instanceof Error && /dynamically imported module|module script|Loading chunk/i.test(error.message));
  const card = (
    <div className="card narrow" role="alert" data-testid="route-error">
      <h1>{notFound ? 'Page not found' : download ? 'This screen could not be loaded' : 'Something went wrong on this screen'}</h1>
      <p>
        {notFound
          ? 'There is nothing at this address.'
          : download
            ? 'Collaro could not reach the server to download it. Check your connection; reloading also picks up a newer version of Collaro if the server was updated.'
            : 'Collaro hit a problem showing this screen. Trying again usually helps; if it keeps happening, reload the app.'}
      </p>
      <div className="row">
        {download ? (
          <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
            Reload Collaro
          </button>
        ) : notFound ? null : (
          <button type="button" className="button button-primary" onClick={() => void navigate(`${location.pathname}${location.search}`, { replace: true })}>
            Retry
          </button>
        )}
        <Link className="button" to={paths.home}>
          Go home
        </Link>
      </div>
    </div>
  );
  return inShell ? <div className="page">{card}</div> : <main className="full-page-center">{card}</main>;
}
