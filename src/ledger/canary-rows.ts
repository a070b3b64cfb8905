/**
 * Every canary planting and hit in the ledger must have its registry row, and every row must say what its
 * entries say: a canary's route (order, monitored number, station, courier) opens its planting entry's
 * commitment, and a row marked hit cites a hit entry for its planting. Trace reads only the entries (canary-evidence.ts); this names
 * the row edits so that whoever keeps the registry learns of them.
 */
import { sql } from 'kysely';
import type { Store } from '../store/index.ts';
import { CANARY_HIT_LEAF, CANARY_LEAF, decodeEntry } from './entry.ts';
import type { ReleaseKeys } from './release-rows.ts';
import type { LedgerProblem } from './problem.ts';

/** Checks the canary registry against the canary entries; returns how many rows it checked. */
export async function checkCanaryRows(store: Store, keys: ReleaseKeys, report: (p: LedgerProblem) => void): Promise<number> {
  const entries = async (predicate: string): Promise<Map<number, Record<string, unknown>>> =>
    new Map(
      (
        await store.db
          .selectFrom('ledger')
          .select(['idx', 'leaf'])
          .where(sql<boolean>`${sql.raw(predicate)}`)
          .execute()
      ).map((r) => [r.idx, decodeEntry(r.leaf) as unknown as Record<string, unknown>]),
    );
  const plants = await entries(CANARY_LEAF);
  const hits = new Map([...(await entries(CANARY_HIT_LEAF))].filter(([, e]) => e.t === 'canary_hit'));
  const rows = await store.db
    .selectFrom('canaries')
    .innerJoin('orders', 'orders.id', 'canaries.order_id')
    .select([
      'canaries.order_id',
      'canaries.plant_idx',
      'canaries.hit_idx',
      'canaries.hit_at',
      'canaries.phone_ref',
      'orders.station_id',
      'orders.courier_id',
    ])
    .where('canaries.plant_idx', 'is not', null)
    .execute();
  const claimed = new Map<number, number>();
  for (const r of rows) {
    const idx = r.plant_idx as number;
    claimed.set(idx, (claimed.get(idx) ?? 0) + 1);
    const bad = (what: string): void => {
      report({ kind: 'canary', index: idx, message: `canary row of order ${r.order_id} (entry ${idx}): ${what}` });
    };
    const e = plants.get(idx);
    if (e?.t !== 'canary') bad('its planting entry is missing');
    else if (
      keys.canaryRoute(idx, { orderId: r.order_id, phoneRef: r.phone_ref ?? '', station: r.station_id, courier: r.courier_id }) !== e.route
    )
      bad('the order, monitored number, station or courier is not the route its planting entry commits to');
    if (r.hit_idx !== null && Number(hits.get(r.hit_idx)?.canary) !== idx) bad(`entry ${r.hit_idx} is not a hit of this canary`);
    if (r.hit_idx === null && r.hit_at !== null) bad('it is marked hit without a hit entry');
  }
  for (const [idx, e] of plants)
    if (e.t === 'canary' && (claimed.get(idx) ?? 0) !== 1)
      report({
        kind: 'canary',
        index: idx,
        message: `canary entry ${idx} is claimed by ${claimed.get(idx) ?? 0} registry rows, not one: a row was deleted, copied or re-pointed`,
      });
  const hitRows = new Set(rows.map((r) => r.hit_idx));
  for (const [idx, e] of hits)
    if (!hitRows.has(idx))
      report({
        kind: 'canary',
        index: idx,
        message: `canary hit entry ${idx} (of entry ${String(e.canary)}) has no registry row marked hit`,
      });
  return rows.length;
}
