/**
 * The cross-source development report: the classifier is trained on some sources and the engine tested on
 * the others, per category, beside the scikit-learn peer (bench/sklearn_baseline.py: character 1-3-gram
 * TF-IDF and logistic regression) trained and tested on the same texts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../check.ts';
import { logitOfText, scoringModel, toStored, train, type ScoringModel } from '../classifier.ts';
import { normalize } from '../normalize.ts';
import { evaluationOnly, shippableShared, synthetic, TRAIN_OPTIONS } from './corpus.ts';
import type { Example } from './dataset.ts';
import { metrics, type Metrics } from './evaluate.ts';
import { keptShare, robustness } from './robustness.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PYTHON = '/usr/bin/python3';

/** Predictions of the scikit-learn peer trained on `trainSet`, or undefined (with the reason) when it cannot run. */
function peer(trainSet: readonly Example[], testSet: readonly Example[]): boolean[] | string {
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import sklearn']).status !== 0) return 'python3-sklearn not installed';
  const dir = mkdtempSync(join(tmpdir(), 'gk-peer-'));
  try {
    const write = (name: string, xs: readonly Example[]): string => {
      const file = join(dir, name);
      writeFileSync(file, xs.map((e) => JSON.stringify({ text: e.text, label: e.label })).join('\n') + '\n');
      return file;
    };
    const out = join(dir, 'pred.txt');
    const run = spawnSync(
      PYTHON,
      [join(ROOT, 'bench/sklearn_baseline.py'), '--report', write('train.jsonl', trainSet), write('test.jsonl', testSet), out],
      {
        encoding: 'utf8',
      },
    );
    if (run.status !== 0) return `peer failed: ${run.stderr.slice(0, 200)}`;
    return readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l === '1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fit(trainSet: readonly Example[]): ScoringModel {
  const m = train(
    trainSet.map((e) => ({ text: normalize(e.text).text, label: e.label })),
    TRAIN_OPTIONS,
  );
  return scoringModel(toStored(m, {}));
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** One fold: rows per category and totals, for the engine, the classifier alone and the peer. */
function fold(title: string, trainSet: readonly Example[], testSet: readonly Example[]): string {
  const model = fit(trainSet);
  const engine = testSet.map((e) => check({ text: e.text }, undefined, model).level !== 'low');
  const clf = testSet.map((e) => logitOfText(model, normalize(e.text).text) >= 0);
  const p = peer(trainSet, testSet);
  const cols: Array<[string, readonly boolean[] | undefined]> = [
    ['engine', engine],
    ['classifier alone', clf],
    ['sklearn peer', typeof p === 'string' ? undefined : p],
  ];
  const of = (pred: readonly boolean[], idx: readonly number[]): Metrics =>
    metrics(idx.map((i) => ({ label: (testSet[i] as Example).label, flagged: pred[i] as boolean })));
  const lines = [
    `### ${title}`,
    '',
    `trained on ${String(trainSet.length)} texts; tested on ${String(testSet.length)}${typeof p === 'string' ? ` (peer: ${p})` : ''}`,
    '',
    `| category | n | measure | ${cols.map(([c]) => c).join(' | ')} |`,
    `|---|---:|---|${cols.map(() => '---:').join('|')}|`,
  ];
  const kinds = [...new Set(testSet.map((e) => e.kind))].sort();
  const all = testSet.map((_, i) => i);
  for (const k of kinds) {
    const idx = all.filter((i) => (testSet[i] as Example).kind === k);
    const scam = (testSet[idx[0] as number] as Example).label === 1;
    const cells = cols.map(([, pred]) => (pred ? pct(scam ? of(pred, idx).recall : of(pred, idx).fpr) : 'n/a'));
    lines.push(`| ${k} | ${String(idx.length)} | ${scam ? 'recall' : 'false positives'} | ${cells.join(' | ')} |`);
  }
  const scams = all.filter((i) => (testSet[i] as Example).label === 1);
  const benign = all.filter((i) => (testSet[i] as Example).label === 0);
  const row = (name: string, f: (pred: readonly boolean[]) => string): string =>
    `| **${name}** | ${String(name.includes('benign') ? benign.length : name.includes('scams') ? scams.length : all.length)} | | ${cols.map(([, pred]) => (pred ? f(pred) : 'n/a')).join(' | ')} |`;
  if (scams.length) lines.push(row('recall, all scams', (pred) => pct(of(pred, scams).recall)));
  if (benign.length) lines.push(row('false positives, all benign', (pred) => pct(of(pred, benign).fpr)));
  if (scams.length && benign.length) lines.push(row('F1, all', (pred) => of(pred, all).f1.toFixed(3)));
  return lines.join('\n');
}

/** The report as markdown: two folds (evaluation-only sets held out; TeleAntiFraud held out). */
export function crossSourceReport(): string {
  const shipped = shippableShared();
  const syn = synthetic(3000, 1, 'train');
  const heldOut = evaluationOnly();
  const tele = shipped.filter((e) => e.kind.startsWith('teleantifraud/'));
  const rest = shipped.filter((e) => !e.kind.startsWith('teleantifraud/'));
  return [
    fold('Train on TeleAntiFraud + CrossWOZ + synthetic; test on the evaluation-only sources', [...shipped, ...syn], heldOut),
    '',
    fold('Train on CrossWOZ + synthetic; test on TeleAntiFraud (a source the classifier never saw)', [...rest, ...syn], tele),
  ].join('\n');
}

/** Robustness on the development scams (TeleAntiFraud dev split, synthetic dev texts, the golfxiao dialogues). */
export function robustnessFigures(examples: readonly Example[]): string {
  const r = robustness(examples);
  return [
    '',
    `### Flagged scams that stay flagged (${String(r.flagged)} flagged development scams)`,
    '',
    '| rewrite | texts changed | still flagged |',
    '|---|---:|---:|',
    `| scammers' spellings (V信, 威信, 加薇, 扣扣, yzm, zfb, 转帐, 。com, ...) | ${String(r.substituted.changed)} | ${pct(keptShare(r.substituted))} |`,
    `| simplified → traditional (OpenCC, Taiwan phrases) | ${String(r.traditional.changed)} | ${pct(keptShare(r.traditional))} |`,
  ].join('\n');
}
