import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * `column = any($1::uuid[])`: one parameter however many ids. `inArray` sends one parameter per id,
 * and a statement with hundreds of them takes the embedded database tens of milliseconds to parse
 * and plan, which a client could ask for on every frame.
 */
export function anyUuid(column: AnyColumn | SQL, ids: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...ids])}::uuid[])`;
}
