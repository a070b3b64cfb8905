/**
 * Which API keys a party's taking ran under, and who could have held each. A manager may mint keys for the
 * parties below it, and then held that key; whoever held the key a mint was made with could have made it: so a
 * lead names each key with everyone in its line (custody/key-lineage.ts) beside the party.
 */
import type { KeyHolder, KeyMint } from '../custody/index.ts';
import type { Profile } from './accountability.ts';

/** One key a party's entries and refused tries name, with its line in plain words. */
export interface KeyUse {
  id: string;
  entries: number;
  minted_by: string | null;
  minted_by_name: string | null;
  exchanged: boolean;
  /** Every party but this one that held a key in this key's line (the operator, its root, is not counted): any of them could have taken what it names. */
  seen_by: KeyHolder[];
  /** The line was read back to its start. */
  complete: boolean;
  zh: string;
  en: string;
}

/** The words for one key's line. */
function lineText(id: string, entries: number, holder: string, m: KeyMint | undefined): { zh: string; en: string } {
  const zh = [`密钥 ${id}：${entries} 条记录`];
  const en = [`key ${id}: ${entries} entries`];
  if (m === undefined || m.mintedBy === null) {
    zh.push('账本中没有可核验的签发记录，签发者不明');
    en.push('no minting entry the ledger holds: its minter is unknown');
    return { zh: zh.join('；'), en: en.join('; ') };
  }
  if (m.exchanged) {
    zh.push('由它自己换发（换发时旧密钥作废）');
    en.push('exchanged by the party for its previous key (revoked at that moment)');
  } else if (m.mintedBy === holder) {
    zh.push('由它自己签发');
    en.push('minted by the party itself');
  } else {
    zh.push(`由 ${m.mintedByName ?? m.mintedBy} 签发`);
    en.push(`minted by ${m.mintedByName ?? m.mintedBy}`);
  }
  if (m.seenBy.length > 0) {
    const names = m.seenBy.map((h) => h.name).join('、');
    zh.push(`签发链上持有过密钥的还有 ${names}，这些记录也可能是他们所为`);
    en.push(`${m.seenBy.map((h) => h.name).join(', ')} also held a key in its line, so these entries may be theirs`);
  } else if (m.complete) {
    zh.push('签发链上没有其他参与方持有过密钥');
    en.push('no other party held a key in its line');
  }
  if (!m.complete) {
    zh.push('更早的签发记录无法核验');
    en.push('its line cannot be checked further back');
  }
  return { zh: zh.join('；'), en: en.join('; ') };
}

/** The keys a profile's entries name, most used first, each with its line. */
export function keyUses(p: Profile, mints: ReadonlyMap<string, KeyMint>): KeyUse[] {
  return [...p.keys]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([id, entries]) => {
      const m = mints.get(id);
      return {
        id,
        entries,
        minted_by: m?.mintedBy ?? null,
        minted_by_name: m?.mintedByName ?? null,
        exchanged: m?.exchanged ?? false,
        seen_by: m?.seenBy ?? [],
        complete: m?.complete ?? false,
        ...lineText(id, entries, p.party, m),
      };
    });
}
