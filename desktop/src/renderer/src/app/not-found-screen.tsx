import { Link } from 'react-router';
import { paths } from './paths.js';

export function NotFoundScreen() {
  return (
    <main className="full-page-center">
      <div className="card narrow">
        <h1>Page not found</h1>
        <p className="muted">There is nothing at this address.</p>
        <Link className="button button-primary" to={paths.home}>
          Go home
        </Link>
      </div>
    </main>
  );
}
