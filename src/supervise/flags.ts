/**
 * Consumers' flags on rows of "who has seen my order" ("I never dealt with this party"): stored, written to
 * the ledger as a salted commitment filed with the order's platform (no personal data, and nothing the
 * flagged party could link to its consumer), and listed for that platform and the authorities in reach.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ForbiddenError, getParties, isAuthority, NotFoundError, reachOf, type Custody, type Party } from '../custody/index.ts';
import { recipientEntries } from './recipients.ts';

/** Why a consumer flags a row. */
export const FLAG_REASONS = ['never_dealt'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

/** The outcome of a flag: its ledger entry, and whether this call made it (a repeat changes nothing). */
export interface FlagResult {
  entry: number;
  ledger_index: number;
  created: boolean;
}

/** What a flag's ledger entry commits to: hex SHA-256 of the salt, the order reference, the flagged entry and party, and the reason. */
export function flagCommitment(salt: string, order: string, entry: number, party: string, reason: string): string {
  return createHash('sha256')
    .update(JSON.stringify([salt, order, entry, party, reason]))
    .digest('hex');
}

/**
 * Flags the row of ledger entry `entry` of this order; an entry that is not one of its rows reads as absent.
 * `issuedBy` is who issued the link the flag came through (a platform, or the operator), kept so that a reader
 * can tell flags through links the platform gave its consumers from any it made itself.
 */
export async function flagRow(
  c: Custody,
  orderId: string,
  entry: number,
  reason: FlagReason,
  issuedBy: string | null = null,
): Promise<FlagResult> {
  const partyId = (await recipientEntries(c, orderId)).get(entry);
  if (partyId === undefined) throw new NotFoundError('no such row for this order');
  const order = await c.store.db.selectFrom('orders').select(['platform_id', 'ref']).where('id', '=', orderId).executeTakeFirstOrThrow();
  return c.ledger.write(async (trx, log) => {
    const prior = await trx
      .selectFrom('order_flags')
      .select('ledger_idx')
      .where('order_id', '=', orderId)
      .where('entry_idx', '=', entry)
      .executeTakeFirst();
    if (prior) return { entry, ledger_index: prior.ledger_idx, created: false };
    const at = new Date().toISOString();
    const salt = randomBytes(16).toString('hex');
    const idx = log.add({ t: 'flag', at, party: order.platform_id, commitment: flagCommitment(salt, order.ref, entry, partyId, reason) });
    await trx
      .insertInto('order_flags')
      .values({
        id: `flag_${randomBytes(8).toString('hex')}`,
        order_id: orderId,
        platform_id: order.platform_id,
        party_id: partyId,
        entry_idx: entry,
        reason,
        salt,
        ledger_idx: idx,
        created_at: at,
        issued_by: issuedBy,
      })
      .execute();
    return { entry, ledger_index: idx, created: true };
  });
}

/** A flag as a platform or an authority reads it. */
export interface FlagView {
  id: string;
  order_id: string;
  platform_order_id: string;
  platform_id: string;
  party: { id: string; name: string; kind: string };
  entry: number;
  reason: string;
  ledger_index: number;
  created_at: string;
  /** Who issued the link the flag came through (null for flags from before this was kept). */
  issued_by: string | null;
}

/** Flags on orders of platforms the caller reaches, newest first: a platform's own, an authority's jurisdiction. */
export async function listFlags(c: Custody, me: Party, opts: { since?: string | undefined; limit?: number } = {}): Promise<FlagView[]> {
  if (me.kind !== 'platform' && !isAuthority(me)) throw new ForbiddenError('only a platform or an authority reads consumers’ flags');
  const reach = reachOf(me);
  if (reach !== '*' && reach.length === 0) return [];
  let q = c.store.db
    .selectFrom('order_flags as f')
    .innerJoin('orders as o', 'o.id', 'f.order_id')
    .select([
      'f.id',
      'f.order_id',
      'o.platform_order_id',
      'f.platform_id',
      'f.party_id',
      'f.entry_idx',
      'f.reason',
      'f.ledger_idx',
      'f.created_at',
      'f.issued_by',
    ]);
  if (reach !== '*') q = q.where('f.platform_id', 'in', [...reach]);
  if (opts.since !== undefined) q = q.where('f.created_at', '>=', opts.since);
  const rows = await q
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id')
    .limit(opts.limit ?? 100)
    .execute();
  const parties = await getParties(
    c,
    rows.map((r) => r.party_id),
  );
  return rows.map((r) => {
    const p = parties.get(r.party_id);
    return {
      id: r.id,
      order_id: r.order_id,
      platform_order_id: r.platform_order_id,
      platform_id: r.platform_id,
      party: { id: r.party_id, name: p?.name ?? '', kind: p?.kind ?? '' },
      entry: r.entry_idx,
      reason: r.reason,
      ledger_index: r.ledger_idx,
      created_at: r.created_at,
      issued_by: r.issued_by,
    };
  });
}
