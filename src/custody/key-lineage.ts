/**
 * Who could have held an API key. Whoever mints a key sees its secret, and whoever holds the key a mint was
 * made with could have made that mint: so a key's line runs back through the keys it was minted with, each
 * `key.create` or `key.exchange` leaf naming the minting party and the key it used (`via`). Everything is read
 * from leaves the signed tree holds, never from the keys table, which a database writer could edit.
 */
import { decodeEntry } from '../ledger/index.ts';
import type { Custody } from './custody.ts';
import { getParties } from './parties.ts';

/** A party, or the operator, that held a key in another key's line. */
export interface KeyHolder {
  /** A party id, or `operator:<name>`. */
  id: string;
  name: string;
}

/** Who minted a key, how, and who else may have held it. */
export interface KeyMint {
  party: string;
  /** The direct minter: a party id, `operator:<name>`, or null when no leaf the tree holds names it. */
  mintedBy: string | null;
  mintedByName: string | null;
  mintedAt: string;
  /** Minted by its holder in exchange for the key it called with, which was revoked in the same step. */
  exchanged: boolean;
  /** The key the mint was made with, as the leaf says (none for the operator's and older keys). */
  via: string | undefined;
  /** Every party but the holder that held a key in its line (the minter, and the holders of the keys it was minted with). */
  seenBy: KeyHolder[];
  /** The operator whose key the line starts from (the deployment's administrator), when it reaches one. */
  root: KeyHolder | null;
  /** False when the line could not be read to its start (an entry the tree does not hold, or one from before lines were kept). */
  complete: boolean;
}

/** One key's own mint, as its leaf says. */
interface Mint {
  party: string;
  createdAt: string;
  /** The minter named by the leaf (party id or operator name), or null when the leaf does not hold. */
  by: string | null;
  via: string | undefined;
  exchanged: boolean;
}

/** Each key's mint, read from its leaf when the tree holds it and the leaf is about this key. */
async function mintsOf(c: Custody, ids: readonly string[]): Promise<Map<string, Mint>> {
  const rows: { id: string; party_id: string; created_at: string; ledger_idx: number | null; leaf: string | null }[] = [];
  for (let i = 0; i < ids.length; i += 500)
    rows.push(
      ...(await c.store.db
        .selectFrom('api_keys as k')
        .leftJoin('ledger as l', 'l.idx', 'k.ledger_idx')
        .select(['k.id', 'k.party_id', 'k.created_at', 'k.ledger_idx', 'l.leaf'])
        .where('k.id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  if (rows.some((r) => r.ledger_idx !== null && r.ledger_idx >= c.ledger.tree.size)) await c.ledger.refresh();
  const out = new Map<string, Mint>();
  for (const r of rows) {
    const mint: Mint = { party: r.party_id, createdAt: r.created_at, by: null, via: undefined, exchanged: false };
    if (r.ledger_idx !== null && r.leaf !== null && c.ledger.holds(r.ledger_idx, r.leaf)) {
      const e = decodeEntry(r.leaf);
      if (e.t === 'registry' && (e.action === 'key.create' || e.action === 'key.exchange') && e.subject === `${r.party_id}/${r.id}`) {
        mint.by = e.party;
        mint.via = e.via;
        mint.exchanged = e.action === 'key.exchange';
      }
    }
    out.set(r.id, mint);
  }
  return out;
}

/** The mints and lines of these keys (keys not found are left out). */
export async function keyMints(c: Custody, ids: Iterable<string>): Promise<Map<string, KeyMint>> {
  const wanted = [...new Set(ids)];
  const mints = new Map<string, Mint>();
  // Read the keys, then the keys they were minted with, a generation at a time, to the start of every line:
  // whoever is at the start must never drop out (a key is minted after the key it was minted with, so lines end).
  const asked = new Set<string>();
  for (let next = wanted; next.length > 0;) {
    for (const id of next) asked.add(id);
    for (const [id, m] of await mintsOf(c, next)) mints.set(id, m);
    next = [...new Set([...mints.values()].flatMap((m) => (m.via !== undefined && !asked.has(m.via) ? [m.via] : [])))];
  }
  const parties = await getParties(
    c,
    [...mints.values()].flatMap((m) => (m.by === null ? [] : [m.by])),
  );
  // A leaf names a party by its id and the operator by its name.
  const holder = (by: string): KeyHolder => {
    const p = parties.get(by);
    return p ? { id: p.id, name: p.name } : { id: `operator:${by}`, name: `运营方 operator ${by}` };
  };
  const out = new Map<string, KeyMint>();
  for (const id of wanted) {
    const m = mints.get(id);
    if (m === undefined) continue;
    const seen = new Map<string, KeyHolder>();
    let root: KeyHolder | null = null;
    let complete = true;
    const walked = new Set<string>();
    for (let at: string | undefined = id; at !== undefined;) {
      const k = mints.get(at);
      if (k === undefined || k.by === null || walked.has(at)) {
        complete = false;
        break;
      }
      walked.add(at);
      const h = holder(k.by);
      // The operator mints the first keys of a deployment: it is the line's root, not one more holder.
      if (!parties.has(k.by)) root = h;
      else if (h.id !== m.party) seen.set(h.id, h);
      // A key a party minted with no `via` is from before lines were kept: who held the key it used is unknown.
      if (k.via === undefined && parties.has(k.by)) complete = false;
      at = k.via;
    }
    const direct = m.by === null ? null : holder(m.by);
    out.set(id, {
      party: m.party,
      mintedBy: direct?.id ?? null,
      mintedByName: direct?.name ?? null,
      mintedAt: m.createdAt,
      exchanged: m.exchanged,
      via: m.via,
      seenBy: [...seen.values()],
      root,
      complete,
    });
  }
  return out;
}
