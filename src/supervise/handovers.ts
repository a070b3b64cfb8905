/**
 * The log's signing-key handovers, for the consumer page: a device that pinned an earlier key follows each
 * handover (the old key signed a checkpoint that includes the entry naming the new key) instead of being
 * told the key changed. Handovers never change once written, so they are read once per key version.
 */
import { sql } from 'kysely';
import { KEY_ROTATION_LEAF } from '../ledger/entry.ts';
import { decodeEntry } from '../ledger/index.ts';
import type { Custody } from '../custody/index.ts';
import type { KeyHandover } from './rows.ts';

const read = new WeakMap<Custody, { version: number; handovers: Promise<KeyHandover[]> }>();

/** Every handover of the ledger's signing key, oldest first (none when the log has only ever had one key). */
export function keyHandovers(c: Custody): Promise<KeyHandover[]> {
  const version = c.keyring.version('ledger');
  const known = read.get(c);
  if (known?.version === version) return known.handovers;
  const handovers = readHandovers(c);
  read.set(c, { version, handovers });
  // A failed read is retried by the next request rather than kept.
  handovers.catch(() => read.delete(c));
  return handovers;
}

async function readHandovers(c: Custody): Promise<KeyHandover[]> {
  const versions = await c.store.db
    .selectFrom('keyring')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('purpose', '=', 'ledger')
    .executeTakeFirst();
  if (Number(versions?.n ?? 0) <= 1) return [];
  const rows = await c.store.db
    .selectFrom('ledger')
    .select(['idx', 'leaf'])
    .where(sql<boolean>`${sql.raw(KEY_ROTATION_LEAF)}`)
    .orderBy('idx')
    .execute();
  const out: KeyHandover[] = [];
  for (const r of rows) {
    const e = decodeEntry(r.leaf);
    if (e.t !== 'key_rotation' || e.purpose !== 'ledger' || !e.vkey) continue;
    // The handover checkpoint: the first signed after the entry, which the rotation had both keys sign.
    const cp = await c.store.db
      .selectFrom('checkpoints')
      .select(['size', 'note'])
      .where('size', '>', r.idx)
      .orderBy('size')
      .limit(1)
      .executeTakeFirst();
    if (!cp) continue;
    out.push({
      entry: r.idx,
      leaf: Buffer.from(r.leaf, 'utf8').toString('base64'),
      proof: c.ledger.tree.inclusionProof(r.idx, cp.size).map((h) => h.toString('base64')),
      checkpoint: cp.note,
      vkey: e.vkey,
    });
  }
  return out;
}
