/**
 * Finding releases by the alias a party was given: an alias deciphers (under the fingerprint key version
 * of its release) to the ledger index of the release's first entry. Aliases given before that scheme are
 * looked up in `release_aliases`.
 */
import { aliasesOf, ledgerIndexesOf } from '../fingerprint/index.ts';
import type { ReleasesTable } from '../store/index.ts';
import type { Custody } from './custody.ts';

/**
 * The alias a release row's party was given: FF1 of the row's first ledger index under its fingerprint key
 * version. Rows keep no copy of it (someone reading the database could otherwise copy a party's aliases into
 * a dump and have it accused); only releases from before that scheme keep theirs, in `alias`.
 */
export function aliasOfRow(c: Custody, r: Pick<ReleasesTable, 'alias' | 'ledger_idx' | 'fp_version'>): string {
  return r.alias !== '' ? r.alias : (aliasesOf(c.keyring.key('fingerprint', r.fp_version), [r.ledger_idx])[0] as string);
}

/**
 * The release behind each of these aliases that has one. `legacy: false` leaves out aliases from before the
 * scheme: `release_aliases` is a plain table the ledger does not sign, so whoever can write the database
 * could add a row there, and evidence must not rest on it.
 */
export async function releasesByAlias(
  c: Custody,
  aliases: readonly string[],
  opts: { legacy?: boolean } = {},
): Promise<Map<string, ReleasesTable>> {
  const found = new Map<string, ReleasesTable>();
  const db = c.store.db;
  const byIndex = async (want: Map<number, string>, check: (r: ReleasesTable, alias: string) => boolean): Promise<void> => {
    const idx = [...want.keys()];
    for (let i = 0; i < idx.length; i += 500)
      for (const r of await db
        .selectFrom('releases')
        .selectAll()
        .where('ledger_idx', 'in', idx.slice(i, i + 500))
        .execute()) {
        const alias = want.get(r.ledger_idx);
        if (alias !== undefined && check(r, alias)) found.set(alias, r);
      }
  };
  const unique = [...new Set(aliases)];
  // The alias is the release's because it deciphers to the release's index under the key version the release
  // was given with; the row's stored copy of the alias is not asked (a database edit to it must neither hide
  // the party that received the alias nor pin it on another). A wrong version deciphers to a random index,
  // which holds a release of that version with the odds the alias bound counts (docs/trace-bounds.md).
  for (const v of c.keyring.versions('fingerprint')) {
    const left = unique.filter((a) => !found.has(a));
    const idx = ledgerIndexesOf(c.keyring.key('fingerprint', v), left);
    const want = new Map<number, string>();
    left.forEach((a, k) => {
      const i = idx[k];
      if (i !== null && i !== undefined) want.set(i, a);
    });
    await byIndex(want, (r) => r.fp_version === v);
  }
  if (opts.legacy === false) return found;
  const left = unique.filter((a) => !found.has(a));
  const legacy = new Map<number, string>();
  for (let i = 0; i < left.length; i += 500)
    for (const r of await db
      .selectFrom('release_aliases')
      .select(['alias', 'ledger_idx'])
      .where('alias', 'in', left.slice(i, i + 500))
      .execute())
      legacy.set(r.ledger_idx, r.alias);
  await byIndex(legacy, (r, alias) => r.alias === alias);
  return found;
}
