/** Parties: organisations and accounts, with the hierarchy each kind must sit in. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { partyNameHash } from '../ledger/index.ts';
import { toSimplified } from '../shared/simplified.ts';
import type { PartiesTable } from '../store/index.ts';
import type { Custody, StoreReader } from './custody.ts';
import { ForbiddenError, InputError } from './errors.ts';
import { PARTY_KINDS, type Party, type PartyKind } from './party.ts';
import type { Principal } from './principal.ts';
import { AUTHORITY_KINDS, manages, type Operator } from './tenancy.ts';

/** The kind a party's parent must be (null: a top-level organisation). */
export const PARENT_KIND: Record<PartyKind, PartyKind | null> = {
  platform: null,
  cs_agent: 'platform',
  merchant: null,
  merchant_staff: 'merchant',
  erp: null,
  carrier: null,
  outlet: 'carrier',
  station: 'outlet',
  courier: 'station',
  regulator: null,
  police: null,
};

const ACCOUNT_KINDS: ReadonlySet<PartyKind> = new Set(['cs_agent', 'merchant_staff']);

const partyId = z.string().regex(/^[a-z_]+_[0-9a-f]{10}$/, 'must be a party id');

/** Control, bidirectional-override and lone surrogate characters: a public name must read as what it is. */
const HIDDEN_CHARS = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;

/** A name shown to others: trimmed, 1-100 characters, no control or direction-override characters. */
export const publicName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !HIDDEN_CHARS.test(s), 'must not contain control, direction-override or broken (lone surrogate) characters');

/** A name as a reader compares names: compatibility forms and traditional characters folded, case and spaces and punctuation ignored. */
const nameKey = (s: string): string =>
  toSimplified(s.normalize('NFKC'))
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');

/**
 * The name of a platform other than `tenant` that `name` carries, if any: another tenant's party (or the alias
 * it registers) may not pass for that platform in the public directory and the check's verdicts.
 */
export async function foreignPlatformName(c: Custody, name: string, tenant: string | null): Promise<string | undefined> {
  return foreignIn(await platformNames(c), name, tenant);
}

type Named = { id: string; name: string };
const platformNames = (c: Custody): Promise<Named[]> =>
  c.store.db.selectFrom('parties').select(['id', 'name']).where('kind', '=', 'platform').execute();
function foreignIn(platforms: readonly Named[], name: string, tenant: string | null): string | undefined {
  const key = nameKey(name);
  return platforms.find((p) => p.id !== tenant && nameKey(p.name).length >= 2 && key.includes(nameKey(p.name)))?.name;
}

/** Input for creating a party. */
export const partyInputSchema = z.strictObject({
  kind: z.enum(PARTY_KINDS),
  name: publicName,
  parent_id: partyId.optional(),
  erp_id: partyId.optional(),
  /** The platform a merchant, ERP or carrier joins; only the operator names it (a platform's own key implies it). */
  platform_id: partyId.optional(),
  /** An authority's jurisdiction (operator only): platform ids or "*". */
  jurisdiction: z
    .array(z.union([z.literal('*'), partyId]))
    .min(1)
    .max(100)
    .optional(),
});
export type PartyInput = z.infer<typeof partyInputSchema>;

/** Maps a stored row to a Party. */
export function toParty(r: PartiesTable): Party {
  return {
    id: r.id,
    kind: r.kind as PartyKind,
    name: r.name,
    parentId: r.parent_id,
    orgId: r.org_id,
    erpId: r.erp_id,
    tenantId: r.tenant_id,
    jurisdiction: r.jurisdiction === null ? null : (JSON.parse(r.jurisdiction) as string[]),
  };
}

/** Loads parties by id. */
export async function getParties(c: StoreReader, ids: readonly string[]): Promise<Map<string, Party>> {
  const out = new Map<string, Party>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await c.store.db
      .selectFrom('parties')
      .selectAll()
      .where('id', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.id, toParty(r));
  }
  return out;
}

/** Parties by kind and name, optionally of one kind or one platform's tree (the operator's listing). */
export async function listParties(c: Custody, filter: { kind?: string | undefined; platform?: string | undefined } = {}): Promise<Party[]> {
  let q = c.store.db.selectFrom('parties').selectAll().orderBy('kind').orderBy('name');
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.platform !== undefined) q = q.where('tenant_id', '=', filter.platform);
  return (await q.execute()).map(toParty);
}

/** Loads one party or null. */
export async function getParty(c: Custody, id: string): Promise<Party | null> {
  return (await getParties(c, [id])).get(id) ?? null;
}

/**
 * Creates parties, checking the hierarchy, ERP links and who may create what (docs/security.md): the operator
 * creates anything; a platform creates any kind but platform inside its own tree (authorities it creates see
 * only its tree); any other party creates only children below itself. A registry entry is appended for each.
 */
export async function createParties(c: Custody, actor: Principal | Operator, inputs: readonly PartyInput[]): Promise<Party[]> {
  const by = 'operator' in actor ? null : actor.party;
  const parsed = inputs.map((x, i) => {
    const r = partyInputSchema.safeParse(x);
    if (!r.success) throw InputError.fromZod(r.error, inputs.length > 1 ? `${i}` : undefined);
    return r.data;
  });
  const ids = parsed.map((p) => `${p.kind}_${randomBytes(5).toString('hex')}`);
  const inBatch = new Map<string, { kind: PartyKind; tenant: string | null }>();
  const known = await getParties(
    c,
    parsed.flatMap((p) =>
      [p.parent_id, p.erp_id, p.platform_id, ...(p.jurisdiction ?? [])].filter((x): x is string => x !== undefined && x !== '*'),
    ),
  );
  const platforms =
    by === null &&
    parsed.some((p) => PARENT_KIND[p.kind] === null && !AUTHORITY_KINDS.has(p.kind) && p.kind !== 'platform' && !p.platform_id)
      ? await c.store.db.selectFrom('parties').select('id').where('kind', '=', 'platform').limit(2).execute()
      : [];
  const kindOf = (id: string): PartyKind | undefined => inBatch.get(id)?.kind ?? known.get(id)?.kind;
  const tenantOf = (id: string): string | null => (inBatch.has(id) ? (inBatch.get(id)?.tenant ?? null) : (known.get(id)?.tenantId ?? null));
  const now = new Date().toISOString();
  const rows: PartiesTable[] = [];
  let platformsNow: Named[] | undefined;
  for (const [i, p] of parsed.entries()) {
    const id = ids[i] as string;
    const at = (f: string): string => (inputs.length > 1 ? `${i}.${f}` : f);
    const refuse = (field: string, message: string): never => {
      throw new InputError([{ field: at(field), message }]);
    };
    const want = PARENT_KIND[p.kind];
    if (want === null && p.parent_id) refuse('parent_id', `a ${p.kind} has no parent`);
    if (by !== null && (p.platform_id !== undefined || p.jurisdiction !== undefined) && by.kind !== 'platform')
      refuse(p.platform_id !== undefined ? 'platform_id' : 'jurisdiction', 'only the operator sets this');
    let tenant: string | null;
    let jurisdiction: string[] | null = null;
    if (want !== null) {
      if (!p.parent_id) return refuse('parent_id', `a ${p.kind} needs a parent ${want}`);
      const parent = known.get(p.parent_id);
      const visible = inBatch.has(p.parent_id) || (parent !== undefined && (by === null || (await manages(c, by, parent))));
      if (!visible || kindOf(p.parent_id) !== want) refuse('parent_id', `must name an existing ${want}`);
      tenant = tenantOf(p.parent_id);
    } else if (p.kind === 'platform') {
      if (by !== null) throw new ForbiddenError('only the operator creates platforms');
      tenant = id;
    } else if (AUTHORITY_KINDS.has(p.kind)) {
      if (by === null) {
        tenant = null;
        jurisdiction = p.jurisdiction ?? ['*'];
        if (jurisdiction.includes('*') && jurisdiction.length > 1) refuse('jurisdiction', '* (all platforms) stands alone');
        for (const [j, t] of jurisdiction.entries())
          if (t !== '*' && kindOf(t) !== 'platform') refuse(`jurisdiction.${j}`, 'must name an existing platform or *');
      } else if (by.kind === 'platform') {
        if (p.jurisdiction !== undefined && (p.jurisdiction.length !== 1 || p.jurisdiction[0] !== by.id))
          refuse('jurisdiction', 'a platform creates authorities for its own orders only');
        tenant = by.id;
        jurisdiction = [by.id];
      } else throw new ForbiddenError(`only a platform or the operator creates a ${p.kind}`);
    } else if (by === null) {
      const candidates = [...platforms.map((r) => r.id), ...[...inBatch].filter(([, b]) => b.kind === 'platform').map(([k]) => k)];
      const named = p.platform_id ?? (candidates.length === 1 ? candidates[0] : undefined);
      if (named === undefined) return refuse('platform_id', `name the platform this ${p.kind} joins`);
      if (kindOf(named) !== 'platform' && !platforms.some((r) => r.id === named)) refuse('platform_id', 'must name an existing platform');
      tenant = named;
    } else if (by.kind === 'platform') {
      if (p.platform_id !== undefined && p.platform_id !== by.id) refuse('platform_id', 'must be the platform of this key');
      tenant = by.id;
    } else throw new ForbiddenError(`only a platform registers a ${p.kind}`);
    if (p.erp_id !== undefined) {
      if (p.kind !== 'merchant') refuse('erp_id', 'only a merchant authorises an ERP');
      if (kindOf(p.erp_id) !== 'erp' || tenantOf(p.erp_id) !== tenant) refuse('erp_id', 'must name an existing erp');
    }
    if (!AUTHORITY_KINDS.has(p.kind)) {
      const taken = foreignIn((platformsNow ??= await platformNames(c)), p.name, tenant);
      if (taken !== undefined) refuse('name', `carries the name of another platform (${taken})`);
    }
    const org = ACCOUNT_KINDS.has(p.kind) ? (p.parent_id as string) : id;
    inBatch.set(id, { kind: p.kind, tenant });
    rows.push({
      id,
      kind: p.kind,
      name: p.name,
      parent_id: p.parent_id ?? null,
      org_id: org,
      erp_id: p.erp_id ?? null,
      created_at: now,
      tenant_id: tenant,
      jurisdiction: jurisdiction === null ? null : JSON.stringify(jurisdiction),
    });
  }
  const actorName = by === null ? (actor as Operator).operator : by.id;
  await c.ledger.write(async (trx, log) => {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('parties')
        .values(rows.slice(i, i + 500))
        .execute();
    for (const r of rows)
      log.add({
        t: 'registry',
        at: now,
        party: actorName,
        action: 'party.create',
        subject: r.id,
        name: partyNameHash(r.name),
        kind: r.kind,
      });
  });
  return rows.map(toParty);
}
