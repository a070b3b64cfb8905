/**
 * Outbound contact records: the platform files each call or SMS its staff make, and a consumer later asks
 * "did you really contact me?" without telling the server who they are (see contact-crypto.ts).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { canonicalPhone } from '../check/index.ts';
import {
  ForbiddenError,
  getParties,
  InputError,
  loadOrders,
  orderRef,
  phoneIndex,
  plainOrder,
  type Custody,
  type Party,
} from '../custody/index.ts';
import { CONTACT_REASONS } from './reasons.ts';
import { BUCKET_HEX, lookupKey, openBucket, sealPayload, type BucketEntry, type ContactPayload } from './contact-crypto.ts';

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

/** Files contacts (all or none). Every number used must be one the platform registered. */
export async function recordContacts(c: Custody, actor: Party, inputs: readonly ContactInput[]): Promise<{ ids: string[] }> {
  const platformId = platformOf(actor);
  const platform = (await getParties(c, [platformId])).get(platformId) as Party;
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
  // Contacts keep the index version they were recorded under (an index-key rotation cannot reopen a number
  // that came without an order, and nothing looks contacts up by it); new ones take the current one.
  await c.keyring.syncIndex(c.store.db);
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
      const k = await lookupKey(consumer, number);
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
        row: {
          id: `ct_${randomBytes(8).toString('hex')}`,
          platform_id: platformId,
          agent_id: agent.id,
          order_id: order?.id ?? null,
          consumer_bidx: phoneIndex(c.keyring, consumer.replace(/^\+86/, '')),
          bucket: k.bucket,
          tag: k.tag,
          payload: await sealPayload(k, payload),
          channel: p.channel,
          number_used: number,
          reason: p.reason,
          at: when,
          created_at: new Date(now).toISOString(),
        },
        ref: order ? orderRef(c.keyring, order.id) : '',
      };
    }),
  );
  await c.ledger.write(async (trx, log) => {
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto('contacts')
        .values(rows.slice(i, i + 200).map((r) => r.row))
        .execute();
    for (const { row, ref } of rows)
      log.add({
        t: 'contact',
        at: row.created_at,
        party: row.agent_id,
        order: ref,
        channel: row.channel,
        number: row.number_used,
        reason: row.reason,
      });
  });
  return { ids: rows.map((r) => r.row.id) };
}

/** A lookup window, checked: inside retention and at most MAX_WINDOW_DAYS wide. */
export const bucketQuerySchema = z
  .strictObject({
    bucket: z.string().regex(new RegExp(`^[0-9a-f]{${BUCKET_HEX}}$`), `${BUCKET_HEX} lower-case hex digits`),
    from: iso,
    to: iso,
  })
  .refine((q) => Date.parse(q.to) >= Date.parse(q.from), { error: 'must not be before from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_WINDOW_DAYS * DAY, {
    error: `the window may be at most ${MAX_WINDOW_DAYS} days`,
    path: ['to'],
  });
export type BucketQuery = z.infer<typeof bucketQuerySchema>;

/** Every entry of a bucket in the window (inside retention); the server cannot tell which one is wanted. */
export async function bucketEntries(c: Custody, q: BucketQuery): Promise<BucketEntry[]> {
  const floor = new Date(Date.now() - RETENTION_DAYS * DAY).toISOString();
  const from = new Date(Math.max(Date.parse(q.from), Date.parse(floor))).toISOString();
  const rows = await c.store.db
    .selectFrom('contacts')
    .select(['tag', 'payload'])
    .where('bucket', '=', q.bucket)
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
  fetchBucket: (q: BucketQuery) => Promise<BucketEntry[]>,
): Promise<ContactPayload[]> {
  const me = canonicalPhone(consumerPhone);
  const them = canonicalPhone(caller);
  if (!me) throw new InputError([{ field: 'phone', message: 'must be a valid phone number' }]);
  if (!them) throw new InputError([{ field: 'caller', message: 'must be a valid phone number' }]);
  return openBucket(me, them, window, fetchBucket);
}
