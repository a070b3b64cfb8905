/**
 * L1 from one victim report: the scammer quoted the tail of an order number. Each handler of the victim's
 * order has its own random alias, so an innocent handler's alias ends in the quoted k digits with probability
 * 10^-k; with h handlers the bound on naming an innocent one is h·10^-k.
 */
import { aliasOfRow, getParties, releasesOfOrders, type Custody } from '../custody/index.ts';
import type { Accusation, Suspect } from './investigate.ts';
import { spendBudget } from './budget.ts';
import { checkReleases, type LeafMismatch } from './ledger-evidence.ts';

/** What a victim reports: their order (from the case), and what the scammer said. */
export interface VictimReport {
  order: string;
  /** Free text of what was said; an order-number tail such as "尾号 12345678" is picked out of it. */
  text?: string;
  /** The quoted digits, when the form asked for them. */
  aliasTail?: string;
}

/** The outcome of a report investigation. */
export interface ReportInvestigation {
  tail: string | null;
  handlers: number;
  /** This investigation's number in the deployment and its share ε_n of the budget (kept by the server). */
  investigation: number;
  /** The ledger index of the `investigation` entry that took that number. */
  investigationEntry: number;
  epsilon: number;
  log10Threshold: number;
  accused: Accusation[];
  suspects: Suspect[];
  /** The matching release's row when it disagreed with its ledger leaf (then nobody is accused). */
  mismatches: LeafMismatch[];
}

/** The order-number digits quoted in a report, or null. */
export function quotedTail(r: VictimReport): string | null {
  if (r.aliasTail && /^\d{4,19}$/.test(r.aliasTail)) return r.aliasTail;
  const m = /(?:尾号|订单号|订单编号|order\s*(?:no\.?|number)?)\D{0,6}(\d{4,19})/i.exec(r.text ?? '');
  return m ? (m[1] as string) : null;
}

/** Names the handler whose alias ends in the quoted digits, when the bound allows. */
export async function investigateReport(c: Custody, report: VictimReport, by = 'cli'): Promise<ReportInvestigation> {
  const input = JSON.stringify({ order: report.order, text: report.text ?? null, aliasTail: report.aliasTail ?? null });
  const budget = await spendBudget(c, { kind: 'report', input, by });
  const tail = quotedTail(report);
  const rows = await releasesOfOrders(c.store.db, [report.order]);
  const log10Threshold = Math.log10(budget.epsilon);
  const head = {
    tail,
    handlers: rows.length,
    investigation: budget.investigation,
    investigationEntry: budget.entry,
    epsilon: budget.epsilon,
    log10Threshold,
  };
  if (!tail) return { ...head, accused: [], suspects: [], mismatches: [] };
  const hits = rows.filter((r) => aliasOfRow(c, r).endsWith(tail));
  const { verified, mismatches } = await checkReleases(c, hits);
  const log10Bound = Math.log10(Math.max(1, rows.length)) - tail.length;
  const parties = await getParties(
    c,
    hits.map((h) => h.party_id),
  );
  const accused: Accusation[] = [];
  const suspects: Suspect[] = [];
  for (const h of hits) {
    const p = parties.get(h.party_id);
    const base = { party: h.party_id, kind: p?.kind ?? 'merchant', name: p?.name ?? '', channel: 'L1' as const, log10Bound };
    // Two handlers matching the same digits cannot both be the source; neither is accused. Nor is one
    // whose release row disagrees with its ledger leaf.
    if (hits.length === 1 && log10Bound <= log10Threshold && verified.has(h.ledger_idx)) {
      const inc = await c.ledger.inclusion(h.ledger_idx);
      accused.push({
        ...base,
        log10Threshold,
        evidence: { quoted_digits: tail.length, handlers: rows.length },
        proofs: [{ order: report.order, index: inc.index, size: inc.size, leaf: inc.leaf, proof: inc.proof }],
      });
    } else suspects.push(base);
  }
  return { ...head, accused, suspects, mismatches };
}
