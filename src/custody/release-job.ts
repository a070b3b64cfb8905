/**
 * A release's job: the orders a party asked for, read and prepared. Whichever thread runs a part of it reads
 * that part's orders itself (a worker through its own read-only connection), so the thread that writes
 * releases neither reads nor copies the rows.
 */
import type { Kysely } from 'kysely';
import type { ViewField } from '../fingerprint/index.ts';
import type { Database, OrdersTable } from '../store/index.ts';
import type { Party } from './parties.ts';
import { canSee } from './policy.ts';
import { prepareViews, type Prepared } from './prepare.ts';

/** One party's views of some orders (by id), to prepare under one fingerprint key version. */
export interface ReleaseJob {
  party: Party;
  fields: readonly ViewField[];
  /** What to read of each order: what rendering needs, the handler columns, and the write's references. */
  columns: readonly (keyof OrdersTable)[];
  ids: string[];
  fpVersion: number;
  fpKey: Uint8Array;
  /** Every data key version the keyring holds (rows may be sealed under any of them). */
  dataKeys: [number, Uint8Array][];
  poolSize: number;
}

/** What the write needs of an order once its view is prepared. */
export type ReleaseKey = Pick<OrdersTable, 'id' | 'ref' | 'phone_bidx' | 'key_version'>;

/** Per id asked for, in order: the order and its prepared view, or null when the party has no such order. */
export type JobResult = ({ order: ReleaseKey; view: Prepared } | null)[];

/** Reads the job's orders through `db` and prepares the views of those the party handled. */
export async function runJob(db: Kysely<Database>, job: ReleaseJob): Promise<JobResult> {
  const byId = new Map<string, OrdersTable>();
  for (let i = 0; i < job.ids.length; i += 500)
    for (const o of (await db
      .selectFrom('orders')
      .select(job.columns)
      .where('id', 'in', job.ids.slice(i, i + 500))
      .execute()) as OrdersTable[])
      byId.set(o.id, o);
  // An order the party did not handle is never opened.
  const rows = job.ids.map((id) => {
    const o = byId.get(id);
    return o && canSee(job.party, o) ? o : undefined;
  });
  const views = prepareViews({ ...job, rows: rows.filter((o): o is OrdersTable => o !== undefined) });
  let k = 0;
  return rows.map((o) =>
    o ? { order: { id: o.id, ref: o.ref, phone_bidx: o.phone_bidx, key_version: o.key_version }, view: views[k++] as Prepared } : null,
  );
}
