/**
 * Outbound contact records: the platform files each call or SMS its staff make, and a consumer later asks
 * "did you really contact me?" without telling the server who they are (see contact-crypto.ts). A stored
 * entry holds only its hash prefix, tag, sealed payload and time: nothing that names the consumer or the
 * order, so the store cannot map a bucket to the consumers in it (docs/verify-privacy.md).
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { canonicalPhone } from '../check/index.ts';
import { ForbiddenError, getParties, InputError, loadOrders, plainOrder, type Custody, type Party } from '../custody/index.ts';
import { must } from '../shared/at.ts';
import { CONTACT_REASONS } from './reasons.ts';
import {
  lookupKey,
  MAX_BUCKET_BITS,
  openBucket,
  PREFIX_BITS,
  sealPayload,
  type BucketEntry,
  type ContactPayload,
  type LookupParams,
} from './contact-crypto.ts';

export { CONTACT_REASONS, REASON_TEXT, type ContactReason } from './reasons.ts';

/** How long contact records answer lookups. */
export const RETENTION_DAYS = 90;
/** The widest window one lookup may ask for. */
export const MAX_WINDOW_DAYS = 31;
const DAY = 86_400_000;

const iso = z.iso.datetime({ offset: true });

/** One outbound contact as the platform files it. */
export const contactInputSchema = z
  .strictObject({
    agent_id: z.string().max(40).describe('the CS agent (party) who made the contact'),
    platform_order_id: z.string().max(64).optional().describe("the platform's order number; the consumer's phone comes from custody"),
    consumer_phone: z.string().max(40).optional().describe('only when the contact is not about an order'),
    channel: z.enum(['call', 'sms']),
    number_used: z.string().max(40).describe('the registered number the call or SMS came from'),
    at: iso,
    reason: z.enum(CONTACT_REASONS),
    agent_label: z.string().max(30).optional().describe('what the agent told the consumer, e.g. 工号 1024'),
  })
  .refine((v) => (v.platform_order_id === undefined) !== (v.consumer_phone === undefined), {
    error: 'give exactly one of platform_order_id or consumer_phone',
    path: ['platform_order_id'],
  });
export type ContactInput = z.input<typeof contactInputSchema>;

function platformOf(actor: Party): string {
  if (actor.kind === 'platform') return actor.id;
  if (actor.kind === 'cs_agent' && actor.parentId) return actor.parentId;
  throw new ForbiddenError('only a platform or its CS agents record contacts');
}

/** Files contacts (all or none). Every number used must be one the platform registered; a contact filed before is kept once (`added` counts the new ones). */
export async function recordContacts(c: Custody, actor: Party, inputs: readonly ContactInput[]): Promise<{ ids: string[]; added: number }> {
  const platformId = platformOf(actor);
  const platform = must((await getParties(c, [platformId])).get(platformId), "the caller's platform");
  const parsed = inputs.map((x, i) => {
    const r = contactInputSchema.safeParse(x);
    if (!r.success) throw InputError.fromZod(r.error, String(i));
    return r.data;
  });
  const registered = new Set(
    (
      await c.store.db
        .selectFrom('channels')
        .select('value')
        .where('party_id', '=', platformId)
        .where('kind', 'in', ['phone', 'sms'])
        .execute()
    ).map((r) => r.value),
  );
  const agents = await getParties(c, [...new Set(parsed.map((p) => p.agent_id))]);
  const byPlatformId = new Map<string, Awaited<ReturnType<typeof loadOrders>>[number]>();
  const wanted = parsed.flatMap((p) => (p.platform_order_id ? [p.platform_order_id] : []));
  for (let i = 0; i < wanted.length; i += 500) {
    const ids = (
      await c.store.db
        .selectFrom('orders')
        .select('id')
        .where('platform_id', '=', platformId)
        .where('platform_order_id', 'in', wanted.slice(i, i + 500))
        .execute()
    ).map((r) => r.id);
    for (const o of await loadOrders(c.store.db, ids)) byPlatformId.set(o.platform_order_id, o);
  }
  const { salt } = await lookupParams(c);
  const now = Date.now();
  const rows = await Promise.all(
    parsed.map(async (p, i) => {
      const agent = agents.get(p.agent_id);
      if (!agent || agent.kind !== 'cs_agent' || agent.parentId !== platformId)
        throw new InputError([{ field: `${i}.agent_id`, message: "must name one of this platform's CS agents" }]);
      if (actor.kind === 'cs_agent' && agent.id !== actor.id) throw new ForbiddenError('a CS agent records only its own contacts');
      const number = canonicalPhone(p.number_used);
      if (!number || !registered.has(number))
        throw new InputError([{ field: `${i}.number_used`, message: 'is not a number this platform registered' }]);
      const at = Date.parse(p.at);
      if (at > now + 5 * 60_000 || at < now - RETENTION_DAYS * DAY)
        throw new InputError([{ field: `${i}.at`, message: `must be within the last ${RETENTION_DAYS} days` }]);
      const order = p.platform_order_id ? byPlatformId.get(p.platform_order_id) : undefined;
      if (p.platform_order_id && !order)
        throw new InputError([{ field: `${i}.platform_order_id`, message: 'no such order of this platform' }]);
      const consumer = order
        ? canonicalPhone(plainOrder(c, order, '', { name: false, phone: true, address: false }).phone)
        : canonicalPhone(p.consumer_phone ?? '');
      if (!consumer) throw new InputError([{ field: `${i}.consumer_phone`, message: 'must be a valid phone number' }]);
      const k = await lookupKey(consumer, number, salt);
      const when = new Date(at).toISOString();
      const payload: ContactPayload = {
        platform: platform.name,
        at: when,
        channel: p.channel,
        number,
        reason: p.reason,
        orderTail: order ? order.platform_order_id.slice(-4) : null,
        agent: p.agent_label ?? agent.name,
      };
      return {
        // The same contact filed again (a re-run of the same file) gets the same id and is kept once.
        row: {
          id: contactId(k.tag, when, p.channel, p.reason, agent.id),
          prefix: k.prefix,
          tag: k.tag,
          payload: await sealPayload(k, payload),
          at: when,
        },
        // The ledger names the agent, the number and the reason, but not the order: an order reference there,
        // written with the entry, would let whoever holds the store map the entry's bucket back to the consumer.
        entry: { agent: agent.id, channel: p.channel, number, reason: p.reason },
      };
    }),
  );
  const filed = new Date(now).toISOString();
  const unique = [...new Map(rows.map((r) => [r.row.id, r])).values()];
  let added = 0;
  await c.ledger.write(async (trx, log) => {
    const held = new Set<string>();
    for (let i = 0; i < unique.length; i += 200) {
      const ids = unique.slice(i, i + 200).map((r) => r.row.id);
      for (const r of await trx.selectFrom('contact_entries').select('id').where('id', 'in', ids).execute()) held.add(r.id);
    }
    const fresh = unique.filter((r) => !held.has(r.row.id));
    added = fresh.length;
    for (let i = 0; i < fresh.length; i += 200)
      await trx
        .insertInto('contact_entries')
        .values(fresh.slice(i, i + 200).map((r) => r.row))
        .execute();
    for (const { entry } of fresh)
      log.add({
        t: 'contact',
        at: filed,
        party: entry.agent,
        order: '',
        channel: entry.channel,
        number: entry.number,
        reason: entry.reason,
      });
  });
  return { ids: rows.map((r) => r.row.id), added };
}

/** A contact's id from what makes it the same contact: who was called from which number (the tag), when, how, why, by whom. */
function contactId(tag: string, at: string, channel: string, reason: string, agent: string): string {
  return `ct_${createHash('sha256')
    .update(JSON.stringify([tag, at, channel, reason, agent]))
    .digest('hex')
    .slice(0, 16)}`;
}

/** Every bucket holds at least this many distinct (consumer, number used) pairs from the retention period. */
export const K_ANONYMITY = 10;
/**
 * How long computed lookup parameters are kept before the bucket counts are taken again. Counts only grow
 * until entries leave retention, and the width already leaves out those that leave within a day.
 */
const PARAMS_TTL_MS = 60 * 60_000;
const cached = new WeakMap<Custody, { until: number; params: LookupParams }>();

/**
 * The deployment's lookup parameters: its salt (made by the store's migration) and the bucket width. The width
 * is the largest (at most MAX_BUCKET_BITS) at which every one of the 2^bits buckets holds at least K_ANONYMITY
 * distinct tags among the entries that stay in retention for another day; with fewer entries than that, 0 bits
 * (the client reveals nothing). Taken again every hour.
 */
export async function lookupParams(c: Custody): Promise<LookupParams> {
  const hit = cached.get(c);
  if (hit && hit.until > Date.now()) return hit.params;
  const row = await c.store.db.selectFrom('settings').select('value').where('name', '=', 'contact_salt').executeTakeFirstOrThrow();
  const params = { salt: row.value, bits: await bucketWidth(c) };
  cached.set(c, { until: Date.now() + PARAMS_TTL_MS, params });
  return params;
}

/** The bucket width `lookupParams` describes (uncached), from one grouped count at the widest width the volume allows. */
export async function bucketWidth(c: Pick<Custody, 'store'>): Promise<number> {
  // Entries that leave retention within a day do not count: the width must hold until it is taken again.
  const floor = new Date(Date.now() - (RETENTION_DAYS - 1) * DAY).toISOString();
  const pairs = sql`select distinct prefix, tag from contact_entries where at >= ${floor}`;
  const total = await sql<{ n: number | string }>`select count(*) as n from (${pairs}) as pairs`.execute(c.store.db);
  // PostgreSQL returns count(*) as a string.
  const n = Number(total.rows[0]?.n ?? 0);
  let bits = Math.min(MAX_BUCKET_BITS, Math.max(0, Math.floor(Math.log2(n / K_ANONYMITY))));
  if (bits === 0) return 0;
  const shift = PREFIX_BITS - bits;
  // Equal tags come from equal hashes, so each tag lies in one bucket: counts of narrower buckets add up.
  const groups = await sql<{ b: number | string; n: number | string }>`
    select cast(prefix / ${2 ** shift} as integer) as b, count(*) as n
    from (${pairs}) as pairs group by 1`.execute(c.store.db);
  let counts = new Map<number, number>(groups.rows.map((g) => [Number(g.b), Number(g.n)]));
  for (;;) {
    let full = counts.size === 2 ** bits;
    for (const v of counts.values()) if (v < K_ANONYMITY) full = false;
    if (full || bits === 0) return bits;
    const wider = new Map<number, number>();
    for (const [b, v] of counts) wider.set(b >>> 1, (wider.get(b >>> 1) ?? 0) + v);
    counts = wider;
    bits--;
  }
}

/** A lookup: a bucket of `bits` bits, and a window inside retention at most MAX_WINDOW_DAYS wide. */
export const bucketQuerySchema = z
  .strictObject({
    bits: z.number().int().min(0).max(MAX_BUCKET_BITS).describe('the bucket width the lookup parameters gave'),
    bucket: z.number().int().min(0).describe('the first `bits` bits of the client’s hash, as an integer'),
    from: iso,
    to: iso,
  })
  .refine((q) => q.bucket < 2 ** q.bits, { error: 'must be below 2^bits', path: ['bucket'] })
  .refine((q) => Date.parse(q.to) >= Date.parse(q.from), { error: 'must not be before from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_WINDOW_DAYS * DAY, {
    error: `the window may be at most ${MAX_WINDOW_DAYS} days`,
    path: ['to'],
  });
export type BucketQuery = z.infer<typeof bucketQuerySchema>;

/**
 * Every entry of a bucket in the window (inside retention); the server cannot tell which one is wanted. The
 * bucket must have the current width: a narrower one would reveal more than the volume allows, a wider one
 * would let any anonymous caller read a large share of the store (the client asks for the parameters again).
 */
export async function bucketEntries(c: Custody, q: BucketQuery): Promise<BucketEntry[]> {
  const { bits } = await lookupParams(c);
  if (q.bits !== bits) throw new InputError([{ field: 'bits', message: `must be ${String(bits)}: ask for the lookup parameters again` }]);
  const floor = new Date(Date.now() - RETENTION_DAYS * DAY).toISOString();
  const from = new Date(Math.max(Date.parse(q.from), Date.parse(floor))).toISOString();
  const width = 2 ** (PREFIX_BITS - q.bits);
  const rows = await c.store.db
    .selectFrom('contact_entries')
    .select(['tag', 'payload'])
    .where('prefix', '>=', q.bucket * width)
    .where('prefix', '<', (q.bucket + 1) * width)
    .where('at', '>=', from)
    .where('at', '<=', new Date(Date.parse(q.to)).toISOString())
    .orderBy('at')
    .execute();
  return rows;
}

/** The consumer's side, canonicalising both numbers first (see `openBucket`). */
export async function findContacts(
  consumerPhone: string,
  caller: string,
  window: { from: string; to: string },
  params: LookupParams,
  fetchBucket: (q: BucketQuery) => Promise<BucketEntry[]>,
): Promise<ContactPayload[]> {
  const me = canonicalPhone(consumerPhone);
  const them = canonicalPhone(caller);
  if (!me) throw new InputError([{ field: 'phone', message: 'must be a valid phone number' }]);
  if (!them) throw new InputError([{ field: 'caller', message: 'must be a valid phone number' }]);
  return openBucket(me, them, window, params, fetchBucket);
}
