/**
 * Which API keys a party's taking ran under, and who minted each. A manager may mint keys for the parties
 * below it, and then held that key: entries under a key another party minted may be the minter's, so a lead
 * names the key and its minter beside the party, and the party can revoke keys it does not hold.
 */
import { getParties, type Custody } from '../custody/index.ts';
import type { Profile } from './accountability.ts';

/** Who minted a key and for whom; `mintedBy` is a party id, `operator:<name>`, or null (minted before minters were kept). */
export interface KeyMint {
  party: string;
  mintedBy: string | null;
  mintedByName: string | null;
  mintedAt: string;
}

/** One key a party's entries and refused tries name, with its minter in plain words. */
export interface KeyUse {
  id: string;
  entries: number;
  minted_by: string | null;
  minted_by_name: string | null;
  /** The party minted this key itself (nobody else saw it). */
  minted_by_holder: boolean;
  zh: string;
  en: string;
}

/** The minters of these keys (keys not found are left out). */
export async function keyMints(c: Custody, ids: Iterable<string>): Promise<Map<string, KeyMint>> {
  const unique = [...new Set(ids)];
  const rows = [];
  for (let i = 0; i < unique.length; i += 500)
    rows.push(
      ...(await c.store.db
        .selectFrom('api_keys')
        .select(['id', 'party_id', 'created_by', 'created_at'])
        .where('id', 'in', unique.slice(i, i + 500))
        .execute()),
    );
  const minters = await getParties(
    c,
    rows.flatMap((r) => (r.created_by !== null && !r.created_by.startsWith('operator:') ? [r.created_by] : [])),
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        party: r.party_id,
        mintedBy: r.created_by,
        mintedByName:
          r.created_by === null
            ? null
            : (minters.get(r.created_by)?.name ?? (r.created_by.startsWith('operator:') ? '运营方 operator' : null)),
        mintedAt: r.created_at,
      },
    ]),
  );
}

/** The keys a profile's entries name, most used first, each with who minted it. */
export function keyUses(p: Profile, mints: ReadonlyMap<string, KeyMint>): KeyUse[] {
  return [...p.keys]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([id, entries]) => {
      const m = mints.get(id);
      const by = m?.mintedBy ?? null;
      const self = by === p.party;
      const who = m?.mintedByName ?? by ?? '';
      const text =
        by === null
          ? { zh: `密钥 ${id}：${entries} 条记录（签发者未记录）`, en: `key ${id}: ${entries} entries (its minter was not recorded)` }
          : self
            ? { zh: `密钥 ${id}：${entries} 条记录（它自己签发的密钥）`, en: `key ${id}: ${entries} entries (a key it minted itself)` }
            : {
                zh: `密钥 ${id}：${entries} 条记录；这把密钥由 ${who} 签发，签发时对方见过它，这些记录也可能是签发方所为`,
                en: `key ${id}: ${entries} entries; minted by ${who}, who saw the key when minting it, so these entries may be the minter's`,
              };
      return { id, entries, minted_by: by, minted_by_name: m?.mintedByName ?? null, minted_by_holder: self, ...text };
    });
}
