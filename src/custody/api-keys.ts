/** API keys: shown once, stored as SHA-256 of the secret, each with scopes. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Custody } from './custody.ts';
import { ForbiddenError, InputError } from './errors.ts';
import { getParty } from './parties.ts';
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
      })
      .execute();
    log.add({
      t: 'registry',
      at: now,
      party: by === null ? (actor as Operator).operator : by.party.id,
      action: 'key.create',
      subject: `${partyId}/${id}`,
    });
  });
  return { id, key: `gk_${id}_${secret}`, scopes };
}

/** Revokes a key; a signed-in caller revokes only keys of parties it manages (others read as absent). */
export async function revokeApiKey(c: Custody, actor: Principal | Operator, keyId: string): Promise<boolean> {
  const by = 'operator' in actor ? null : actor.party;
  if (by !== null) {
    const row = await c.store.db.selectFrom('api_keys').select('party_id').where('id', '=', keyId).executeTakeFirst();
    const owner = row ? await getParty(c, row.party_id) : null;
    if (!owner || !(await manages(c, by, owner))) return false;
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
