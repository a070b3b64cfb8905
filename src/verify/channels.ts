/**
 * Official channels and never-do policies: what an organisation registers so consumers (and the check
 * engine) can tell its real numbers, senders, accounts and domains from a scammer's.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ASKS, type Brand } from '../check/index.ts';
import { foreignPlatformName, getParty, InputError, manages, NotFoundError, type Custody, type Party } from '../custody/index.ts';
import { at } from '../shared/at.ts';
import { canonicalChannel, CHANNEL_KINDS, type ChannelKind } from './identifiers.ts';

/** Kinds of organisation that contact consumers and so may register channels. */
const REGISTRANTS = new Set(['platform', 'merchant', 'carrier']);

/** The never-do vocabulary is the check engine's asks, minus tone (urgency) which is not a policy. */
export const NEVER_ASKS = ASKS.filter((a) => a !== 'urgency');

/** A registration: channels to add and, optionally, the never-do list (replacing the old one). */
export const registrationSchema = z.strictObject({
  party_id: z.string().max(40).optional().describe('the organisation registering; default: the caller'),
  channels: z
    .array(
      z.strictObject({
        kind: z.enum(CHANNEL_KINDS),
        value: z.string().min(1).max(200),
        label: z.string().max(60).optional().describe('e.g. 官方客服热线'),
      }),
    )
    .max(200)
    .default([]),
  never: z.array(z.enum(NEVER_ASKS)).max(NEVER_ASKS.length).optional().describe('asks this organisation never makes'),
});
export type Registration = z.input<typeof registrationSchema>;

/** One registered channel. */
export interface Channel {
  id: string;
  kind: ChannelKind;
  value: string;
  label: string;
}

/** An organisation's public entry in the directory. */
export interface DirectoryEntry {
  party: { id: string; name: string; kind: string };
  channels: Channel[];
  never: string[];
}

const cache = new WeakMap<Custody, { at: number; brands: Brand[] }>();
/** Another process may register channels; the snapshot is re-read after this long. */
const CACHE_MS = 10_000;

async function registrant(c: Custody, actor: Party, partyId: string | undefined): Promise<Party> {
  const target = partyId ? await getParty(c, partyId) : actor;
  // A party the actor does not manage (another platform's, or one above it) reads like one that does not exist.
  if (!target || !(await manages(c, actor, target))) throw new InputError([{ field: 'party_id', message: 'no such party' }]);
  if (!REGISTRANTS.has(target.kind)) throw new InputError([{ field: 'party_id', message: `a ${target.kind} does not register channels` }]);
  return target;
}

/** Adds channels (idempotent) and sets the never-do list; every change goes into the ledger. */
export async function register(c: Custody, actor: Party, input: Registration): Promise<DirectoryEntry> {
  const parsed = registrationSchema.safeParse(input);
  if (!parsed.success) throw InputError.fromZod(parsed.error);
  const r = parsed.data;
  const target = await registrant(c, actor, r.party_id);
  const values = r.channels.map((ch, i) => {
    const value = canonicalChannel(ch.kind, ch.value);
    if (value === undefined) throw new InputError([{ field: `channels.${i}.value`, message: `not a valid ${ch.kind}` }]);
    return { kind: ch.kind, value, label: ch.label ?? '' };
  });
  // A name alias or a label is shown as the organisation's own: it may not carry another platform's name.
  for (const [i, v] of values.entries())
    for (const [field, text] of [
      ['value', v.kind === 'name' ? v.value : ''],
      ['label', v.label],
    ] as const) {
      const taken = text ? await foreignPlatformName(c, text, target.tenantId) : undefined;
      if (taken !== undefined)
        throw new InputError([{ field: `channels.${i}.${field}`, message: `carries the name of another platform (${taken})` }]);
    }
  const now = new Date().toISOString();
  await c.ledger.write(async (trx, log) => {
    for (const [i, v] of values.entries()) {
      const held = await trx
        .selectFrom('channels')
        .select('party_id')
        .where('kind', '=', v.kind)
        .where('value', '=', v.value)
        .executeTakeFirst();
      if (held && held.party_id !== target.id)
        throw new InputError([{ field: `channels.${i}.value`, message: 'already registered by another organisation' }]);
      if (held) continue;
      await trx
        .insertInto('channels')
        .values({ id: `ch_${randomBytes(6).toString('hex')}`, party_id: target.id, ...v, created_at: now })
        .execute();
      log.add({ t: 'registry', at: now, party: actor.id, action: 'channel.add', subject: `${target.id}/${v.kind}:${v.value}` });
    }
    if (r.never) {
      const never = JSON.stringify([...new Set(r.never)].sort());
      const had = await trx.selectFrom('policies').select('party_id').where('party_id', '=', target.id).executeTakeFirst();
      if (had) await trx.updateTable('policies').set({ never, updated_at: now }).where('party_id', '=', target.id).execute();
      else await trx.insertInto('policies').values({ party_id: target.id, never, updated_at: now }).execute();
      log.add({ t: 'registry', at: now, party: actor.id, action: 'policy.set', subject: `${target.id}/never:${never}` });
    }
  });
  cache.delete(c);
  return at(await directory(c, target.id), 0, 'directory entry');
}

/** Removes a channel of an organisation the actor manages (itself, or for a platform, one of its tree). */
export async function unregister(c: Custody, actor: Party, channelId: string): Promise<void> {
  const row = await c.store.db.selectFrom('channels').selectAll().where('id', '=', channelId).executeTakeFirst();
  const owner = row ? await getParty(c, row.party_id) : null;
  if (!row || !owner || !(await manages(c, actor, owner))) throw new NotFoundError('no such channel');
  const now = new Date().toISOString();
  await c.ledger.write(async (trx, log) => {
    await trx.deleteFrom('channels').where('id', '=', channelId).execute();
    log.add({ t: 'registry', at: now, party: actor.id, action: 'channel.remove', subject: `${row.party_id}/${row.kind}:${row.value}` });
  });
  cache.delete(c);
}

/** The public directory of official channels, for one organisation or all. */
export async function directory(c: Custody, partyId?: string): Promise<DirectoryEntry[]> {
  let q = c.store.db
    .selectFrom('channels')
    .innerJoin('parties', 'parties.id', 'channels.party_id')
    .select([
      'channels.id',
      'channels.kind',
      'channels.value',
      'channels.label',
      'parties.id as pid',
      'parties.name',
      'parties.kind as pkind',
    ])
    .orderBy('parties.name')
    .orderBy('channels.kind')
    .orderBy('channels.value');
  if (partyId) q = q.where('channels.party_id', '=', partyId);
  const rows = await q.execute();
  let pq = c.store.db
    .selectFrom('policies')
    .innerJoin('parties', 'parties.id', 'policies.party_id')
    .select(['party_id', 'never', 'name', 'kind']);
  if (partyId) pq = pq.where('party_id', '=', partyId);
  const policies = await pq.execute();
  const out = new Map<string, DirectoryEntry>();
  const entry = (id: string, name: string, kind: string): DirectoryEntry => {
    let e = out.get(id);
    if (!e) out.set(id, (e = { party: { id, name, kind }, channels: [], never: [] }));
    return e;
  };
  for (const r of rows)
    entry(r.pid, r.name, r.pkind).channels.push({ id: r.id, kind: r.kind as ChannelKind, value: r.value, label: r.label });
  for (const p of policies) entry(p.party_id, p.name, p.kind).never = JSON.parse(p.never) as string[];
  if (partyId && out.size === 0) {
    const p = await getParty(c, partyId);
    if (!p) throw new NotFoundError('no such party');
    entry(p.id, p.name, p.kind);
  }
  return [...out.values()];
}

/** The registry as the check engine sees it (cached for a few seconds). */
export async function brands(c: Custody): Promise<Brand[]> {
  const hit = cache.get(c);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.brands;
  const list = (await directory(c)).map((e): Brand => {
    const of = (...kinds: ChannelKind[]): string[] => e.channels.filter((ch) => kinds.includes(ch.kind)).map((ch) => ch.value);
    return {
      party: e.party.id,
      display: e.party.name,
      names: [...new Set([e.party.name.toLowerCase(), ...of('name')])],
      phones: new Set(of('phone', 'sms')),
      domains: of('domain'),
      never: e.never as Brand['never'],
    };
  });
  cache.set(c, { at: Date.now(), brands: list });
  return list;
}

/** Which organisation, if any, registered this number (phone or SMS sender). */
export async function numberOwner(c: Custody, canonical: string): Promise<DirectoryEntry | undefined> {
  const row = await c.store.db
    .selectFrom('channels')
    .select('party_id')
    .where('kind', 'in', ['phone', 'sms'])
    .where('value', '=', canonical)
    .executeTakeFirst();
  return row ? (await directory(c, row.party_id))[0] : undefined;
}
