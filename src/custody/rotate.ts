/**
 * Key rotation. Data key: a new version; every order and every other sealed value (case facts, evidence
 * names and files, reported identifiers, appeal reasons) re-sealed under it in batches; old versions
 * retired. Fingerprint key: a new version for first-time views only. Master key: the keyring re-wrapped.
 */
import { sql } from 'kysely';
import { verifierKey } from '../ledger/index.ts';
import type { Custody } from './custody.ts';
import type { AddressDetail } from './address-detail.ts';
import { aad } from './refs.ts';
import { open, seal } from './seal.ts';
import { openField, SEALED_COLUMNS, sealField, type SealedColumn } from './sealed-field.ts';

const COLUMNS = [
  ['name', 'name_ct'],
  ['phone', 'phone_ct'],
  ['address', 'address_ct'],
] as const;

/** How many values of a sealed column are not yet under data-key version `to`. */
async function countOlder(c: Custody, col: SealedColumn, to: number): Promise<number> {
  const r = await sql<{
    n: number | string;
  }>`select count(*) as n from ${sql.table(col.table)} where ${sql.ref(col.column)} not like ${`${String(to)}.%`}`.execute(c.store.db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Re-seals one column's values under the current data key (version `to`), a batch per transaction. Each
 * update only applies if the value is still the one read, so a concurrent writer's value is never lost. A
 * value that does not open for its row (written by someone without the keys) is left as it is and counted:
 * one such row must not stop the rotation of every other.
 */
async function resealColumn(
  c: Custody,
  col: SealedColumn,
  to: number,
  tick: (n: number) => void,
): Promise<{ done: number; unopened: number }> {
  const keys = col.keys.map((k) => sql.ref(k));
  const skipped: string[] = [];
  let done = 0;
  for (;;) {
    const { rows } = await sql<
      Record<string, string>
    >`select ${sql.join(keys)}, ${sql.ref(col.column)} as sealed from ${sql.table(col.table)}
      where ${sql.ref(col.column)} not like ${`${String(to)}.%`}
      ${skipped.length > 0 ? sql`and ${sql.ref(col.column)} not in (${sql.join(skipped)})` : sql``} limit ${col.batch}`.execute(c.store.db);
    if (rows.length === 0) return { done, unopened: skipped.length };
    await c.store.db.transaction().execute(async (trx) => {
      for (const r of rows) {
        const sealed = r.sealed as string;
        let plain: Buffer;
        try {
          plain = openField(c.keyring, sealed, col.aad(r));
        } catch {
          skipped.push(sealed);
          continue;
        }
        const next = sealField(c.keyring, plain, col.aad(r));
        await sql`update ${sql.table(col.table)} set ${sql.ref(col.column)} = ${next}
          where ${sql.ref(col.keys[0] as string)} = ${r[col.keys[0] as string]} and ${sql.ref(col.column)} = ${sealed}`.execute(trx);
        done++;
      }
    });
    tick(rows.length);
  }
}

/**
 * Rotates the data key; `onProgress(done, total)` after each batch, counting orders and other sealed
 * values together. Safe to rerun after a crash: every value carries its key version.
 */
export async function rotateDataKey(
  c: Custody,
  actor: string,
  opts: { batch?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ from: number; to: number; rows: number; values: number; unopened: number }> {
  const batch = opts.batch ?? 1000;
  const from = c.keyring.version('data');
  const to = await c.keyring.addVersion(c.store.db, 'data');
  const count = await c.store.db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('key_version', '<', to)
    .executeTakeFirstOrThrow();
  // PostgreSQL returns count(*) as a string.
  let total = Number(count.n);
  for (const col of SEALED_COLUMNS) total += await countOlder(c, col, to);
  const key = c.keyring.key('data', to);
  let done = 0;
  for (;;) {
    const rows = await c.store.db
      .selectFrom('orders')
      .select(['id', 'key_version', 'name_ct', 'phone_ct', 'address_ct'])
      .where('key_version', '<', to)
      .limit(batch)
      .execute();
    if (rows.length === 0) break;
    await c.store.db.transaction().execute(async (trx) => {
      for (const r of rows) {
        const old = c.keyring.key('data', r.key_version);
        const plain = Object.fromEntries(
          COLUMNS.map(([col, field]) => [col, open(old, r[field], aad('orders', col, r.id, r.key_version)).toString('utf8')]),
        ) as Record<(typeof COLUMNS)[number][0], string>;
        // Rows from before the name joined the address detail get it now (orders.ts, AddressDetail).
        const detail = JSON.parse(plain.address) as AddressDetail;
        if (detail.name === undefined) plain.address = JSON.stringify({ name: plain.name, ...detail });
        const next = Object.fromEntries(COLUMNS.map(([col, field]) => [field, seal(key, plain[col], aad('orders', col, r.id, to))])) as {
          name_ct: string;
          phone_ct: string;
          address_ct: string;
        };
        await trx
          .updateTable('orders')
          .set({ ...next, key_version: to })
          .where('id', '=', r.id)
          .where('key_version', '=', r.key_version)
          .execute();
      }
    });
    done += rows.length;
    opts.onProgress?.(done, total);
  }
  const orders = done;
  let unopened = 0;
  for (const col of SEALED_COLUMNS)
    unopened += (
      await resealColumn(c, col, to, (n) => {
        done += n;
        opts.onProgress?.(done, total);
      })
    ).unopened;
  await c.keyring.retireOld(c.store.db, 'data');
  await c.ledger.write((_trx, log) =>
    Promise.resolve(
      log.add({
        t: 'key_rotation',
        at: new Date().toISOString(),
        party: actor,
        purpose: 'data',
        from,
        to,
        rows: orders,
        values: done - orders - unopened,
      }),
    ),
  );
  return { from, to, rows: orders, values: done - orders - unopened, unopened };
}

/**
 * Rotates the fingerprint key: first-time views from now on are fingerprinted under a new version. Nothing
 * is re-derived: a party keeps the rendering it already holds (its release records the version), and the
 * decoder reads every view under its own version, so older versions stay in the keyring, marked retired.
 */
export async function rotateFingerprintKey(c: Custody, actor: string): Promise<{ from: number; to: number; kept: number }> {
  const from = c.keyring.version('fingerprint');
  const to = await c.keyring.addVersion(c.store.db, 'fingerprint');
  await c.keyring.retireOld(c.store.db, 'fingerprint');
  const kept = await c.store.db
    .selectFrom('releases')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('fp_version', '<', to)
    .executeTakeFirstOrThrow();
  await c.ledger.write((_trx, log) =>
    Promise.resolve(log.add({ t: 'key_rotation', at: new Date().toISOString(), party: actor, purpose: 'fingerprint', from, to, rows: 0 })),
  );
  // PostgreSQL returns count(*) as a string.
  return { from, to, kept: Number(kept.n) };
}

/**
 * Rotates the master key: every key in the keyring is wrapped under `next` instead, in one transaction that
 * also writes the ledger's `key_rotation` entry. `stage` runs inside that transaction once the keys are
 * re-wrapped and locked, before the commit: the command line saves the new key file there, so that a commit
 * never leaves the store under a key nobody kept. Nothing sealed under the data keys changes.
 */
export async function rotateMasterKey(
  c: Custody,
  actor: string,
  next: Buffer,
  stage: () => void = () => undefined,
): Promise<{ from: number; to: number; keys: number }> {
  const r = await c.ledger.write(async (trx, log) => {
    const done = await c.keyring.rewrap(trx, next);
    stage();
    log.add({
      t: 'key_rotation',
      at: new Date().toISOString(),
      party: actor,
      purpose: 'master',
      from: done.from,
      to: done.to,
      rows: done.keys,
    });
    return done;
  });
  c.keyring.useMaster(next, r.to);
  return r;
}

/**
 * Rotates the ledger's signing key. The new key version and a `key_rotation` entry naming the new verifier
 * key commit together; the next checkpoint, signed here, carries both the old and the new key's signature,
 * so an auditor who trusts the old key can check the handover and trust the new one from then on.
 */
export async function rotateLedgerKey(c: Custody, actor: string): Promise<{ from: number; to: number; vkey: string; handover: string }> {
  // The old key must have signed a checkpoint of its own before it hands over (it may itself be new).
  await c.ledger.checkpoint();
  const from = c.keyring.version('ledger');
  const to = await c.ledger.write(async (trx, log) => {
    const v = await c.keyring.addVersion(trx, 'ledger');
    await c.keyring.retireOld(trx, 'ledger');
    const vkey = verifierKey(c.ledger.origin, c.keyring.ledgerKeys(v).publicKey);
    log.add({ t: 'key_rotation', at: new Date().toISOString(), party: actor, purpose: 'ledger', from, to: v, rows: 0, vkey });
    return v;
  });
  c.ledger.handOver(c.keyring.ledgerKeys(to));
  return { from, to, vkey: c.ledger.verifierKey(), handover: await c.ledger.checkpoint() };
}
