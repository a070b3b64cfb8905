/** Reading stored leaves by index, in chunks a statement's parameters allow. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.ts';

/** The stored leaf text at each of these indexes (indexes with no row are left out). */
export async function leavesAt(db: Kysely<Database>, indexes: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const unique = [...new Set(indexes)];
  for (let i = 0; i < unique.length; i += 500)
    for (const l of await db
      .selectFrom('ledger')
      .select(['idx', 'leaf'])
      .where('idx', 'in', unique.slice(i, i + 500))
      .execute())
      out.set(l.idx, l.leaf);
  return out;
}
