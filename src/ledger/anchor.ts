/**
 * The signer's anchor: the size and root of the last checkpoint this deployment's signer signed, kept in a
 * file beside the master key, outside the database. Whoever can write the database but not that file cannot
 * have the honest signer re-sign a rewritten or truncated history: the signer checks the tree still extends
 * its anchor before it signs anything.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Size and root (base64) of the last checkpoint signed here. */
export interface Anchor {
  size: number;
  root: string;
}

/** Reads the anchor file, or null when there is none yet; a file that does not parse is an error naming it. */
export function readAnchor(file: string): Anchor | null {
  if (!existsSync(file)) return null;
  const raw = readFileSync(file, 'utf8');
  const a = JSON.parse(raw) as Partial<Anchor>;
  if (typeof a.size !== 'number' || !Number.isSafeInteger(a.size) || typeof a.root !== 'string')
    throw new Error(`${file} is not a ledger anchor (expected {"size": n, "root": "<base64>"})`);
  return { size: a.size, root: a.root };
}

/** Records a newly signed size, never moving the anchor back (another process may have signed further). */
export function advanceAnchor(file: string, next: Anchor): void {
  const now = readAnchor(file);
  if (now && now.size >= next.size) return;
  const tmp = `${file}.tmp-${String(process.pid)}`;
  writeFileSync(tmp, `${JSON.stringify(next)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
