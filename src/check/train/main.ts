/**
 * `npm run train:check`: trains the classifier on every shared set whose licence allows shipping weights
 * (TeleAntiFraud, CrossWOZ: their train splits) plus the synthetic generators, writes src/check/model.json,
 * and reports development-split quality. `npm run train:check -- --report` writes no model: it prints the
 * cross-source report (train on the shippable sets, test on the evaluation-only ones) beside the
 * scikit-learn peer, and the robustness of flagged scams under the scammers' spellings and traditional script.
 */
import { writeFileSync } from 'node:fs';
import { check } from '../check.ts';
import { scoringModel, toStored, train } from '../classifier.ts';
import { normalize } from '../normalize.ts';
import { dataRequired, loadHardCases, missingShared, type Example } from './dataset.ts';
import { evaluate, formatReport } from './evaluate.ts';
import { evaluationOnly, REPORT_DATA, shippableShared, synthetic, TRAIN_OPTIONS, TRAINING_DATA } from './corpus.ts';
import { crossSourceReport, robustnessFigures } from './report.ts';

const SYNTHETIC_TRAIN = { n: 3000, seed: 1 };
const SYNTHETIC_DEV = { n: 600, seed: 2 };

const reportMode = process.argv.includes('--report');
const missing = missingShared(reportMode ? [...TRAINING_DATA, ...REPORT_DATA] : TRAINING_DATA);
if (missing.length > 0) {
  const line = `train:check: ${missing.join(', ')} not found under ../shared (set GATEKEEPER_SHARED); nothing trained`;
  if (dataRequired()) throw new Error(line);
  console.log(line);
  process.exit(0);
}

if (reportMode) {
  console.log(crossSourceReport());
  const dev = [
    ...shippableShared().filter((e) => e.split === 'dev'),
    ...synthetic(SYNTHETIC_DEV.n, SYNTHETIC_DEV.seed, 'dev', false),
    ...evaluationOnly().filter((e) => e.kind.startsWith('golfxiao/')),
  ];
  console.log(robustnessFigures(dev));
} else {
  const shared = shippableShared();
  const trainSet = [...shared.filter((e) => e.split === 'train'), ...synthetic(SYNTHETIC_TRAIN.n, SYNTHETIC_TRAIN.seed, 'train')];
  const devSet: Example[] = [
    ...shared.filter((e) => e.split === 'dev'),
    ...synthetic(SYNTHETIC_DEV.n, SYNTHETIC_DEV.seed, 'dev'),
    ...loadHardCases(),
  ];
  const started = performance.now();
  const model = train(
    trainSet.map((e) => ({ text: normalize(e.text).text, label: e.label })),
    TRAIN_OPTIONS,
  );
  const counts: Record<string, number> = {};
  for (const e of trainSet) {
    const source = e.kind.split('/')[0] as string;
    counts[source] = (counts[source] ?? 0) + 1;
  }
  const stored = toStored(model, counts);
  writeFileSync(new URL('../model.json', import.meta.url), JSON.stringify(stored) + '\n');
  console.log(`trained on ${String(trainSet.length)} texts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const scoring = scoringModel(stored);
  console.log(
    formatReport(
      'engine on the development splits (level high or medium)',
      evaluate(devSet, (e) => check({ text: e.text }, undefined, scoring).level !== 'low'),
    ),
  );
}
