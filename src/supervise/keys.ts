/**
 * Which API keys a party's taking ran under, and who minted each. A manager may mint keys for the parties
 * below it, and then held that key: entries under a key another party minted may be the minter's, so a lead
 * names the key and its minter beside the party, and the party can revoke keys it does not hold.
 */
import type { KeyMint } from '../custody/index.ts';
import type { Profile } from './accountability.ts';

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
          ? {
              zh: `密钥 ${id}：${entries} 条记录（账本中没有可核验的签发记录，签发者不明）`,
              en: `key ${id}: ${entries} entries (no minting entry the ledger holds: its minter is unknown)`,
            }
          : self
            ? { zh: `密钥 ${id}：${entries} 条记录（它自己签发的密钥）`, en: `key ${id}: ${entries} entries (a key it minted itself)` }
            : {
                zh: `密钥 ${id}：${entries} 条记录；这把密钥由 ${who} 签发，签发时对方见过它，这些记录也可能是签发方所为`,
                en: `key ${id}: ${entries} entries; minted by ${who}, who saw the key when minting it, so these entries may be the minter's`,
              };
      return { id, entries, minted_by: by, minted_by_name: m?.mintedByName ?? null, minted_by_holder: self, ...text };
    });
}
