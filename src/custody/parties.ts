/** Parties: organisations and accounts, with the hierarchy each kind must sit in. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PartiesTable } from '../store/index.ts';
import type { Custody } from './context.ts';
import { InputError } from './errors.ts';

/** Every kind of party. Accounts (cs_agent, merchant_staff) share their organisation's org-level code. */
export const PARTY_KINDS = [
  'platform',
  'cs_agent',
  'merchant',
  'merchant_staff',
  'erp',
  'carrier',
  'outlet',
  'station',
  'courier',
  'regulator',
  'police',
] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

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

/** A party as the rest of the system sees it. */
export interface Party {
  id: string;
  kind: PartyKind;
  name: string;
  parentId: string | null;
  orgId: string;
  erpId: string | null;
}

const partyId = z.string().regex(/^[a-z_]+_[0-9a-f]{10}$/, 'must be a party id');

/** Input for creating a party. */
export const partyInputSchema = z.strictObject({
  kind: z.enum(PARTY_KINDS),
  name: z.string().trim().min(1).max(100),
  parent_id: partyId.optional(),
  erp_id: partyId.optional(),
});
export type PartyInput = z.infer<typeof partyInputSchema>;

/** Maps a stored row to a Party. */
export function toParty(r: PartiesTable): Party {
  return { id: r.id, kind: r.kind as PartyKind, name: r.name, parentId: r.parent_id, orgId: r.org_id, erpId: r.erp_id };
}

/** Loads parties by id. */
export async function getParties(c: Custody, ids: readonly string[]): Promise<Map<string, Party>> {
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

/** Loads one party or null. */
export async function getParty(c: Custody, id: string): Promise<Party | null> {
  return (await getParties(c, [id])).get(id) ?? null;
}

/** Creates parties (checking parents and ERP links), appending a registry entry for each. */
export async function createParties(c: Custody, actor: string, inputs: readonly PartyInput[]): Promise<Party[]> {
  const parsed = inputs.map((x, i) => {
    const r = partyInputSchema.safeParse(x);
    if (!r.success) throw InputError.fromZod(r.error, inputs.length > 1 ? `${i}` : undefined);
    return r.data;
  });
  const ids = parsed.map((p) => `${p.kind}_${randomBytes(5).toString('hex')}`);
  const inBatch = new Map<string, { kind: PartyKind; org: string }>();
  const known = await getParties(
    c,
    parsed.flatMap((p) => [p.parent_id, p.erp_id].filter((x): x is string => x !== undefined)),
  );
  const kindOf = (id: string): PartyKind | undefined => inBatch.get(id)?.kind ?? known.get(id)?.kind;
  const now = new Date().toISOString();
  const rows: PartiesTable[] = parsed.map((p, i) => {
    const id = ids[i] as string;
    const at = (f: string): string => (inputs.length > 1 ? `${i}.${f}` : f);
    const want = PARENT_KIND[p.kind];
    if (want === null && p.parent_id) throw new InputError([{ field: at('parent_id'), message: `a ${p.kind} has no parent` }]);
    if (want !== null) {
      if (!p.parent_id) throw new InputError([{ field: at('parent_id'), message: `a ${p.kind} needs a parent ${want}` }]);
      if (kindOf(p.parent_id) !== want) throw new InputError([{ field: at('parent_id'), message: `must name an existing ${want}` }]);
    }
    if (p.erp_id !== undefined) {
      if (p.kind !== 'merchant') throw new InputError([{ field: at('erp_id'), message: 'only a merchant authorises an ERP' }]);
      if (kindOf(p.erp_id) !== 'erp') throw new InputError([{ field: at('erp_id'), message: 'must name an existing erp' }]);
    }
    const org = ACCOUNT_KINDS.has(p.kind) ? (p.parent_id as string) : id;
    inBatch.set(id, { kind: p.kind, org });
    return { id, kind: p.kind, name: p.name, parent_id: p.parent_id ?? null, org_id: org, erp_id: p.erp_id ?? null, created_at: now };
  });
  await c.ledger.write(async (trx, log) => {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('parties')
        .values(rows.slice(i, i + 500))
        .execute();
    for (const r of rows) log.add({ t: 'registry', at: now, party: actor, action: 'party.create', subject: r.id });
  });
  return rows.map(toParty);
}
