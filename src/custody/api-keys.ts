/** API keys: shown once, stored as SHA-256 of the secret, each with scopes. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Custody } from './custody.ts';
import { ForbiddenError, InputError } from './errors.ts';
import { getParty } from './parties.ts';
import { keyMints, type KeyHolder } from './key-lineage.ts';
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

/** Keys one minter may give one party in a UTC day (exchanges, one key for another, are not counted): rotating keys must not fill the tables. */
export const MAX_KEYS_A_DAY = 20;

/** A key label: printable text, no control characters (PostgreSQL refuses NUL). */
export const keyLabelSchema = z
  .string()
  .max(100)
  .regex(/^[^\p{Cc}]*$/u, 'no control characters');

/** The checks and the write every new key goes through; `exchange` revokes the calling key in the same step. */
async function mint(
  c: Custody,
  actor: Principal | Operator,
  party: { id: string; kind: PartyKind },
  asked: readonly Scope[],
  label: string | undefined,
  exchange: boolean,
): Promise<{ id: string; key: string; scopes: Scope[] }> {
  const labelled = keyLabelSchema.safeParse(label ?? '');
  if (!labelled.success) throw InputError.fromZod(labelled.error, 'label');
  const by = 'operator' in actor ? null : actor;
  const scopes = grantable(party.kind, asked, by);
  const minter = by === null ? `operator:${(actor as Operator).operator}` : by.party.id;
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await c.ledger.write(async (trx, log) => {
    // Taken inside the ledger's write, so that this key's entries are in time order with those before them.
    const now = new Date().toISOString();
    // Counted inside the ledger's write, which one writer holds at a time: two requests cannot both pass.
    const count = async (today?: true): Promise<number> => {
      let q = trx
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('party_id', '=', party.id);
      // The day's count is per minter: a manager cannot use up a party's exchanges, nor a party its manager's mints.
      q = today
        ? q.where('created_at', '>=', `${now.slice(0, 10)}T00:00:00.000Z`).where('created_by', '=', minter)
        : q.where('revoked_at', 'is', null);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    if ((await count()) - (exchange ? 1 : 0) >= MAX_LIVE_KEYS)
      throw new InputError([{ field: 'party_id', message: `this party already holds ${MAX_LIVE_KEYS} live keys: revoke one first` }]);
    // An exchange replaces the calling key one for one, so it is not counted: a manager holding a key it
    // minted for the party could otherwise use up the day with mints in the party's name and block the
    // exchange that shuts it out.
    if (!exchange && (await count(true)) >= MAX_KEYS_A_DAY)
      throw new InputError([
        { field: 'party_id', message: `${MAX_KEYS_A_DAY} keys were minted for this party by this minter today: try again tomorrow` },
      ]);
    if (exchange && by !== null) {
      const r = await trx
        .updateTable('api_keys')
        .set({ revoked_at: now })
        .where('id', '=', by.keyId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw new ForbiddenError('this key was revoked meanwhile');
      log.add({ t: 'registry', at: now, party: by.party.id, action: 'key.revoke', subject: by.keyId });
    }
    // The leaf names the minting party and the key it called with, so that who could have held the new key
    // can be followed back (key-lineage.ts).
    const idx = log.add({
      t: 'registry',
      at: now,
      party: by === null ? (actor as Operator).operator : by.party.id,
      action: exchange ? 'key.exchange' : 'key.create',
      subject: `${party.id}/${id}`,
      ...(by === null ? {} : { via: by.keyId }),
    });
    await trx
      .insertInto('api_keys')
      .values({
        id,
        party_id: party.id,
        hash: digest(secret).toString('hex'),
        scopes: JSON.stringify(scopes),
        label: labelled.data,
        created_at: now,
        revoked_at: null,
        created_by: minter,
        via_key: by?.keyId ?? null,
        ledger_idx: idx,
      })
      .execute();
  });
  return { id, key: `gk_${id}_${secret}`, scopes };
}

/** The scopes asked for, once each, checked against what the party's kind may hold and what the caller holds. */
function grantable(kind: PartyKind, asked: readonly Scope[], by: Principal | null): Scope[] {
  const scopes = [...new Set(asked)];
  const bad = scopes.filter((s) => !ALLOWED[kind].includes(s));
  if (bad.length > 0) throw new InputError([{ field: 'scopes', message: `a ${kind} may not hold ${bad.join(', ')}` }]);
  const unheld = by === null ? [] : scopes.filter((s) => !(s === 'admin' ? by.scopes.includes('admin') : hasScope(by, s)));
  if (unheld.length > 0) throw new ForbiddenError(`this key may not grant ${unheld.join(', ')}: it does not hold it`);
  return scopes;
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
  return mint(c, actor, party, opts.scopes ?? DEFAULT_SCOPES[party.kind], opts.label, false);
}

/**
 * Exchanges the calling key for a new key in its own party's name (at most the calling key's scopes): the
 * calling key is revoked in the same step. Whoever minted the calling key cannot then keep using it unseen:
 * if it made the exchange itself, the party's key stops working.
 */
export async function exchangeOwnKey(
  c: Custody,
  me: Principal,
  opts: { scopes?: Scope[] | undefined; label?: string | undefined } = {},
): Promise<{ id: string; key: string; scopes: Scope[] }> {
  return mint(c, me, me.party, opts.scopes ?? me.scopes, opts.label, true);
}

/** A key as its own party sees it: never the secret; who minted it, and who else held a key in its line. */
export interface OwnKey {
  id: string;
  label: string;
  scopes: Scope[];
  created_at: string;
  /** A party id, `operator:<name>`, or null when no entry the ledger holds names the minter. */
  minted_by: string | null;
  /** Minted by exchanging the key it replaced. */
  exchanged: boolean;
  /** Everyone but this party who held a key in its line (key-lineage.ts). */
  seen_by: KeyHolder[];
  revoked_at: string | null;
}

/** Keys `listOwnKeys` shows, of each list: the most recent. */
const OWN_KEYS_SHOWN = 100;
/** Rows read to find the keys minted with the caller's keys, before their leaves are checked and OWN_KEYS_SHOWN kept. */
const MINTED_WITH_MINE_READ = 2000;

/** A key another party was given with one of the caller's keys, as its leaf says. */
export interface MintedWithMine {
  id: string;
  party_id: string;
  created_at: string;
  /** Which of the caller's keys it was minted with. */
  via: string;
  exchanged: boolean;
}

/**
 * The keys in the caller's own name, most recent first, with who minted each and who else held a key in its
 * line: a key a manager minted was seen by the manager, and the party can exchange it (`exchangeOwnKey`). Beside
 * them, the keys of other parties minted with the caller's keys: a manager using a key in the caller's name to
 * mint others shows here.
 */
export async function listOwnKeys(c: Custody, me: Principal): Promise<{ keys: OwnKey[]; minted_with_mine: MintedWithMine[] }> {
  const rows = await c.store.db
    .selectFrom('api_keys')
    .selectAll()
    .where('party_id', '=', me.party.id)
    // Every live key first (at most MAX_LIVE_KEYS), then the latest revoked ones: revoked keys cannot push a
    // live one off the list.
    .orderBy(sql`case when revoked_at is null then 0 else 1 end`)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(OWN_KEYS_SHOWN)
    .execute();
  // Other parties' keys whose row says one of the caller's keys minted them; each is kept only if its leaf
  // agrees, and the cap is applied after that check, so rows planted without leaves cannot fill it.
  const candidates = await c.store.db
    .selectFrom('api_keys as o')
    .innerJoin('api_keys as v', 'v.id', 'o.via_key')
    .select(['o.id', 'o.party_id', 'o.created_at'])
    .where('v.party_id', '=', me.party.id)
    .where('o.party_id', '!=', me.party.id)
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id')
    .limit(MINTED_WITH_MINE_READ)
    .execute();
  const mints = await keyMints(c, [...rows.map((r) => r.id), ...candidates.map((o) => o.id)]);
  // The leaf's own `via` must be a key in the caller's name, whatever the row's column says.
  const vias = [...new Set(candidates.flatMap((o) => mints.get(o.id)?.via ?? []))];
  const mine = new Set(
    vias.length === 0
      ? []
      : (await c.store.db.selectFrom('api_keys').select('id').where('party_id', '=', me.party.id).where('id', 'in', vias).execute()).map(
          (k) => k.id,
        ),
  );
  return {
    keys: rows.map((r) => {
      const m = mints.get(r.id);
      return {
        id: r.id,
        label: r.label,
        scopes: JSON.parse(r.scopes) as Scope[],
        created_at: r.created_at,
        minted_by: m?.mintedBy ?? null,
        exchanged: m?.exchanged ?? false,
        seen_by: m?.seenBy ?? [],
        revoked_at: r.revoked_at,
      };
    }),
    minted_with_mine: candidates
      .flatMap((o) => {
        const m = mints.get(o.id);
        return m?.via !== undefined && mine.has(m.via)
          ? [{ id: o.id, party_id: o.party_id, created_at: o.created_at, via: m.via, exchanged: m.exchanged }]
          : [];
      })
      .slice(0, OWN_KEYS_SHOWN),
  };
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
