/**
 * `ledger verify`'s check of the investigations table (what the console shows as accused) against the
 * `outcome` entries written with each row: a row rewritten to name an innocent party, deleted, or added
 * without its entry is named. Rows older than the first such entry were written before outcomes were logged.
 */
import { createHash } from 'node:crypto';
import type { InvestigationsTable, Store } from '../store/index.ts';
import type { LedgerEntry } from './entry.ts';
import type { LedgerProblem } from './problem.ts';

/** The commitment an `outcome` entry carries to its investigation row. */
export function outcomeHash(r: InvestigationsTable): string {
  return createHash('sha256')
    .update(JSON.stringify([r.id, r.kind, r.by_party, r.records, r.accused, r.suspects, r.created_at]))
    .digest('hex');
}

/** Follows the `outcome` entries as verify streams the log. */
export class OutcomeCheck {
  private readonly logged = new Map<string, { idx: number; hash: string; at: string }>();
  private first: string | null = null;

  constructor(private readonly report: (p: LedgerProblem) => void) {}

  /** Notes an outcome entry. */
  see(idx: number, e: LedgerEntry): void {
    if (e.t !== 'outcome') return;
    this.logged.set(e.investigation, { idx, hash: e.hash, at: e.at });
    if (this.first === null || e.at < this.first) this.first = e.at;
  }

  /** Holds every investigation row from the first logged outcome on to its entry. */
  async finish(store: Store): Promise<void> {
    if (this.first === null) return;
    const rows = await store.db.selectFrom('investigations').selectAll().where('created_at', '>=', this.first).execute();
    const seen = new Set<string>();
    for (const r of rows) {
      seen.add(r.id);
      const e = this.logged.get(r.id);
      if (!e)
        this.report({ kind: 'outcome', message: `investigation ${r.id} has no outcome entry in the ledger (added outside the server)` });
      else if (outcomeHash(r) !== e.hash)
        this.report({
          kind: 'outcome',
          index: e.idx,
          message: `investigation ${r.id} is not what its outcome entry ${String(e.idx)} committed to (its accused or figures were changed)`,
        });
    }
    for (const [id, e] of this.logged)
      if (!seen.has(id))
        this.report({ kind: 'outcome', index: e.idx, message: `investigation ${id} of outcome entry ${String(e.idx)} is missing` });
  }
}
