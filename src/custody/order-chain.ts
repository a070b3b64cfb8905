/**
 * Each order's records form a chain: every release or decrypt entry names the order's previous one (`prev`),
 * so a consumer who is shown the latest can check that none between it and the first was left out, and
 * `ledger verify` checks that no entry skips one (a fork written to hide a record). The head of each chain
 * is kept in `order_chain`, read and moved inside the ledger write that appends the entries.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../store/index.ts';

// One JSON parameter per statement, whatever the number of orders: a release writes a thousand heads at a
// time, and building a statement with a parameter per value cost more than the write itself.

/** Each order's latest chained entry, read inside a ledger write; an order without one is absent. */
export async function chainHeads(trx: Transaction<Database>, sqlite: boolean, orderIds: readonly string[]): Promise<Map<string, number>> {
  const ids = JSON.stringify([...new Set(orderIds)]);
  const q = sqlite
    ? sql<{
        order_id: string;
        head: number;
      }>`select order_id, head from order_chain where order_id in (select value from json_each(${ids}))`
    : sql<{ order_id: string; head: number | string }>`select order_id, head from order_chain
        where order_id = any(array(select jsonb_array_elements_text(${ids}::jsonb)))`;
  const rows = (await q.execute(trx)).rows;
  return new Map(rows.map((r) => [r.order_id, Number(r.head)]));
}

/** Moves each order's head to its new latest entry, inside the same ledger write. */
export async function moveHeads(trx: Transaction<Database>, sqlite: boolean, heads: ReadonlyMap<string, number>): Promise<void> {
  if (heads.size === 0) return;
  const rows = JSON.stringify([...heads]);
  await (
    sqlite
      ? sql`insert into order_chain (order_id, head)
          select json_extract(value, '$[0]'), json_extract(value, '$[1]') from json_each(${rows}) where true
          on conflict (order_id) do update set head = excluded.head`
      : sql`insert into order_chain (order_id, head)
          select x->>0, (x->>1)::bigint from jsonb_array_elements(${rows}::jsonb) as x
          on conflict (order_id) do update set head = excluded.head`
  ).execute(trx);
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
