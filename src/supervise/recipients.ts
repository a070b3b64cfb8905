/**
 * "Who has seen my order": every party that received an order's data, in chain order, each row read from the
 * ledger leaf that recorded it and carrying that leaf's inclusion proof in a freshly signed checkpoint.
 * A party's row is its first view (later views re-send the same view, and come as links of the order's chain
 * of records) and each CS decrypt.
 */
import { decodeEntry, leavesAt } from '../ledger/index.ts';
import { getParties, orderRef, releasesOfOrders, ticketCovers, withinTicketLimits, type Custody } from '../custody/index.ts';
import { chainRank, decryptForms, viewForms } from './forms.ts';
import { keyHandovers } from './handovers.ts';
import { MAX_CHAIN, type AccessRow, type ChainLink, type OrderAccess, type TicketEntry } from './rows.ts';

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

/**
 * Follows the order's chain from its head back to its first record, or MAX_CHAIN records: each chained record's
 * leaf by index (read from `known` where it was already read), and whether the walk stopped short.
 */
async function walkChain(
  c: Custody,
  head: number | null,
  ref: string,
  known: ReadonlyMap<number, string>,
): Promise<{ records: Map<number, string>; truncated: boolean }> {
  const records = new Map<number, string>();
  let at: number | null = head;
  for (; at !== null && records.size < MAX_CHAIN;) {
    const text: string | undefined = known.get(at) ?? (await leavesAt(c.store.db, [at])).get(at);
    if (text === undefined) break;
    const e = decodeEntry(text);
    if ((e.t !== 'release' && e.t !== 'decrypt') || e.order !== ref || records.has(at)) break;
    records.set(at, text);
    at = e.prev ?? null;
  }
  return { records, truncated: at !== null && records.size >= MAX_CHAIN };
}

/** A release or decrypt entry: a record of who received an order. */
type Access = Extract<ReturnType<typeof decodeEntry>, { t: 'release' | 'decrypt' }>;

/** A leaf's text as the answer carries it. */
const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

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
  const flagged = new Set(
    (await c.store.db.selectFrom('order_flags').select('entry_idx').where('order_id', '=', orderId).execute()).map((f) => f.entry_idx),
  );
  // The records are the chain's, read from the ledger, whatever the tables say; the tables add the records
  // written before orders were chained (and any row a writer pointed elsewhere, which the page then fails).
  // The tables first, then the head: a record written in between is reached from the newer head, and a
  // head a writer moved back leaves later rows off the chain, which the page then fails.
  const stored = await recipientEntries(c, orderId);
  const known = await leavesAt(c.store.db, [...stored.keys()]);
  const head = (await c.store.db.selectFrom('order_chain').select('head').where('order_id', '=', orderId).executeTakeFirst())?.head ?? null;
  const chain = await walkChain(c, head, ref, known);
  /** Each record of the order by index: its entry and its leaf's text. */
  const records = new Map<number, { e: Access; text: string }>();
  for (const [idx, text] of [...chain.records, ...known]) {
    const e = decodeEntry(text);
    // The leaf is the record: one about another order is not this order's.
    if ((e.t === 'release' || e.t === 'decrypt') && e.order === ref) records.set(idx, { e, text });
  }
  // A party's first view is its row, and each decrypt; its later views are links of the chain.
  const rowEntries = new Set<number>();
  const viewed = new Set<string>();
  for (const idx of [...records.keys()].sort((x, y) => x - y)) {
    const { e } = records.get(idx) as { e: Access };
    if (e.t === 'decrypt') rowEntries.add(idx);
    else if (!viewed.has(e.party)) {
      viewed.add(e.party);
      rowEntries.add(idx);
    }
  }
  // The tickets the order's decrypts named, read too: a decrypt shows as ticketed only with its ticket's leaf.
  const uses = [...records.values()].flatMap(({ e }) =>
    e.t === 'decrypt' && e.tk !== undefined ? [{ i: e.i, tk: e.tk, party: e.party }] : [],
  );
  const ticketTexts = await leavesAt(
    c.store.db,
    uses.map((u) => u.tk),
  );
  // Every decrypt of the order is read here, so a ticket's limits (one agent, TICKET_DECRYPTS uses) apply in full.
  const within = withinTicketLimits(uses);
  const parties = await getParties(c, [order.platform_id, ...[...records.values()].map(({ e }) => e.party)]);
  // Signed after every record was read, so that each one's entry is inside it.
  const checkpoint = await c.ledger.checkpoint();
  const size = c.ledger.openCheckpoint(checkpoint).size;
  const proof = (idx: number): string[] => c.ledger.tree.inclusionProof(idx, size).map((h) => h.toString('base64'));
  /** The ticket leaf a decrypt leaf names, when it is one the order's platform opened and it covers the decrypt. */
  const ticketOf = (e: Access): TicketEntry | undefined => {
    if (e.t !== 'decrypt' || e.tk === undefined || e.tk >= size || !within.has(e.i)) return undefined;
    const text = ticketTexts.get(e.tk);
    const t = text === undefined ? undefined : decodeEntry(text);
    if (text === undefined || t?.t !== 'ticket' || t.party !== order.platform_id || !ticketCovers(t, e)) return undefined;
    return { entry: e.tk, leaf: base64(text), proof: proof(e.tk), opened_at: t.at };
  };
  const rows: AccessRow[] = [];
  const links: ChainLink[] = [];
  for (const [idx, { e, text }] of records) {
    const party = parties.get(e.party);
    if (idx >= size || party === undefined) continue;
    if (!rowEntries.has(idx)) {
      links.push({ entry: idx, leaf: base64(text), proof: proof(idx) });
      continue;
    }
    rows.push({
      entry: idx,
      party: { name: party.name, kind: party.kind },
      action: e.t === 'release' ? 'view' : 'decrypt',
      fields: e.t === 'release' ? viewForms(e.fields) : decryptForms(e.fields),
      at: e.at,
      why: e.t === 'release' ? { role: party.kind } : decryptWhy(e.reason, ticketOf(e)),
      leaf: base64(text),
      proof: proof(idx),
      flagged: flagged.has(idx),
    });
  }
  rows.sort((a, b) => chainRank(a.party.kind) - chainRank(b.party.kind) || a.entry - b.entry);
  links.sort((a, b) => b.entry - a.entry);
  return {
    order: {
      platform: parties.get(order.platform_id)?.name ?? '',
      platform_order_id: order.platform_order_id,
      ordered_at: order.ordered_at,
      item: order.item_title,
    },
    rows,
    chain: { head: head !== null && head < size ? head : null, links, truncated: chain.truncated },
    checkpoint,
    verifier_key: c.ledger.verifierKey(),
    handovers: await keyHandovers(c),
    ...(seenSize !== undefined && seenSize <= size
      ? { consistency: { from: seenSize, proof: c.ledger.tree.consistencyProof(seenSize, size).map((h) => h.toString('base64')) } }
      : {}),
  };
}
