/**
 * Each order's records form a chain: every release or decrypt entry names the order's previous one (`prev`),
 * so a consumer who is shown the latest can check that none between it and the first was left out, and
 * `ledger verify` checks that no entry skips one (a fork written to hide a record). The head of each chain
 * is kept in `order_chain`, read and moved inside the ledger write that appends the entries.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../store/index.ts';

const CHUNK = 500;

/** Each order's latest chained entry, read inside a ledger write; an order without one is absent. */
export async function chainHeads(trx: Transaction<Database>, orderIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const ids = [...new Set(orderIds)];
  for (let i = 0; i < ids.length; i += CHUNK)
    for (const r of await trx
      .selectFrom('order_chain')
      .select(['order_id', 'head'])
      .where('order_id', 'in', ids.slice(i, i + CHUNK))
      .execute())
      out.set(r.order_id, r.head);
  return out;
}

/** Moves each order's head to its new latest entry, inside the same ledger write. */
export async function moveHeads(trx: Transaction<Database>, heads: ReadonlyMap<string, number>): Promise<void> {
  const rows = [...heads].map(([order_id, head]) => ({ order_id, head }));
  for (let i = 0; i < rows.length; i += CHUNK)
    await trx
      .insertInto('order_chain')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.column('order_id').doUpdateSet((eb) => ({ head: eb.ref('excluded.head') })))
      .execute();
}

/**
 * The `prev` of each of a write's entries about these orders, entry k at index base + k: the entry before it
 * in this write, or the stored head. Returns the heads to store after the write.
 */
export function chainLinks(
  orderIds: readonly string[],
  base: number,
  stored: ReadonlyMap<string, number>,
): { prev: (number | null)[]; heads: Map<string, number> } {
  const heads = new Map<string, number>();
  const prev = orderIds.map((id, k) => {
    const p = heads.get(id) ?? stored.get(id) ?? null;
    heads.set(id, base + k);
    return p;
  });
  return { prev, heads };
}
