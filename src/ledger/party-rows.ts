/**
 * `ledger verify`'s check of the parties table against the entries that created each party: an accusation
 * names a party by the name in the table, so a name swapped between two stations in the database would point
 * investigators at the innocent one. Entries carry a SHA-256 of the name and the kind (a person's name, such
 * as a courier's, stays out of the exported log).
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store/index.ts';
import type { LedgerEntry } from './entry.ts';
import type { LedgerProblem } from './problem.ts';

/** The commitment a `party.create` entry carries to a party's name. */
export function partyNameHash(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex');
}

/** Follows the `party.create` entries as verify streams the log. */
export class PartyCheck {
  private readonly created = new Map<string, { idx: number; name: string; kind: string }>();

  constructor(private readonly report: (p: LedgerProblem) => void) {}

  /** Notes a party's creation entry (entries written before names were committed carry none and are skipped). */
  see(idx: number, e: LedgerEntry): void {
    if (e.t === 'registry' && e.action === 'party.create' && e.name !== undefined && e.kind !== undefined)
      this.created.set(e.subject, { idx, name: e.name, kind: e.kind });
  }

  /** Holds each party row to the entry that created it. */
  async finish(store: Store): Promise<void> {
    const ids = [...this.created.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await store.db
        .selectFrom('parties')
        .select(['id', 'name', 'kind'])
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      const found = new Set(rows.map((r) => r.id));
      for (const id of ids.slice(i, i + 500)) {
        const at = this.created.get(id);
        if (!found.has(id) && at)
          this.report({
            kind: 'party',
            index: at.idx,
            message: `party ${id}, created at entry ${String(at.idx)}, is missing from the parties table`,
          });
      }
      for (const r of rows) {
        const at = this.created.get(r.id);
        if (!at) continue;
        const diffs = [
          ...(partyNameHash(r.name) !== at.name ? ['its name is not the one its creation entry committed to'] : []),
          ...(r.kind !== at.kind ? [`its kind is ${r.kind} but it was created a ${at.kind}`] : []),
        ];
        if (diffs.length > 0)
          this.report({ kind: 'party', index: at.idx, message: `party ${r.id} (created at entry ${String(at.idx)}): ${diffs.join('; ')}` });
      }
    }
  }
}
