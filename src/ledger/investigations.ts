/**
 * `ledger verify`'s check of the investigation numbers that spend the false-accusation budget: investigation
 * entries must be numbered consecutively with one total E, and the `trace_budget` row must mirror the latest
 * one. A row reset below the ledger's count would let the same share ε_n be spent twice.
 */
import type { Store } from '../store/index.ts';
import type { LedgerEntry } from './entry.ts';
import type { LedgerProblem } from './problem.ts';

/**
 * The deployment's false-accusation budget E: fixed in the code, not read from the store, so that nobody with
 * the database can enlarge what investigations may spend.
 */
export const FALSE_ACCUSATION_BUDGET = 1e-6;

/** Follows the investigation entries as verify streams the log. */
export class InvestigationCheck {
  /** Investigation entries seen. */
  count = 0;
  private last: { n: number; idx: number; total: number } | null = null;

  constructor(private readonly report: (p: LedgerProblem) => void) {}

  /** Checks one entry (any kind; only investigations count). */
  see(idx: number, e: LedgerEntry): void {
    if (e.t !== 'investigation') return;
    const inv = e;
    this.count++;
    const prev = this.last;
    if (prev && inv.n !== prev.n + 1)
      this.report({
        kind: 'budget',
        index: idx,
        message: `investigation entry ${idx} is numbered ${inv.n} but follows number ${prev.n} (entry ${prev.idx}): investigation numbers must go up by one`,
      });
    if (inv.total !== FALSE_ACCUSATION_BUDGET)
      this.report({
        kind: 'budget',
        index: idx,
        message: `investigation entry ${idx} spends from a total of ${inv.total}, not the deployment's ${FALSE_ACCUSATION_BUDGET}`,
      });
    else if (prev && inv.total !== prev.total)
      this.report({
        kind: 'budget',
        index: idx,
        message: `investigation entry ${idx} spends from a total of ${inv.total} but entry ${prev.idx} from ${prev.total}: the deployment's budget was changed`,
      });
    this.last = { n: inv.n, idx, total: inv.total };
  }

  /** Holds the `trace_budget` row to the latest investigation entry. */
  async finish(store: Store): Promise<void> {
    const last = this.last;
    if (!last) return;
    const row = await store.db.selectFrom('trace_budget').select(['spent', 'total']).where('id', '=', 'deployment').executeTakeFirst();
    if (!row || row.spent !== last.n)
      this.report({
        kind: 'budget',
        message: `the investigation counter (trace_budget.spent) is ${row ? row.spent : 'missing'} but the ledger's latest investigation entry (entry ${last.idx}) is number ${last.n}: the counter was changed outside the server (investigations keep numbering from the ledger)`,
      });
    if (row && row.total !== last.total)
      this.report({
        kind: 'budget',
        message: `the budget total (trace_budget.total) is ${row.total} but the ledger's investigations spent from ${last.total}: it was changed outside the server`,
      });
  }
}
