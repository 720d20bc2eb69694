import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { MIGRATIONS_DIR } from '../repository-paths.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** The one query interface the repositories see, whichever engine is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Queryable = Database | Transaction;

/**
 * Prepares a statement once per database and reuses it: for queries on every request's path,
 * where building the SQL and having the server parse it again each time would show.
 */
export function preparedPerDatabase<Statement>(prepare: (db: Database) => Statement): (db: Database) => Statement {
  const statements = new WeakMap<Database, Statement>();
  return (db) => {
    let statement = statements.get(db);
    if (!statement) {
      statement = prepare(db);
      statements.set(db, statement);
    }
    return statement;
  };
}

export const DEFAULT_DATABASE_TIMEOUT_MS = 10_000;

/**
 * The embedded PostgreSQL runs one session in this process, so it is sized for that: PGlite's
 * defaults (a server's 128 MB of shared buffers and 100 connection slots) are allocated and zeroed
 * inside the WebAssembly heap at every start, which cost about 120 MB of resident memory and 40%
 * of the database's start-up time. Pages missed in the smaller buffer pool are read back from the
 * operating system's file cache.
 */
const EMBEDDED_POSTGRES_START_PARAMS = ['-c', 'shared_buffers=16MB', '-c', 'max_connections=8'];

export type DatabaseTarget =
  { kind: 'postgres'; url: string; poolSize?: number; timeoutMs?: number } | { kind: 'embedded'; dataDir: string } | { kind: 'memory' };

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseTarget['kind'];
  /** Where the embedded database keeps its files, for the start-up log. */
  location: string;
  migrate(): Promise<void>;
  /** Cheap liveness probe used by health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Each engine's driver is loaded when a database of its kind is opened, not with the server: a
 * server on the embedded database never loads the PostgreSQL client, and the other way round.
 */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
      import('drizzle-orm/node-postgres/migrator'),
    ]);
    const timeoutMs = target.timeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS;
    // Bounded waits everywhere: a slow or vanished server fails requests quickly (as 503) instead of
    // letting them pile up behind the pool.
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      statement_timeout: timeoutMs,
    });
    // An idle client losing its server must not take the process down; the next query reports it.
    pool.on('error', () => {});
    const db = drizzlePg({ client: pool, schema }) as unknown as Database;
    return {
      db,
      kind: 'postgres',
      location: redactUrl(target.url),
      // Migrations get a connection of their own without the request timeouts: building an index on
      // a large table may rightly take longer than any request should.
      migrate: async () => {
        const migrationPool = new pg.Pool({ connectionString: target.url, max: 1 });
        try {
          await migratePg(drizzlePg({ client: migrationPool, schema }), { migrationsFolder: MIGRATIONS_DIR });
        } finally {
          await migrationPool.end();
        }
      },
      ping: async () => {
        await pool.query('select 1');
      },
      close: () => pool.end(),
    };
  }
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const options = { startParams: [...PGlite.defaultStartParams, ...EMBEDDED_POSTGRES_START_PARAMS] };
  let client: PGlite;
  let location: string;
  if (target.kind === 'embedded') {
    location = path.join(target.dataDir, 'pgdata');
    await mkdir(location, { recursive: true });
    client = new PGlite(location, options);
  } else {
    location = 'memory';
    client = new PGlite(options);
  }
  await client.waitReady;
  const pgliteDb = drizzlePglite({ client, schema });
  return {
    db: pgliteDb as unknown as Database,
    kind: target.kind,
    location,
    migrate: () => migratePglite(pgliteDb, { migrationsFolder: MIGRATIONS_DIR }),
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}

function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
