/** Quality figures for the detector: recall on scams, false-positive rate on benign texts, F1, by kind. */
import type { Example } from './dataset.ts';

/** Confusion counts and the figures the issue asks for. */
export interface Metrics {
  n: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  recall: number;
  fpr: number;
  precision: number;
  f1: number;
}

/** Computes metrics from (label, flagged) pairs. */
export function metrics(rows: ReadonlyArray<{ label: 0 | 1; flagged: boolean }>): Metrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const r of rows) {
    if (r.label === 1) {
      if (r.flagged) tp++;
      else fn++;
    } else if (r.flagged) fp++;
    else tn++;
  }
  const recall = tp / Math.max(1, tp + fn);
  const precision = tp / Math.max(1, tp + fp);
  return {
    n: rows.length,
    tp,
    fp,
    tn,
    fn,
    recall,
    fpr: fp / Math.max(1, fp + tn),
    precision,
    f1: (2 * precision * recall) / Math.max(1e-9, precision + recall),
  };
}

/** Metrics overall and per kind for a flagging function. */
export function evaluate(examples: readonly Example[], flag: (e: Example) => boolean): { all: Metrics; byKind: Record<string, Metrics> } {
  const rows = examples.map((e) => ({ label: e.label, flagged: flag(e), kind: e.kind }));
  const kinds = [...new Set(rows.map((r) => r.kind))].sort();
  const byKind: Record<string, Metrics> = {};
  for (const k of kinds) byKind[k] = metrics(rows.filter((r) => r.kind === k));
  return { all: metrics(rows), byKind };
}

/** One line per kind: recall for scam kinds, false-positive rate for benign ones. */
export function formatReport(title: string, r: { all: Metrics; byKind: Record<string, Metrics> }): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `${title}: n=${String(r.all.n)} recall=${pct(r.all.recall)} fpr=${pct(r.all.fpr)} precision=${pct(r.all.precision)} f1=${r.all.f1.toFixed(3)}`,
  ];
  for (const [k, m] of Object.entries(r.byKind)) {
    const pos = m.tp + m.fn;
    lines.push(`  ${k.padEnd(14)} n=${String(m.n).padStart(5)} ${pos > 0 ? `recall=${pct(m.recall)}` : `fpr=${pct(m.fpr)}`}`);
  }
  return lines.join('\n');
}
