/**
 * What a release must know of earlier ones, read inside its ledger transaction: the party's own earlier
 * views of the orders (kept as they were), and the virtual numbers the consumers already hold, which a new
 * view's number must avoid (AXB allows one binding per consumer on a number; beyond that, a consumer is never
 * given a number twice while the pool has others, numbers.ts). Numbers are compared by their blind indexes,
 * never opened. Reading every binding of every consumer cost more than anything else the writing thread did
 * per view, mostly in turning rows into objects, so the probe asks only whether each new view's first number
 * was ever this consumer's (rare with a pool of any size); a consumer whose first number was has all its
 * bindings read.
 */
import { sql, type Transaction } from 'kysely';
import { commaList, type Database, type ReleasesTable, type Store } from '../store/index.ts';

/** What a release needs of an earlier one: whose it was, and the identifiers and binding it gave. */
const PRIOR_COLUMNS = [
  'phone_bidx',
  'order_id',
  'party_id',
  'alias',
  'virtual_number',
  'vn_bidx',
  'vn_expires_at',
  'fp_version',
  'ledger_idx',
] as const;
export type PriorRelease = Pick<ReleasesTable, (typeof PRIOR_COLUMNS)[number]>;

/** A view about to be written: its consumer, its order, and the blind index of the number it binds unless that is taken (null: not known). */
export interface ProbeItem {
  bidx: string;
  order: string;
  first: string | null;
}

/**
 * The party's earlier views by order id, and, for the consumers that need it, the blind indexes of numbers
 * a pick must avoid (`live`: bound now) and should avoid (`used`: ever bound to the consumer).
 */
export interface Probe {
  existing: Map<string, PriorRelease>;
  live: Set<string>;
  used: Set<string>;
}

const CHUNK = 500;

/** Probes for the earlier views of `party` and, where an item's first number was already its consumer's, that consumer's numbers (`live` at `at`). */
export async function probeReleases(
  store: Store,
  trx: Transaction<Database>,
  party: string,
  items: readonly ProbeItem[],
  at: string,
  indexOf: (r: PriorRelease) => Promise<string | null>,
): Promise<Probe> {
  // Each lookup finds a consumer's few releases; the ledger transaction has bitmap scans off for it (log.ts, catchUp).
  const wanted = new Set(items.map((i) => i.order));
  const existing = new Map<string, PriorRelease>();
  const crowded = new Set<string>();
  // SQLite takes its parameters a chunk at a time; PostgreSQL takes every item in one statement, one round trip.
  const chunk = store.sqlite ? CHUNK : Math.max(1, items.length);
  for (let i = 0; i < items.length; i += chunk)
    for (const r of await priorsOrClashes(store, trx, party, items.slice(i, i + chunk))) {
      if (r.party_id === party && wanted.has(r.order_id)) existing.set(r.order_id, r);
      else crowded.add(r.phone_bidx);
    }
  // Two views of one consumer in this release that would bind the same number also need the full picture, as
  // does a consumer with a row that has no index (its number is opened there).
  const seen = new Set<string>();
  for (const it of items) {
    const prior = existing.get(it.order);
    const n = prior ? prior.vn_bidx : it.first;
    if (n === null || seen.has(n)) crowded.add(it.bidx);
    else seen.add(n);
  }
  const live = new Set<string>();
  const used = new Set<string>();
  for (const r of await releasesOfConsumers(store, trx, [...crowded])) {
    const tag = r.vn_bidx ?? (await indexOf(r));
    if (tag === null) continue;
    used.add(tag);
    if (r.vn_expires_at > at) live.add(tag);
  }
  return { existing, live, used };
}

/** The party's releases of these (consumer, order) pairs, and any release that ever bound an item's first number to its consumer. */
async function priorsOrClashes(
  store: Store,
  trx: Transaction<Database>,
  party: string,
  items: readonly ProbeItem[],
): Promise<PriorRelease[]> {
  const cols = PRIOR_COLUMNS.map((c) => `r.${c}`).join(', ');
  const match = '(r.party_id = ? and r.order_id = w.o) or r.vn_bidx = w.v or r.vn_bidx is null';
  if (store.sqlite) {
    // A prepared statement per batch size, cached by its text: preparing 1,500 parameters each time costs more than the lookup.
    const values: string[] = [];
    for (const it of items) values.push(it.bidx, it.order, it.first ?? '');
    const text = `with w(b, o, v) as (values ${items.map(() => '(?, ?, ?)').join(', ')})
      select ${cols} from w join releases r on r.phone_bidx = w.b where ${match}`;
    return store.sqlite.statement(text).all([...values, party]) as PriorRelease[];
  }
  // One index probe per pair; OFFSET 0 keeps the subquery from being flattened into a scan of every release.
  // Each column travels as one comma-separated text (commaList), split by the server.
  const column = (f: (i: ProbeItem) => string, what: string): string => commaList(items.map(f), what);
  const b = column((i) => i.bidx, 'a phone index');
  const o = column((i) => i.order, 'an order id');
  const v = column((i) => i.first ?? '', 'a number index');
  const { rows } = await sql<PriorRelease>`
    select r.* from unnest(string_to_array(${b}, ','), string_to_array(${o}, ','), string_to_array(${v}, ',')) as w(b, o, v)
    cross join lateral (select ${sql.raw(cols)} from releases r where r.phone_bidx = w.b
      and ((r.party_id = ${party} and r.order_id = w.o) or r.vn_bidx = w.v or r.vn_bidx is null) offset 0) r`.execute(trx);
  return rows;
}

/** Every release of an order of these consumers (by phone index): their views and their virtual-number bindings. */
async function releasesOfConsumers(store: Store, trx: Transaction<Database>, bidx: readonly string[]): Promise<PriorRelease[]> {
  if (bidx.length === 0) return [];
  if (store.dialect === 'postgres') {
    // One index probe per consumer. Given a list, PostgreSQL scanned every release once the list was long
    // enough (14 ms for 500 consumers over 60,000 releases, against 3 ms probing); OFFSET 0 keeps the
    // subquery from being flattened back into that plan.
    const { rows } = await sql<PriorRelease>`
      select r.* from unnest(${bidx}::text[]) as b(k)
      cross join lateral (select ${sql.join(PRIOR_COLUMNS.map((c) => sql.ref(c)))} from releases where phone_bidx = b.k offset 0) r`.execute(
      trx,
    );
    return rows;
  }
  const out: PriorRelease[] = [];
  for (let i = 0; i < bidx.length; i += CHUNK)
    for (const r of await trx
      .selectFrom('releases')
      .select(PRIOR_COLUMNS)
      .where('phone_bidx', 'in', bidx.slice(i, i + CHUNK))
      .execute())
      out.push(r);
  return out;
}
