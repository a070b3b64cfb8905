/**
 * The false-accusation budget, kept by the server. Every investigation that may accuse (dump, report,
 * canaries) takes the next number n from a counter in the store, incremented atomically, and may spend
 * ε_n = E · 6 / (π² n²) of the deployment-wide total E: Σ ε_n = E over all investigations ever run, so the
 * chance that any of them accuses an innocent party stays within E. Callers cannot choose n or ε.
 */
import type { Custody } from '../custody/index.ts';
import { spendingWeight } from './tardos.ts';

/** One investigation's share of the budget. */
export interface Budget {
  /** The investigation's number in this deployment (1 for the first). */
  investigation: number;
  /** The deployment-wide total E. */
  total: number;
  /** ε_n, what this investigation may spend. */
  epsilon: number;
}

/** Takes the next investigation number and its share ε_n of the deployment's budget (one atomic update). */
export async function spendBudget(c: Custody): Promise<Budget> {
  const row = await c.store.db
    .updateTable('trace_budget')
    .set((eb) => ({ spent: eb('spent', '+', 1) }))
    .where('id', '=', 'deployment')
    .returning(['spent', 'total'])
    .executeTakeFirstOrThrow();
  return { investigation: row.spent, total: row.total, epsilon: row.total / spendingWeight(row.spent) };
}
