/**
 * Reads accountability from the store for a platform's tree or an authority's jurisdiction: every release,
 * decrypt and export entry of the window from the ledger (repeat views included, which the releases table
 * folds), each checked against the order's routing, the views custody refused, the orders each party's job
 * gave it, and the CPC signal of scam reports (cases) on the reach's orders.
 */
import { createHash } from 'node:crypto';
import {
  canSee,
  ForbiddenError,
  getParties,
  isAuthority,
  reachOf,
  ticketCovers,
  withinTicketLimits,
  type Party,
  type Reach,
  type StoreReader,
} from '../custody/index.ts';
import { decodeEntry, leafHashOfText, leavesAt } from '../ledger/index.ts';
import type { OrdersTable } from '../store/index.ts';
import { cpcTriage } from '../trace/index.ts';
import { at } from '../shared/at.ts';
import { accountability, beijingDayHour, type Accountability, type Activity, type PartyRef, type ReportSignal } from './accountability.ts';

/** A window of time, ISO-8601 ends (`until` exclusive). */
export interface Window {
  since: string;
  until: string;
}

const PAGE = 5000;
/**
 * Writers take an entry's time just before they wait for the ledger, and hosts' clocks differ a little: entries
 * are in time order only to within this. An analysis reads this far either side of its window and counts each
 * entry by its own time.
 */
export const TIME_SLACK_MS = 5 * 60_000;
/** Orders placed this long before the window still need handling in it (delivery plus the dispute window). */
const NEED_LEAD = 15 * 86_400_000;
const ROUTING = ['merchant_id', 'erp_id', 'carrier_id', 'outlet_id', 'station_id', 'courier_id'] as const;
/** Kinds that take order data; the platform holds it sealed, and authorities are the readers here. */
const TAKERS = new Set(['merchant', 'merchant_staff', 'erp', 'carrier', 'outlet', 'station', 'courier', 'cs_agent']);

type Routed = Pick<OrdersTable, (typeof ROUTING)[number] | 'id' | 'ref' | 'platform_id' | 'ordered_at'>;

/** Who may read accountability: a platform for its tree, an authority for its jurisdiction. */
export function accountabilityReach(me: Party): Reach {
  if (me.kind !== 'platform' && !isAuthority(me)) throw new ForbiddenError('only a platform or an authority reads accountability');
  return reachOf(me);
}

const leafAt = (leaf: string): number => Date.parse((JSON.parse(leaf) as { at: string }).at);

/** The first ledger index whose entry is at or after `since` (entries are appended in time order). */
async function firstIndexFrom(c: AnalysisSource, since: number): Promise<number> {
  let lo = 0;
  let hi = c.ledger.tree.size;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = await c.store.db.selectFrom('ledger').select('leaf').where('idx', '=', mid).executeTakeFirst();
    if (row !== undefined && leafAt(row.leaf) < since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The parties in reach that take order data. */
async function partiesInReach(c: StoreReader, reach: Reach): Promise<Map<string, Party>> {
  let q = c.store.db.selectFrom('parties').select('id').where('tenant_id', 'is not', null);
  if (reach !== '*') q = q.where('tenant_id', 'in', [...reach]);
  const ids = (await q.execute()).map((r) => r.id);
  const all = await getParties(c, ids);
  return new Map([...all].filter(([, p]) => TAKERS.has(p.kind)));
}

/** The orders of the reach's platforms, by keyed reference, with their routing. */
async function routedOrders(c: StoreReader, reach: Reach): Promise<Map<string, Routed>> {
  const out = new Map<string, Routed>();
  let last = '';
  for (;;) {
    let q = c.store.db
      .selectFrom('orders')
      .select(['id', 'ref', 'platform_id', 'ordered_at', ...ROUTING])
      .where('id', '>', last)
      .orderBy('id')
      .limit(PAGE * 4);
    if (reach !== '*') q = q.where('platform_id', 'in', [...reach]);
    const rows = await q.execute();
    for (const r of rows) out.set(r.ref, r);
    if (rows.length < PAGE * 4) return out;
    last = at(rows, rows.length - 1, 'routed order').id;
  }
}

/** Each party's assigned orders by Beijing day of placing (placed in the window or up to NEED_LEAD before it): routed ones for organisations, the shop's for staff accounts, an even share of the platform's for CS agents. */
function needs(parties: Map<string, Party>, orders: Iterable<Routed>, w: { since: number; until: number }): PartyRef[] {
  const byDay = new Map<string, Map<string, number>>();
  const add = (id: string, day: string, n: number): void => {
    let m = byDay.get(id);
    if (m === undefined) byDay.set(id, (m = new Map<string, number>()));
    m.set(day, (m.get(day) ?? 0) + n);
  };
  const accounts = new Map<string, Party[]>();
  for (const p of parties.values())
    if (p.kind === 'merchant_staff' || p.kind === 'cs_agent') {
      const key = `${p.kind}|${p.parentId ?? ''}`;
      accounts.set(key, [...(accounts.get(key) ?? []), p]);
    }
  for (const o of orders) {
    const at = Date.parse(o.ordered_at);
    if (at < w.since - NEED_LEAD || at >= w.until) continue;
    const { day } = beijingDayHour(at);
    for (const col of ROUTING) {
      const id = o[col];
      if (id !== null && parties.has(id)) add(id, day, 1);
    }
    // Staff accounts share their shop's orders however the shop divides the work (pooled); CS agents take
    // the platform's queue in turn, so each gets an even share.
    for (const p of accounts.get(`merchant_staff|${o.merchant_id}`) ?? []) add(p.id, day, 1);
    const agents = accounts.get(`cs_agent|${o.platform_id}`);
    if (agents) for (const p of agents) add(p.id, day, 1 / agents.length);
  }
  return [...parties.values()].map((p) => {
    const m = byDay.get(p.id) ?? new Map<string, number>();
    return {
      id: p.id,
      kind: p.kind,
      name: p.name,
      org: p.parentId ?? p.id,
      need: Math.round([...m.values()].reduce((s, n) => s + n, 0) * 100) / 100,
      needByDay: m,
      pooled: p.kind === 'merchant_staff',
    };
  });
}

/** A decrypt that named a ticket entry, to be checked against that entry. */
interface Ticketed {
  activity: Activity;
  tk: number;
  order: Routed;
  ref: string;
  /** The decrypt leaf's index and time, as written. */
  i: number;
  at: string;
}

/**
 * The ledger rows an analysis read: indexes `from` to `to` (exclusive) with SHA-256 over their leaf hashes, and
 * the other leaves it relied on (the ticket entries decrypts named), each with its leaf hash.
 */
export interface LedgerRange {
  from: number;
  to: number;
  digest: string;
  leaves: [number, string][];
}

/** The party a leaf names (every entry begins `{"i":…,"t":…,"at":…,"party":…`), without parsing the rest. */
const LEAF_PARTY = /^\{"i":\d+,"t":"[a-z_]+","at":"[^"]*","party":("(?:[^"\\]|\\.)*")/;

/**
 * Every release, decrypt and export entry of the window about a party in reach, as activity, and the range of
 * rows read with a digest of their leaves, which the caller holds to the tree (analysis-thread.ts). A leaf is
 * attributed to the party it names, never to the table's party column.
 */
async function activityOf(
  c: AnalysisSource,
  parties: Map<string, Party>,
  orders: Map<string, Routed>,
  w: { since: number; until: number },
): Promise<{ activity: Activity[]; range: LedgerRange }> {
  const out: Activity[] = [];
  const ticketed: Ticketed[] = [];
  const from = await firstIndexFrom(c, w.since - TIME_SLACK_MS);
  const digest = createHash('sha256');
  let next = from;
  for (let more = next < c.ledger.tree.size; more;) {
    const rows = await c.store.db
      .selectFrom('ledger')
      .select(['idx', 'leaf'])
      .where('idx', '>=', next)
      .where('idx', '<', c.ledger.tree.size)
      .orderBy('idx')
      .limit(PAGE)
      .execute();
    more = rows.length === PAGE;
    for (const r of rows) {
      // A missing row breaks the run of indexes, and with it the digest.
      if (r.idx !== next) {
        more = false;
        break;
      }
      const named = LEAF_PARTY.exec(r.leaf)?.[1];
      const party = named === undefined ? undefined : parties.get(JSON.parse(named) as string);
      let e: ReturnType<typeof decodeEntry> | undefined;
      if (party !== undefined) {
        e = decodeEntry(r.leaf);
        if (Date.parse(e.at) >= w.until + TIME_SLACK_MS) {
          more = false;
          break;
        }
      }
      digest.update(leafHashOfText(r.leaf));
      next++;
      if (party === undefined || e === undefined) continue;
      const at = Date.parse(e.at);
      if (at < w.since || at >= w.until) continue;
      if (e.t === 'release' || e.t === 'decrypt') {
        const o = orders.get(e.order);
        // An order outside the reach cannot be judged here, and is no business of this reader.
        if (o === undefined) continue;
        const common = { party: party.id, at, orders: 1, fields: e.fields, assigned: canSee(party, o), key: e.key, ticket: false };
        const a: Activity = { ...common, action: e.t === 'release' ? 'view' : 'decrypt' };
        out.push(a);
        if (e.t === 'decrypt' && e.tk !== undefined) ticketed.push({ activity: a, tk: e.tk, order: o, ref: e.order, i: e.i, at: e.at });
      } else if (e.t === 'export')
        out.push({ party: party.id, action: 'export', at, orders: e.orders, fields: e.fields, assigned: true, ticket: false, key: e.key });
    }
  }
  const leaves = await checkTickets(c, ticketed);
  return { activity: out, range: { from, to: next, digest: digest.digest('hex'), leaves } };
}

/**
 * A decrypt is ticketed when the entry it names is a ticket the order's platform opened for that order, for its
 * agent or any, at most TICKET_DAYS before (`ticketCovers`), and the ticket is still this agent's and within its
 * TICKET_DECRYPTS decrypts as far as the window shows; a note typed into the decrypt is not a ticket. Returns the
 * ticket leaves read, with their hashes, for the caller to hold to the tree.
 */
async function checkTickets(c: StoreReader, ticketed: readonly Ticketed[]): Promise<[number, string][]> {
  const leaves = await leavesAt(
    c.store.db,
    ticketed.map((t) => t.tk),
  );
  const within = withinTicketLimits(ticketed.map((t) => ({ i: t.i, tk: t.tk, party: t.activity.party })));
  for (const t of ticketed) {
    const leaf = leaves.get(t.tk);
    const e = leaf === undefined ? undefined : decodeEntry(leaf);
    if (e?.t !== 'ticket' || e.party !== t.order.platform_id || !within.has(t.i)) continue;
    t.activity.ticket = ticketCovers(e, { i: t.i, tk: t.tk, at: t.at, order: t.ref, party: t.activity.party });
  }
  return [...leaves].map(([idx, leaf]) => [idx, leafHashOfText(leaf).toString('hex')]);
}

/**
 * Views custody refused in the window: tries at orders that exist but were never routed to the party, once per
 * party, order and day whatever keys they came with (each key's share is kept for its key only).
 */
async function refusalsOf(c: StoreReader, parties: Map<string, Party>, w: Window): Promise<Activity[]> {
  const rows = await c.store.db
    .selectFrom('access_refusals')
    .select(['party_id', 'order_id', 'day', 'at', 'key_id'])
    .where('at', '>=', w.since)
    .where('at', '<', w.until)
    .orderBy('at')
    .execute();
  const counted = new Set<string>();
  return rows
    .filter((r) => parties.has(r.party_id))
    .map((r) => {
      const once = `${r.party_id}|${r.order_id}|${r.day}`;
      const repeat = counted.has(once);
      counted.add(once);
      return {
        party: r.party_id,
        action: 'refused',
        at: Date.parse(r.at),
        orders: 1,
        fields: [],
        assigned: false,
        ticket: false,
        key: r.key_id === '' ? undefined : r.key_id,
        repeat,
      };
    });
}

/** Decrypts refused in the window for naming a ticket not registered for the order and agent (the tries each day). */
async function wrongTicketsOf(c: StoreReader, parties: Map<string, Party>, w: Window): Promise<Activity[]> {
  const rows = await c.store.db
    .selectFrom('ticket_refusals')
    .select(['party_id', 'at', 'tries'])
    .where('at', '>=', w.since)
    .where('at', '<', w.until)
    .execute();
  return rows
    .filter((r) => parties.has(r.party_id))
    .map((r) => ({
      party: r.party_id,
      action: 'wrong_ticket',
      at: Date.parse(r.at),
      orders: r.tries,
      fields: [],
      assigned: false,
      ticket: false,
    }));
}

/** The CPC signal: victims' cases of the window that name an order in reach, triaged by trace's L4 test. */
async function reportsOf(c: StoreReader, orders: Map<string, Routed>, w: Window): Promise<Map<string, ReportSignal>> {
  const ids = new Set([...orders.values()].map((o) => o.id));
  const cases = await c.store.db
    .selectFrom('cases')
    .select('order_id')
    .where('order_id', 'is not', null)
    .where('created_at', '>=', w.since)
    .where('created_at', '<', w.until)
    .execute();
  const reported = cases.map((r) => r.order_id as string).filter((id) => ids.has(id));
  const out = new Map<string, ReportSignal>();
  if (reported.length < 2) return out;
  for (const s of (await cpcTriage(c, reported)).suspects) out.set(s.party, { reports: s.reports, expected: s.expected, log10P: s.log10P });
  return out;
}

/** What an analysis reads: the store's query builder, and the ledger's size when the analysis was asked for. */
export interface AnalysisSource extends StoreReader {
  ledger: { tree: { size: number } };
}

/** An analysis, with the ledger rows it read (to be held to the tree before it is believed). */
export interface Analysis extends Accountability {
  range: LedgerRange | null;
}

/** The accountability of every party in the caller's reach over a window, read from the store (analysis-thread.ts runs it off the main thread). */
export async function analyseAccountability(c: AnalysisSource, me: Party, window: Window): Promise<Analysis> {
  const reach = accountabilityReach(me);
  const w = { since: Date.parse(window.since), until: Date.parse(window.until) };
  if (reach !== '*' && reach.length === 0) return { ...accountability([], [], w), range: null };
  const parties = await partiesInReach(c, reach);
  const orders = await routedOrders(c, reach);
  const { activity, range } = await activityOf(c, parties, orders, w);
  const all = [...activity, ...(await refusalsOf(c, parties, window)), ...(await wrongTicketsOf(c, parties, window))];
  return { ...accountability(needs(parties, orders.values(), w), all, w, await reportsOf(c, orders, window)), range };
}
