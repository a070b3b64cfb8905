/** Data-key rotation: a new key version, every order re-sealed under it in batches, the old versions retired. */
import type { Custody } from './context.ts';
import { aad } from './refs.ts';
import { open, seal } from './seal.ts';

const COLUMNS = [
  ['name', 'name_ct'],
  ['phone', 'phone_ct'],
  ['address', 'address_ct'],
] as const;

/** Rotates the data key; `onProgress(done, total)` after each batch. Safe to rerun after a crash: rows carry their key version. */
export async function rotateDataKey(
  c: Custody,
  actor: string,
  opts: { batch?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ from: number; to: number; rows: number }> {
  const batch = opts.batch ?? 1000;
  const from = c.keyring.version('data');
  const to = await c.keyring.addVersion(c.store, 'data');
  const count = await c.store.db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key_version', '<', to)
    .executeTakeFirstOrThrow();
  const total = count.n;
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
        const next = Object.fromEntries(
          COLUMNS.map(([col, field]) => [
            field,
            seal(key, open(old, r[field], aad('orders', col, r.id, r.key_version)), aad('orders', col, r.id, to)),
          ]),
        ) as { name_ct: string; phone_ct: string; address_ct: string };
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
  await c.keyring.retireOld(c.store, 'data');
  await c.ledger.write((_trx, log) =>
    Promise.resolve(log.add({ t: 'key_rotation', at: new Date().toISOString(), party: actor, purpose: 'data', from, to, rows: done })),
  );
  return { from, to, rows: done };
}
