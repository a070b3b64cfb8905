/**
 * "Who has seen my order": every party that received an order's data, in chain order, each row read from the
 * ledger leaf that recorded it and carrying that leaf's inclusion proof in a freshly signed checkpoint.
 * A party's row is its first view (later views re-send the same view) and each CS decrypt.
 */
import { decodeEntry } from '../ledger/index.ts';
import { getParties, orderRef, releasesOfOrders, ticketCovers, withinTicketLimits, type Custody } from '../custody/index.ts';
import { chainRank, decryptForms, viewForms } from './forms.ts';
import { keyHandovers } from './handovers.ts';
import type { AccessRow, ChainLink, OrderAccess, OrderChain, TicketEntry } from './rows.ts';

/** The ledger entries that record who received an order: each party's first view, and every decrypt. */
export async function recipientEntries(c: Custody, orderId: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const r of await releasesOfOrders(c.store.db, [orderId])) out.set(r.ledger_idx, r.party_id);
  const decrypts = await c.store.db
    .selectFrom('order_decrypts')
    .select(['ledger_idx', 'party_id'])
    .where('order_id', '=', orderId)
    .execute();
  for (const d of decrypts) out.set(d.ledger_idx, d.party_id);
  return out;
}

/** Reads the leaves at these indexes. */
async function leaves(c: Custody, indexes: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let i = 0; i < indexes.length; i += 500) {
    const rows = await c.store.db
      .selectFrom('ledger')
      .select(['idx', 'leaf'])
      .where('idx', 'in', indexes.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.idx, r.leaf);
  }
  return out;
}

/** The most chained records an answer carries: beyond it the page says it could not follow the whole chain. */
export const MAX_CHAIN = 2000;

/**
 * Follows the order's chain from its head back to its first record (or its first chained one), and returns
 * the links the rows do not already carry, with proofs in the tree of `size`.
 */
async function orderChain(
  c: Custody,
  head: number | null,
  ref: string,
  rows: ReadonlyMap<number, string>,
  size: number,
): Promise<OrderChain> {
  const links: ChainLink[] = [];
  let at: number | null = head;
  let walked = 0;
  for (; at !== null && walked < MAX_CHAIN; walked++) {
    const text: string | undefined = rows.get(at) ?? (await leaves(c, [at])).get(at);
    if (text === undefined) break;
    const e = decodeEntry(text);
    if ((e.t !== 'release' && e.t !== 'decrypt') || e.order !== ref) break;
    if (!rows.has(at))
      links.push({
        entry: at,
        leaf: Buffer.from(text, 'utf8').toString('base64'),
        proof: c.ledger.tree.inclusionProof(at, size).map((h) => h.toString('base64')),
      });
    at = e.prev ?? null;
  }
  return { head, links, truncated: at !== null && walked >= MAX_CHAIN };
}

/** A decrypt's reason, and its ticket when it named one that covers it. */
const decryptWhy = (reason: string, ticket: TicketEntry | undefined): AccessRow['why'] =>
  ticket ? { decrypt: reason, ticket: true, ticket_entry: ticket } : { decrypt: reason, ticket: false };

/**
 * Everything the consumer page shows for one order; nothing about any other order or consumer. With
 * `seenSize`, the tree the device verified before, the answer proves the log grew from it.
 */
export async function orderAccess(c: Custody, orderId: string, seenSize?: number): Promise<OrderAccess> {
  const order = await c.store.db
    .selectFrom('orders')
    .select(['platform_id', 'platform_order_id', 'ordered_at', 'item_title'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  // The order's ledger reference is computed, not read: a stored one rewritten in the table cannot borrow
  // another order's leaves.
  const ref = orderRef(c.keyring, orderId);
  const entries = await recipientEntries(c, orderId);
  const flagged = new Set(
    (await c.store.db.selectFrom('order_flags').select('entry_idx').where('order_id', '=', orderId).execute()).map((f) => f.entry_idx),
  );
  const texts = await leaves(c, [...entries.keys()]);
  // The tickets the order's decrypts named, read too: a decrypt shows as ticketed only with its ticket's leaf.
  const uses = [...texts.values()]
    .map((t) => decodeEntry(t))
    .flatMap((e) => (e.t === 'decrypt' && e.tk !== undefined && e.order === ref ? [{ i: e.i, tk: e.tk, party: e.party }] : []));
  const ticketTexts = await leaves(
    c,
    uses.map((u) => u.tk),
  );
  // Every decrypt of the order is read here, so a ticket's limits (one agent, TICKET_DECRYPTS uses) apply in full.
  const within = withinTicketLimits(uses);
  const parties = await getParties(c, [order.platform_id, ...entries.values()]);
  const head = (await c.store.db.selectFrom('order_chain').select('head').where('order_id', '=', orderId).executeTakeFirst())?.head ?? null;
  // Signed after the rows and the chain's head were read, so that every row's entry is inside it.
  const checkpoint = await c.ledger.checkpoint();
  const size = c.ledger.openCheckpoint(checkpoint).size;
  /** The ticket leaf a decrypt leaf names, when it is one the order's platform opened and it covers the decrypt. */
  const ticketOf = (e: ReturnType<typeof decodeEntry>): TicketEntry | undefined => {
    if (e.t !== 'decrypt' || e.tk === undefined || e.tk >= size || !within.has(e.i)) return undefined;
    const text = ticketTexts.get(e.tk);
    const t = text === undefined ? undefined : decodeEntry(text);
    if (text === undefined || t?.t !== 'ticket' || t.party !== order.platform_id || !ticketCovers(t, e)) return undefined;
    return {
      entry: e.tk,
      leaf: Buffer.from(text, 'utf8').toString('base64'),
      proof: c.ledger.tree.inclusionProof(e.tk, size).map((h) => h.toString('base64')),
      opened_at: t.at,
    };
  };
  const rows: AccessRow[] = [];
  for (const [idx, partyId] of entries) {
    const text = texts.get(idx);
    const party = parties.get(partyId);
    if (text === undefined || party === undefined || idx >= size) continue;
    const e = decodeEntry(text);
    // The leaf is the record: a row whose leaf is about another order or party is not this order's.
    if ((e.t !== 'release' && e.t !== 'decrypt') || e.order !== ref || e.party !== partyId) continue;
    rows.push({
      entry: idx,
      party: { name: party.name, kind: party.kind },
      action: e.t === 'release' ? 'view' : 'decrypt',
      fields: e.t === 'release' ? viewForms(e.fields) : decryptForms(e.fields),
      at: e.at,
      why: e.t === 'release' ? { role: party.kind } : decryptWhy(e.reason, ticketOf(e)),
      leaf: Buffer.from(text, 'utf8').toString('base64'),
      proof: c.ledger.tree.inclusionProof(idx, size).map((h) => h.toString('base64')),
      flagged: flagged.has(idx),
    });
  }
  rows.sort((a, b) => chainRank(a.party.kind) - chainRank(b.party.kind) || a.entry - b.entry);
  const shown = new Map(rows.map((r) => [r.entry, texts.get(r.entry) ?? '']));
  return {
    order: {
      platform: parties.get(order.platform_id)?.name ?? '',
      platform_order_id: order.platform_order_id,
      ordered_at: order.ordered_at,
      item: order.item_title,
    },
    rows,
    chain: await orderChain(c, head !== null && head < size ? head : null, ref, shown, size),
    checkpoint,
    verifier_key: c.ledger.verifierKey(),
    handovers: await keyHandovers(c),
    ...(seenSize !== undefined && seenSize <= size
      ? { consistency: { from: seenSize, proof: c.ledger.tree.consistencyProof(seenSize, size).map((h) => h.toString('base64')) } }
      : {}),
  };
}
