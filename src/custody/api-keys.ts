/** API keys: shown once, stored as SHA-256 of the secret, each with scopes. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeEntry } from '../ledger/index.ts';
import type { Custody } from './custody.ts';
import { ForbiddenError, InputError } from './errors.ts';
import { getParties, getParty } from './parties.ts';
import type { PartyKind } from './party.ts';
import { SCOPES, type Principal, type Scope } from './principal.ts';
import { manages, type Operator } from './tenancy.ts';

/** Scopes a new key gets when none are asked for. */
export const DEFAULT_SCOPES: Record<PartyKind, Scope[]> = {
  platform: ['admin'],
  cs_agent: ['release', 'decrypt', 'ledger', 'contacts'],
  merchant: ['release', 'ledger'],
  merchant_staff: ['release', 'ledger'],
  erp: ['release', 'ledger'],
  carrier: ['release', 'ledger'],
  outlet: ['release', 'ledger'],
  station: ['release', 'ledger'],
  courier: ['release', 'ledger'],
  regulator: ['trace', 'ledger', 'cases', 'reputation'],
  police: ['cases', 'trace', 'ledger'],
};

/** Scopes each kind may hold at most. */
const ALLOWED: Record<PartyKind, readonly Scope[]> = {
  ...DEFAULT_SCOPES,
  platform: SCOPES,
  merchant: [...DEFAULT_SCOPES.merchant, 'registry'],
  carrier: [...DEFAULT_SCOPES.carrier, 'registry'],
};

/** Live keys one party may hold: a key that can mint its own party's keys must not fill the table. */
export const MAX_LIVE_KEYS = 50;

const KEY_RE = /^gk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const digest = (secret: string): Buffer => createHash('sha256').update(secret).digest();

/** True when the principal holds `scope` (or admin). */
export function hasScope(p: Principal, scope: Scope): boolean {
  return p.scopes.includes('admin') || p.scopes.includes(scope);
}

/**
 * Creates a key for a party; the returned `key` is the only time the secret is seen. A signed-in caller mints
 * only for a party it manages (itself or below it) and only scopes it holds itself; the operator mints any.
 */
export async function createApiKey(
  c: Custody,
  actor: Principal | Operator,
  partyId: string,
  opts: { scopes?: Scope[] | undefined; label?: string | undefined } = {},
): Promise<{ id: string; key: string; scopes: Scope[] }> {
  const party = await getParty(c, partyId);
  const by = 'operator' in actor ? null : actor;
  // A party outside the caller's reach is reported exactly like one that does not exist.
  if (!party || (by !== null && !(await manages(c, by.party, party))))
    throw new InputError([{ field: 'party_id', message: 'no such party' }]);
  const scopes = opts.scopes ?? DEFAULT_SCOPES[party.kind];
  const bad = scopes.filter((s) => !ALLOWED[party.kind].includes(s));
  if (bad.length > 0) throw new InputError([{ field: 'scopes', message: `a ${party.kind} may not hold ${bad.join(', ')}` }]);
  const unheld = by === null ? [] : scopes.filter((s) => !(s === 'admin' ? by.scopes.includes('admin') : hasScope(by, s)));
  if (unheld.length > 0) throw new ForbiddenError(`this key may not grant ${unheld.join(', ')}: it does not hold it`);
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const now = new Date().toISOString();
  await c.ledger.write(async (trx, log) => {
    // Counted inside the ledger's write, which one writer holds at a time: two requests cannot both pass.
    const live = await trx
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('party_id', '=', partyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(live.n) >= MAX_LIVE_KEYS)
      throw new InputError([{ field: 'party_id', message: `this party already holds ${MAX_LIVE_KEYS} live keys: revoke one first` }]);
    const idx = log.add({
      t: 'registry',
      at: now,
      party: by === null ? (actor as Operator).operator : by.party.id,
      action: 'key.create',
      subject: `${partyId}/${id}`,
    });
    await trx
      .insertInto('api_keys')
      .values({
        id,
        party_id: partyId,
        hash: digest(secret).toString('hex'),
        scopes: JSON.stringify(scopes),
        label: opts.label ?? '',
        created_at: now,
        revoked_at: null,
        created_by: by === null ? `operator:${(actor as Operator).operator}` : by.party.id,
        ledger_idx: idx,
      })
      .execute();
  });
  return { id, key: `gk_${id}_${secret}`, scopes };
}

/** A key as its own party sees it: never the secret; who minted it, and whether that was the party itself. */
export interface OwnKey {
  id: string;
  label: string;
  scopes: Scope[];
  created_at: string;
  /** A party id, `operator:<name>`, or null when no entry the ledger holds names the minter (`keyMints`). */
  created_by: string | null;
  minted_by_self: boolean;
  revoked_at: string | null;
}

/**
 * The keys in the caller's own name, with who minted each: a key a manager minted for it is one the manager
 * saw, and the party can revoke it and mint its own (`createApiKey` for itself), so that what is taken under
 * its name afterwards is its own doing.
 */
export async function listOwnKeys(c: Custody, me: Principal): Promise<OwnKey[]> {
  const rows = await c.store.db
    .selectFrom('api_keys')
    .selectAll()
    .where('party_id', '=', me.party.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    scopes: JSON.parse(r.scopes) as Scope[],
    created_at: r.created_at,
    created_by: r.created_by,
    minted_by_self: r.created_by === me.party.id,
    revoked_at: r.revoked_at,
  }));
}

/**
 * Revokes a key; a signed-in caller revokes only keys of parties it manages (others read as absent), or with
 * `ownOnly` only keys in its own name.
 */
export async function revokeApiKey(c: Custody, actor: Principal | Operator, keyId: string, ownOnly = false): Promise<boolean> {
  const by = 'operator' in actor ? null : actor.party;
  if (by !== null) {
    const row = await c.store.db.selectFrom('api_keys').select('party_id').where('id', '=', keyId).executeTakeFirst();
    const owner = row ? await getParty(c, row.party_id) : null;
    if (!owner || (ownOnly ? owner.id !== by.id : !(await manages(c, by, owner)))) return false;
  }
  const now = new Date().toISOString();
  return c.ledger.write(async (trx, log) => {
    const r = await trx
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('id', '=', keyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (r.numUpdatedRows === 0n) return false;
    log.add({ t: 'registry', at: now, party: by === null ? (actor as Operator).operator : by.id, action: 'key.revoke', subject: keyId });
    return true;
  });
}

/** The principal a bearer key belongs to, or null for a malformed, unknown, wrong or revoked key. */
export async function authenticate(c: Custody, token: string): Promise<Principal | null> {
  const m = KEY_RE.exec(token);
  if (!m) return null;
  const [, id, secret] = m as unknown as [string, string, string];
  const row = await c.store.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.revoked_at !== null) return null;
  if (!timingSafeEqual(Buffer.from(row.hash, 'hex'), digest(secret))) return null;
  const party = await getParty(c, row.party_id);
  if (!party) return null;
  return { keyId: id, party, scopes: JSON.parse(row.scopes) as Scope[] };
}

/** Who minted a key and for whom; `mintedBy` is a party id, `operator:<name>`, or null (no entry that the tree holds names the minter). */
export interface KeyMint {
  party: string;
  mintedBy: string | null;
  mintedByName: string | null;
  mintedAt: string;
}

/**
 * The minters of these keys, read from each key's `key.create` leaf (which the signed tree holds) rather than
 * from the keys table, which a database writer could edit. A key whose leaf is missing, not held by the tree,
 * or about another key has no known minter. Keys not found are left out.
 */
export async function keyMints(c: Custody, ids: Iterable<string>): Promise<Map<string, KeyMint>> {
  const unique = [...new Set(ids)];
  const rows: { id: string; party_id: string; created_at: string; ledger_idx: number | null; leaf: string | null }[] = [];
  for (let i = 0; i < unique.length; i += 500)
    rows.push(
      ...(await c.store.db
        .selectFrom('api_keys as k')
        .leftJoin('ledger as l', 'l.idx', 'k.ledger_idx')
        .select(['k.id', 'k.party_id', 'k.created_at', 'k.ledger_idx', 'l.leaf'])
        .where('k.id', 'in', unique.slice(i, i + 500))
        .execute()),
    );
  if (rows.some((r) => r.ledger_idx !== null && r.ledger_idx >= c.ledger.tree.size)) await c.ledger.refresh();
  const minterOf = (r: (typeof rows)[number]): string | null => {
    if (r.ledger_idx === null || r.leaf === null || !c.ledger.holds(r.ledger_idx, r.leaf)) return null;
    const e = decodeEntry(r.leaf);
    return e.t === 'registry' && e.action === 'key.create' && e.subject === `${r.party_id}/${r.id}` ? e.party : null;
  };
  const minted = rows.map((r) => ({ r, by: minterOf(r) }));
  const parties = await getParties(
    c,
    minted.flatMap((m) => (m.by === null ? [] : [m.by])),
  );
  return new Map(
    minted.map(({ r, by }) => {
      // A registry leaf names the operator by its name and a party by its id.
      const party = by === null ? undefined : parties.get(by);
      return [
        r.id,
        {
          party: r.party_id,
          mintedBy: by === null ? null : party ? party.id : `operator:${by}`,
          mintedByName: by === null ? null : (party?.name ?? `运营方 operator ${by}`),
          mintedAt: r.created_at,
        },
      ];
    }),
  );
}
