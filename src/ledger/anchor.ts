/**
 * The signer's anchor: the size and root of the last checkpoint this deployment's signer signed, kept in a
 * file beside the master key, outside the database. Whoever can write the database but not that file cannot
 * have the honest signer re-sign a rewritten or truncated history: the signer checks the tree still extends
 * its anchor before it signs anything.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Size and root (base64) of the last checkpoint signed here, and from which entry on every ledger row carries a tag. */
export interface Anchor {
  size: number;
  root: string;
  /** Rows from this index on must carry a valid row tag (log.ts); rows before were written before tags. */
  tagsFrom?: number;
}

/** Reads the anchor file, or null when there is none yet; a file that does not parse is an error naming it. */
export function readAnchor(file: string): Anchor | null {
  if (!existsSync(file)) return null;
  const raw = readFileSync(file, 'utf8');
  const a = JSON.parse(raw) as Partial<Anchor>;
  if (typeof a.size !== 'number' || !Number.isSafeInteger(a.size) || typeof a.root !== 'string')
    throw new Error(`${file} is not a ledger anchor (expected {"size": n, "root": "<base64>"})`);
  if (a.tagsFrom !== undefined && !(typeof a.tagsFrom === 'number' && Number.isSafeInteger(a.tagsFrom) && a.tagsFrom >= 0))
    throw new Error(`${file} is not a ledger anchor (tagsFrom must be an entry index)`);
  return { size: a.size, root: a.root, ...(a.tagsFrom === undefined ? {} : { tagsFrom: a.tagsFrom }) };
}

/**
 * Records a newly signed size, never moving the anchor back (another process may have signed further). The
 * first `tagsFrom` recorded stays.
 */
export function advanceAnchor(file: string, next: Anchor): void {
  const now = readAnchor(file);
  if (now && now.size >= next.size && (now.tagsFrom !== undefined || next.tagsFrom === undefined)) return;
  if (now?.tagsFrom !== undefined) next = { ...next, tagsFrom: now.tagsFrom };
  if (now && now.size > next.size) next = { ...next, size: now.size, root: now.root };
  const tmp = `${file}.tmp-${String(process.pid)}`;
  writeFileSync(tmp, `${JSON.stringify(next)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
