/** Release: a party's fingerprinted view of the orders it handles, each access appended to the ledger. */
import { createHash } from 'node:crypto';
import { type Transaction } from 'kysely';
import {
  aliasesOf,
  DEFAULT_POOL,
  poolNumber,
  type NumberPool,
  type RenderInput,
  type RenderedFields,
  type ViewField,
} from '../fingerprint/index.ts';
import { releaseEncoder, type EncodedEntry, type LedgerWriter } from '../ledger/index.ts';
import { insertRows, type Database, type OrdersTable, type ReleasesTable } from '../store/index.ts';
import { at } from '../shared/at.ts';
import { aliasOfRow, releasesByAlias } from './aliases.ts';
import { probeReleases, type Probe } from './release-probe.ts';
import { boundNumber, numberIndex, openNumber, sealNumber } from './numbers.ts';
import { commitTo, entrySalt } from './commitments.ts';
import type { Custody } from './custody.ts';
import { ForbiddenError, InputError, NotFoundError, UnavailableError } from './errors.ts';
import type { Party } from './party.ts';
import { takerOf, type Taker } from './principal.ts';
import { holdTicket, ticketFor } from './tickets.ts';
import { chainHeads, chainLinks, moveHeads } from './order-chain.ts';
import { canSee, DECRYPT_FIELDS, HANDLER_COLUMN, handlerId, ROLE_FIELDS, type DECRYPT_REASONS } from './policy.ts';
import { RENDERED_AT, runJob, type PreparedRow, type ReleaseJob, type ReleaseKey } from './release-job.ts';
import { openRow, RENDER_COLUMNS, renderPhone, sealedNeeded, type Need, type RenderRow } from './prepare.ts';

/** How long a virtual-number binding lives: delivery plus a dispute window. */
export const BINDING_DAYS = 15;

/** A released view: the party's alias as order number, then the fields its role carries. */
export type View = { order_no: string; virtual_number_expires_at?: string } & RenderedFields;

/** Decrypts the sealed fields a view needs (default: all) into what it is rendered from; the rest stay sealed. */
export function plainOrder(
  c: Custody,
  o: RenderRow,
  virtualNumber = '',
  need: Need = { name: true, phone: true, address: true },
): RenderInput {
  return openRow((v) => c.keyring.key('data', v), o, virtualNumber, need);
}

function fieldsFor(party: Party): readonly ViewField[] {
  const f = ROLE_FIELDS[party.kind];
  if (!f) throw new ForbiddenError(`a ${party.kind} receives no order views`);
  return f;
}

/**
 * Picks the party's X number, probing from its PRF start: never one the consumer holds now (AXB allows one
 * binding per A on an X), and one the consumer never held while the pool has such (numbers.ts says why).
 * `tag` gives a candidate's blind index for this consumer; `first` is the start's, already computed.
 */
function pickNumber(pool: NumberPool, start: number, tag: (vn: string) => string, probe: Pick<Probe, 'live' | 'used'>): string {
  for (const avoid of [probe.used, probe.live])
    for (let k = 0; k < pool.size; k++) {
      const x = poolNumber(pool, start + k);
      if (!avoid.has(tag(x))) return x;
    }
  throw new UnavailableError('virtual number pool exhausted for this consumer: widen GATEKEEPER_VN_POOL or wait for bindings to expire');
}

/** What every release reads of an order: the references, and what its views are rendered from. */
const RELEASE_COLUMNS = [...RENDER_COLUMNS, 'ref', 'phone_bidx'] as const;

/**
 * The columns a party's release reads: its own handler column (all `canSee` looks at), and the sealed name and
 * phone only when the party's fields show them.
 */
function releaseColumns(party: Party): (keyof OrdersTable)[] {
  const need = sealedNeeded(fieldsFor(party));
  const handler = (HANDLER_COLUMN as Partial<Record<Party['kind'], keyof OrdersTable>>)[party.kind];
  return [
    ...RELEASE_COLUMNS,
    ...(handler ? [handler] : []),
    ...(need.name ? (['name_ct'] as const) : []),
    ...(need.phone ? (['phone_ct'] as const) : []),
  ];
}

/** Loads the rows of these orders (in no particular order). */
export async function loadOrders(db: Transaction<Database> | Custody['store']['db'], ids: readonly string[]): Promise<OrdersTable[]> {
  const out: OrdersTable[] = [];
  for (let i = 0; i < ids.length; i += 500)
    out.push(
      ...(await db
        .selectFrom('orders')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  return out;
}

/** Loads only what rendering needs of these orders (no sealed name or phone), for the decoder. */
export async function loadRenderRows(db: Custody['store']['db'], ids: readonly string[]): Promise<RenderRow[]> {
  const out: RenderRow[] = [];
  for (let i = 0; i < ids.length; i += 500)
    out.push(
      ...(await db
        .selectFrom('orders')
        .select(RENDER_COLUMNS)
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  return out;
}

/** A party's job for some orders under one fingerprint key version: what to read of them, and the keys. */
function jobFor(c: Custody, party: Party, ids: string[], pool: NumberPool, fpVersion: number): ReleaseJob {
  return {
    party,
    fields: fieldsFor(party),
    columns: releaseColumns(party),
    ids,
    fpVersion,
    fpKey: c.keyring.key('fingerprint', fpVersion),
    dataKeys: c.keyring.versions('data').map((v) => [v, c.keyring.key('data', v)]),
    poolSize: pool.size,
    pool,
    numbers: {
      dataVersion: c.keyring.version('data'),
      dataKey: c.keyring.key('data'),
      indexVersion: c.keyring.version('index'),
      indexKey: c.keyring.key('index'),
    },
  };
}

/**
 * Reads and prepares a party's views of these orders (on worker threads when the job is large) outside any
 * transaction; an order that does not exist or that the party did not handle fails the whole release.
 */
async function prepare(
  c: Custody,
  party: Party,
  ids: string[],
  pool: NumberPool,
): Promise<{ orders: ReleaseKey[]; prepared: PreparedViews }> {
  const job = jobFor(c, party, ids, pool, c.keyring.version('fingerprint'));
  const results = await c.workers.run(c.store, job, { now: () => c.ledger.idle, next: () => c.ledger.whenIdle() });
  const orders: ReleaseKey[] = [];
  const views: PreparedRow[] = [];
  for (const r of results) {
    if (!r) throw new NotFoundError('no such order among this party’s orders');
    orders.push({ id: r[0], ref: r[1], phone_bidx: r[2], key_version: r[3] });
    views.push(r);
  }
  return {
    orders,
    prepared: { fpVersion: job.fpVersion, dataVersion: job.numbers.dataVersion, indexVersion: job.numbers.indexVersion, views },
  };
}

/** Prepared views and the key versions they were prepared under (fingerprint; data and index for the first number). */
interface PreparedViews {
  fpVersion: number;
  dataVersion: number;
  indexVersion: number;
  views: PreparedRow[];
}

/** What a release recorded for each view: its alias and virtual-number binding, and the view as prepared. */
interface Recorded {
  aliases: string[];
  numbers: string[];
  expires: string[];
  rows: PreparedRow[];
}

/**
 * Records prepared views inside an open ledger transaction: picks virtual numbers, appends entries, writes
 * rows. A first-time view's alias is FF1 of its entry's ledger index, known only here. The views themselves
 * are built after the transaction (`viewsOf`), so that work does not hold up the next writer.
 */
async function releaseIn(
  c: Custody,
  trx: Transaction<Database>,
  log: LedgerWriter,
  party: Party,
  orders: ReleaseKey[],
  prepared: PreparedViews,
  pool: NumberPool,
  key?: string,
): Promise<Recorded> {
  const fields = fieldsFor(party);
  const now = new Date();
  const releasedAt = now.toISOString();
  const bindingEnds = new Date(now.getTime() + BINDING_DAYS * 86_400_000).toISOString();
  const fpv = c.keyring.version('fingerprint');
  // A view's first number is known only if it was prepared under the key it will carry (views re-prepared
  // below, for an older key or one that turned since, are checked against every binding of their consumer).
  const firsts = orders.map((_, i) => (prepared.fpVersion === fpv ? poolNumber(pool, at(prepared.views, i, 'prepared view')[4]) : null));
  // The worker sealed and indexed each view's first number; those hold while the data and index keys have not turned.
  const numbersHold = prepared.dataVersion === c.keyring.version('data') && prepared.indexVersion === c.keyring.version('index');
  const firstTags = orders.map((o, i) => {
    const first = firsts[i];
    if (first == null) return null;
    return numbersHold ? at(prepared.views, i, 'prepared view')[8] : numberIndex(c.keyring, o.phone_bidx, first);
  });
  // The chain heads are read before the probe so that the entries can be encoded while the probe runs.
  const stored = await chainHeads(
    trx,
    c.store.dialect === 'sqlite',
    orders.map((o) => o.id),
  );
  const probing = probeReleases(
    c.store,
    trx,
    party.id,
    orders.map((o, i) => ({ bidx: o.phone_bidx, order: o.id, first: firstTags[i] ?? null })),
    releasedAt,
    // A row without an index counts only if its ledger leaf binds its number: rows planted in the table must
    // not steer which number a party is given.
    async (r) => {
      const leaf = await trx.selectFrom('ledger').select('leaf').where('idx', '=', r.ledger_idx).executeTakeFirst();
      const vn = boundNumber(c.keyring, r, leaf?.leaf ?? null, (i, l) => c.ledger.holds(i, l));
      return vn === null ? null : numberIndex(c.keyring, r.phone_bidx, vn);
    },
  );
  // Awaited below; marked handled now so that, should the guessing throw first, its failure is not left unhandled.
  probing.catch(() => undefined);
  // While PostgreSQL answers the probe, every view's entry and alias are encoded on the guess that it is a
  // first-time view binding its first number, as nearly all are; the writer otherwise sat idle through the
  // probe and then did this work with the ledger held. A wrong guess is encoded again below. The pause lets
  // the probe's statement go out first (SQLite's probe has already run: nothing to overlap there).
  if (!c.store.sqlite) await new Promise<void>((resolve) => setImmediate(resolve));
  const base = log.next;
  const chain = chainLinks(
    orders.map((o) => o.id),
    base,
    stored,
  );
  const encode = releaseEncoder({ at: releasedAt, party: party.id, fields, key });
  // The leaf binds the number without showing it (commitments.ts): a leaf's readers must not be able to copy
  // a party's numbers into a dump that frames it.
  const leaf = (i: number, o: ReleaseKey, p: PreparedRow, vn: string, fp: number): EncodedEntry =>
    log.encode(
      base + i,
      encode(base + i, {
        order: o.ref,
        variants: p[6],
        vn: commitTo(entrySalt(c.keyring, base + i), vn),
        fp,
        kv: o.key_version,
        prev: chain.prev[i] ?? null,
      }),
      party.id,
    );
  const guesses = orders.map((o, i) => {
    const first = firsts[i];
    return first == null ? null : leaf(i, o, at(prepared.views, i, 'prepared view'), first, fpv);
  });
  // Each view adds one entry, in order, so view i's entry has index base + i whatever the probe finds.
  const aliases = aliasesOf(
    c.keyring.key('fingerprint', fpv),
    orders.map((_, i) => base + i),
  );
  const probe = await probing;
  const { existing } = probe;
  // A view first released under an older fingerprint key keeps that key's bits; the key may also have turned
  // since preparing. Those views are prepared again here, under the version each one needs.
  const again = new Map<string, PreparedRow>();
  const stale = new Map<number, string[]>();
  for (const o of orders) {
    const version = existing.get(o.id)?.fp_version ?? fpv;
    if (version === prepared.fpVersion) continue;
    const ids = stale.get(version) ?? [];
    ids.push(o.id);
    stale.set(version, ids);
  }
  for (const [version, ids] of stale)
    for (const r of await runJob({ db: trx, ...(c.store.sqlite ? { sqlite: c.store.sqlite } : {}) }, jobFor(c, party, ids, pool, version)))
      if (r) again.set(r[0], r);
  const fresh: ReleasesTable[] = [];
  const out: Recorded = { aliases: [], numbers: [], expires: [], rows: [] };
  orders.forEach((o, i) => {
    const prior = existing.get(o.id);
    const redone = again.get(o.id);
    const p = redone ?? at(prepared.views, i, 'prepared view');
    const tag = (x: string): string => (x === firsts[i] ? (firstTags[i] as string) : numberIndex(c.keyring, o.phone_bidx, x));
    const vn = prior ? openNumber(c.keyring, prior) : pickNumber(pool, p[4], tag, probe);
    const vnTag = prior?.vn_bidx ?? tag(vn);
    probe.live.add(vnTag);
    probe.used.add(vnTag);
    const expires = prior?.vn_expires_at ?? bindingEnds;
    const guess = guesses[i];
    // The guess holds for a first-time view, prepared under the current key, that binds its first number.
    const idx = log.addEncoded(!prior && !redone && guess && vn === firsts[i] ? guess : leaf(i, o, p, vn, prior?.fp_version ?? fpv));
    out.aliases.push(prior ? aliasOfRow(c, prior) : at(aliases, i, 'alias'));
    out.numbers.push(vn);
    out.expires.push(expires);
    out.rows.push(p);
    if (prior) return;
    fresh.push({
      order_id: o.id,
      party_id: party.id,
      alias: '',
      virtual_number: numbersHold && !redone && vn === firsts[i] ? p[7] : sealNumber(c.keyring, { order_id: o.id, party_id: party.id }, vn),
      vn_bidx: vnTag,
      vn_expires_at: expires,
      fp_version: fpv,
      ledger_idx: idx,
      created_at: releasedAt,
      phone_bidx: o.phone_bidx,
    });
  });
  await insertRows(c.store, trx, 'releases', fresh);
  await moveHeads(trx, c.store.dialect === 'sqlite', chain.heads);
  return out;
}

/** The views a release recorded, as the party receives them: its alias first, then its fields in order. */
function viewsOf(fields: readonly ViewField[], r: Recorded): View[] {
  return r.rows.map((p, i) => {
    const view: View = { order_no: at(r.aliases, i, 'alias') };
    let k = RENDERED_AT;
    for (const f of fields)
      if (f === 'phone') view.phone = renderPhone(at(r.numbers, i, 'virtual number'), p[5]);
      else if (f !== 'order_no') view[f] = p[k++] as string | number;
    if (fields.includes('phone')) view.virtual_number_expires_at = at(r.expires, i, 'binding end');
    return view;
  });
}

/**
 * The releases of these orders (by internal id), optionally only one party's. Releases are keyed by the
 * consumer's phone index first, so the lookup goes through each order's.
 */
export async function releasesOfOrders(db: Custody['store']['db'], orderIds: readonly string[], party?: string): Promise<ReleasesTable[]> {
  const out: ReleasesTable[] = [];
  for (let i = 0; i < orderIds.length; i += 500) {
    let q = db
      .selectFrom('orders as o')
      .innerJoin('releases as r', (j) => j.onRef('r.phone_bidx', '=', 'o.phone_bidx').onRef('r.order_id', '=', 'o.id'))
      .selectAll('r')
      .where('o.id', 'in', orderIds.slice(i, i + 500));
    if (party !== undefined) q = q.where('r.party_id', '=', party);
    for (const r of await q.execute()) out.push(r);
  }
  return out;
}

/** Resolves an order reference a party may use: the internal id or the alias it was given. */
async function resolveOrder(c: Custody, party: Party, ref: string, key: string | undefined): Promise<OrdersTable> {
  let row = await c.store.db.selectFrom('orders').selectAll().where('id', '=', ref).executeTakeFirst();
  if (!row) {
    const rel = (await releasesByAlias(c, [ref])).get(ref);
    if (rel && rel.party_id === party.id)
      row = await c.store.db.selectFrom('orders').selectAll().where('id', '=', rel.order_id).executeTakeFirst();
  }
  // An order the party did not handle is reported exactly like one that does not exist; the attempt is kept
  // for supervision, which counts a party's tries at orders never routed to it.
  if (row && !canSee(party, row)) {
    const at = new Date().toISOString();
    await c.store.db
      .insertInto('access_refusals')
      .values({ party_id: party.id, order_id: row.id, day: at.slice(0, 10), key_id: key ?? '', at, tries: 1 })
      .onConflict((oc) =>
        oc.columns(['party_id', 'order_id', 'day', 'key_id']).doUpdateSet((eb) => ({ tries: eb('access_refusals.tries', '+', 1) })),
      )
      .execute();
  }
  if (!row || !canSee(party, row)) throw new NotFoundError('no such order among this party’s orders');
  return row;
}

/** One order's view for a party (by internal id or the party's alias); the ledger names the key it used. */
export async function releaseView(c: Custody, who: Taker, ref: string, pool: NumberPool = DEFAULT_POOL): Promise<View> {
  const { party, key } = takerOf(who);
  fieldsFor(party);
  const { orders, prepared } = await prepare(c, party, [(await resolveOrder(c, party, ref, key)).id], pool);
  const [view] = viewsOf(fieldsFor(party), await c.ledger.write((trx, log) => releaseIn(c, trx, log, party, orders, prepared, pool, key)));
  return view as View;
}

/** A station's, courier's or other handler's manifest: views of its orders placed on a Shanghai-time day, plus an export entry. */
export async function releaseManifest(c: Custody, who: Taker, day: string, pool: NumberPool = DEFAULT_POOL): Promise<View[]> {
  const { party, key } = takerOf(who);
  const fields = fieldsFor(party);
  if (party.kind === 'cs_agent') throw new ForbiddenError('CS agents have no manifest');
  const from = new Date(`${day}T00:00:00+08:00`);
  const calendar = !Number.isNaN(from.getTime()) && new Date(from.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) === day;
  if (!/^\d{4}-\d\d-\d\d$/.test(day) || !calendar) throw new InputError([{ field: 'day', message: 'must be a calendar date, YYYY-MM-DD' }]);
  const to = new Date(from.getTime() + 86_400_000);
  const col = HANDLER_COLUMN[party.kind as keyof typeof HANDLER_COLUMN];
  const ids = await c.store.db
    .selectFrom('orders')
    .select('id')
    .where(col, '=', handlerId(party))
    .where('ordered_at', '>=', from.toISOString())
    .where('ordered_at', '<', to.toISOString())
    .orderBy('ordered_at')
    .orderBy('id')
    .execute();
  const { orders, prepared } = await prepare(
    c,
    party,
    ids.map((o) => o.id),
    pool,
  );
  const recorded = await c.ledger.write(async (trx, log) => {
    const r = await releaseIn(c, trx, log, party, orders, prepared, pool, key);
    const manifest = createHash('sha256')
      .update(orders.map((o) => o.ref).join(','))
      .digest('hex');
    log.add({
      t: 'export',
      at: new Date().toISOString(),
      party: party.id,
      orders: orders.length,
      manifest,
      fields: [...fields],
      fp: c.keyring.version('fingerprint'),
      ...(key === undefined ? {} : { key }),
    });
    return r;
  });
  return viewsOf(fields, recorded);
}

/** Views for many orders at once, in the order asked (the simulator's and benchmark's path; the same code as every other release). */
export async function releaseMany(c: Custody, party: Party, orderIds: readonly string[], pool: NumberPool = DEFAULT_POOL): Promise<View[]> {
  const { orders, prepared } = await prepare(c, party, [...orderIds], pool);
  return viewsOf(fieldsFor(party), await c.ledger.write((trx, log) => releaseIn(c, trx, log, party, orders, prepared, pool)));
}

/**
 * A CS agent's full decrypt of one order: needs a reason; the reason, a commitment to the note and, when it
 * names one, the registered ticket's entry (custody/tickets.ts) go into the ledger.
 */
export async function decryptOrder(
  c: Custody,
  who: Taker,
  ref: string,
  reason: (typeof DECRYPT_REASONS)[number],
  note = '',
  ticket?: string,
): Promise<{ name: string; phone: string; address: string }> {
  const { party, key } = takerOf(who);
  if (party.kind !== 'cs_agent') throw new ForbiddenError('only CS agents decrypt orders');
  const o = await resolveOrder(c, party, ref, key);
  const tk = ticket === undefined ? undefined : await ticketFor(c, party, o.id, ticket, new Date());
  const p = plainOrder(c, o);
  // A ticket another agent holds, or one spent, is refused without being kept as a wrong ticket id: the agent
  // named a real ticket of the order, and an agent that took it first must not make that a lead against it.
  await c.ledger.write(async (trx, log) => {
    if (tk !== undefined) await holdTicket(trx, tk, party.id);
    const prev = (await chainHeads(trx, c.store.dialect === 'sqlite', [o.id])).get(o.id) ?? null;
    // No note is the SHA-256 of nothing, which says only that there was no ticket; a note is committed to
    // with its entry's salt, so that a guessable ticket number cannot be read back from the leaf.
    const idx = log.add({
      t: 'decrypt',
      at: new Date().toISOString(),
      party: party.id,
      order: o.ref,
      fields: [...DECRYPT_FIELDS],
      reason,
      note: note === '' ? createHash('sha256').update('').digest('hex') : commitTo(entrySalt(c.keyring, log.next), note),
      kv: o.key_version,
      ...(tk === undefined ? {} : { tk }),
      prev,
      ...(key === undefined ? {} : { key }),
    });
    await moveHeads(trx, c.store.dialect === 'sqlite', new Map([[o.id, idx]]));
    // Found again by order when the consumer asks who has seen it (supervision), without scanning the ledger.
    await trx
      .insertInto('order_decrypts')
      .values({ ledger_idx: idx, order_id: o.id, party_id: party.id, ticket_idx: tk ?? null })
      .execute();
  });
  const detail = [p.street, p.building, p.unit, p.room].filter(Boolean).join(' ');
  return { name: p.name, phone: p.phone, address: `${p.province}${p.city}${p.district}${detail}` };
}
