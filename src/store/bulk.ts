/**
 * Many-row inserts inside a transaction. On SQLite a cached prepared statement runs once per row, which is
 * several times cheaper than building a multi-row INSERT through the query builder; better-sqlite3 has one
 * connection, so the statement runs inside the transaction the builder opened. PostgreSQL gets multi-row
 * INSERTs of 500 rows.
 */
import type { Insertable, Transaction } from 'kysely';
import type { Store } from './db.ts';
import type { Database } from './schema.ts';

type Value = string | number | bigint | Buffer | null;

/** Inserts `rows` (all with the same columns) into `table` through `trx`. */
export async function insertRows<T extends keyof Database>(
  store: Store,
  trx: Transaction<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const raw = store.sqlite;
  if (raw) {
    const cols = Object.keys(first);
    const stmt = raw.statement(
      `insert into "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})`,
    );
    for (const r of rows) stmt.run(cols.map((c) => (r as Record<string, Value>)[c] ?? null));
    return;
  }
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + 500))
      .execute();
}
