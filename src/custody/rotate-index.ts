/**
 * Index-key rotation: every blind index whose input the store can open again is recomputed under a new
 * index-key version, in one transaction under the ledger's lock, so that no lookup ever meets two versions.
 * Order references in the ledger stay under version 1 (refs.ts). What custody owns is rebuilt here (orders,
 * their releases and canaries); other modules pass rebuilders for their tables (cases, reputation).
 */
import { sql, type Transaction } from 'kysely';
import { canonicalAddress } from '../fingerprint/index.ts';
import type { Database } from '../store/index.ts';
import type { Custody } from './custody.ts';
import type { AddressDetail } from './address-detail.ts';
import { numberIndex, openNumber } from './numbers.ts';
import { addressIndex, aad, phoneIndex } from './refs.ts';
import { open } from './seal.ts';

/** Recomputes one table's blind indexes under the keyring's current index key; returns the rows rewritten. */
export type IndexRebuilder = (c: Custody, trx: Transaction<Database>, tick: (n: number) => void) => Promise<number>;

/** Orders: the phone and address indexes, from the sealed phone and address, a page at a time. */
async function reindexOrders(c: Custody, trx: Transaction<Database>, tick: (n: number) => void, batch: number): Promise<number> {
  let after = '';
  let done = 0;
  for (;;) {
    const rows = await trx
      .selectFrom('orders')
      .select(['id', 'key_version', 'phone_ct', 'address_ct', 'province', 'city', 'district'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return done;
    const next = rows.map((r) => {
      const key = c.keyring.key('data', r.key_version);
      const phone = open(key, r.phone_ct, aad('orders', 'phone', r.id, r.key_version)).toString('utf8');
      const detail = JSON.parse(open(key, r.address_ct, aad('orders', 'address', r.id, r.key_version)).toString('utf8')) as AddressDetail;
      const where = { province: r.province, city: r.city, district: r.district, ...detail };
      return { id: r.id, phone: phoneIndex(c.keyring, phone), address: addressIndex(c.keyring, canonicalAddress(where)) };
    });
    if (c.store.dialect === 'postgres')
      // One statement a page: a round trip per order took PostgreSQL 20 times as long as SQLite's prepared updates.
      await sql`update orders o set phone_bidx = v.p, address_bidx = v.a
        from unnest(${next.map((n) => n.id)}::text[], ${next.map((n) => n.phone)}::text[], ${next.map((n) => n.address)}::text[]) as v(id, p, a)
        where o.id = v.id`.execute(trx);
    else
      for (const n of next)
        await trx.updateTable('orders').set({ phone_bidx: n.phone, address_bidx: n.address }).where('id', '=', n.id).execute();
    after = (rows[rows.length - 1] as { id: string }).id;
    done += rows.length;
    tick(rows.length);
  }
}

/** Releases: each number's blind index, from the sealed number and the consumer's new phone index, a page at a time. */
async function reindexNumbers(c: Custody, trx: Transaction<Database>, tick: (n: number) => void, batch: number): Promise<number> {
  let after = -1;
  let done = 0;
  for (;;) {
    const rows = await trx
      .selectFrom('releases')
      .select(['ledger_idx', 'order_id', 'party_id', 'phone_bidx', 'virtual_number'])
      .where('ledger_idx', '>', after)
      .orderBy('ledger_idx')
      .limit(batch)
      .execute();
    if (rows.length === 0) return done;
    // A row whose number does not open (written by someone else) is left without an index for `ledger verify` to name.
    const next = rows.map((r) => {
      let tag: string | null;
      try {
        tag = numberIndex(c.keyring, r.phone_bidx, openNumber(c.keyring, r));
      } catch {
        tag = null;
      }
      return { idx: r.ledger_idx, tag };
    });
    if (c.store.dialect === 'postgres')
      await sql`update releases r set vn_bidx = v.t
        from unnest(${next.map((n) => n.idx)}::bigint[], ${next.map((n) => n.tag)}::text[]) as v(i, t)
        where r.ledger_idx = v.i`.execute(trx);
    else for (const n of next) await trx.updateTable('releases').set({ vn_bidx: n.tag }).where('ledger_idx', '=', n.idx).execute();
    after = (rows[rows.length - 1] as { ledger_idx: number }).ledger_idx;
    done += rows.length;
    tick(rows.length);
  }
}

/**
 * Rotates the index key: a new version, every recoverable blind index rebuilt under it, the old version
 * retired (kept for the ledger's order references), and a `key_rotation` entry, all in one transaction.
 * Writers that compute indexes wait for it (`Keyring.syncIndex`). `onProgress(done)` counts rows rewritten.
 */
export async function rotateIndexKey(
  c: Custody,
  actor: string,
  rebuilders: readonly IndexRebuilder[],
  opts: { batch?: number; onProgress?: (done: number) => void } = {},
): Promise<{ from: number; to: number; orders: number; values: number }> {
  const from = c.keyring.version('index');
  let done = 0;
  const tick = (n: number): void => {
    done += n;
    opts.onProgress?.(done);
  };
  const write = c.ledger.write(async (trx, log) => {
    // Blocks the writers' `syncIndex` until this commits (SQLite's write lock does the same there).
    if (c.store.dialect === 'postgres') await sql`lock table keyring in exclusive mode`.execute(trx);
    const to = await c.keyring.addVersion(trx, 'index');
    const orders = await reindexOrders(c, trx, tick, opts.batch ?? 1000);
    // A release and a canary carry their order's phone index (the key the binding check probes).
    for (const table of ['releases', 'canaries'] as const)
      await sql`update ${sql.table(table)} set phone_bidx = (select o.phone_bidx from orders o where o.id = ${sql.ref(`${table}.order_id`)})`.execute(
        trx,
      );
    let values = await reindexNumbers(c, trx, tick, opts.batch ?? 1000);
    for (const rebuild of rebuilders) values += await rebuild(c, trx, tick);
    await c.keyring.retireOld(trx, 'index');
    log.add({ t: 'key_rotation', at: new Date().toISOString(), party: actor, purpose: 'index', from, to, rows: orders, values });
    return { to, orders, values };
  });
  try {
    return { from, ...(await write) };
  } catch (e) {
    // The new version was rolled back: index under the store's current one again.
    await c.keyring.syncIndex(c.store.db);
    throw e;
  }
}
