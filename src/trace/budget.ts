/**
 * The false-accusation budget, kept by the server and numbered by the ledger. Every investigation that may
 * accuse (dump, report, canaries) appends an `investigation` entry carrying its number n, and may spend
 * ε_n = E · 6 / (π² n²) of the deployment-wide total E: Σ ε_n = E over all investigations ever run, so the
 * chance that any of them accuses an innocent party stays within E. Callers cannot choose n or ε.
 *
 * n is one more than the number in the latest investigation entry, read in the same ledger transaction that
 * appends the new one (writers are serialised), so each n is used once and the entries are numbered
 * consecutively: an outsider holding the log can count them. The `trace_budget` row mirrors the latest n
 * (`ledger verify` names a difference); it is used only before the first entry, for investigations run before
 * the ledger numbered them, and never to lower n.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Custody } from '../custody/index.ts';
import { FALSE_ACCUSATION_BUDGET } from '../ledger/index.ts';
import { INVESTIGATION_LEAF, type InvestigationKind } from '../ledger/entry.ts';
import type { Database } from '../store/index.ts';
import { spendingWeight } from './tardos.ts';

/** One investigation's share of the budget. */
export interface Budget {
  /** The investigation's number in this deployment (1 for the first). */
  investigation: number;
  /** The ledger index of the entry that took this number. */
  entry: number;
  /** The deployment-wide total E. */
  total: number;
  /** ε_n, what this investigation may spend. */
  epsilon: number;
}

/** What an investigation is about to be run on, and by whom. */
export interface InvestigationStart {
  kind: InvestigationKind;
  /** The input as the investigation reads it (dump text, report, outcomes); only its SHA-256 is logged. */
  input: string;
  /** The caller's party id ('cli' from the command line). */
  by: string;
}

/** The latest investigation entry's number and index, or null when the ledger has none. */
export async function latestInvestigation(db: Kysely<Database>): Promise<{ n: number; idx: number } | null> {
  const row = await db
    .selectFrom('ledger')
    .select(['idx', 'leaf'])
    .where(sql<boolean>`${sql.raw(INVESTIGATION_LEAF)}`)
    .orderBy('idx', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return { n: (JSON.parse(row.leaf) as { n: number }).n, idx: row.idx };
}

/** Takes the next investigation number and its share ε_n of the deployment's budget, logging it in the ledger. */
export async function spendBudget(c: Custody, start: InvestigationStart): Promise<Budget> {
  const input = createHash('sha256').update(start.input, 'utf8').digest('hex');
  return c.ledger.write(async (trx, log) => {
    const row = await trx.selectFrom('trace_budget').select(['spent']).where('id', '=', 'deployment').executeTakeFirstOrThrow();
    const last = await latestInvestigation(trx);
    // The ledger's count wins over the row: a row reset below it would re-spend shares already spent. The total
    // is the code's, whatever the row says: a larger one would let every investigation spend more.
    const n = (last ? last.n : row.spent) + 1;
    const total = FALSE_ACCUSATION_BUDGET;
    await trx.updateTable('trace_budget').set({ spent: n, total }).where('id', '=', 'deployment').execute();
    const entry = log.add({
      t: 'investigation',
      at: new Date().toISOString(),
      party: start.by,
      n,
      kind: start.kind,
      input,
      total,
    });
    return { investigation: n, entry, total, epsilon: total / spendingWeight(n) };
  });
}
