import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { vi } from 'vitest';
import { usingPostgres } from './test-database.js';

export interface QueryWatch {
  /** The SQL of every statement sent since the watch began. */
  statements(): string[];
  stop(): void;
}

/**
 * Watches the statements the app sends to its database, on whichever engine the tests run: every
 * query goes through PGlite's `query` in the embedded database, and through a `pg` client's
 * `query` on a PostgreSQL server (the pool lends its clients for each one).
 */
export function watchQueries(): QueryWatch {
  const spy = usingPostgres() ? vi.spyOn(pg.Client.prototype, 'query') : vi.spyOn(PGlite.prototype, 'query');
  return {
    statements: () =>
      spy.mock.calls.map(([query]: unknown[]) => (typeof query === 'string' ? query : ((query as { text?: string } | undefined)?.text ?? String(query)))),
    stop: () => spy.mockRestore(),
  };
}
