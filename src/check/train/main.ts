/**
 * `npm run train:check`: trains the classifier on the shared dialogues' train split plus synthetic texts,
 * writes src/check/model.json, and reports development-split quality for rules, classifier and both.
 */
import { writeFileSync } from 'node:fs';
import { check } from '../check.ts';
import { logit, toStored, train } from '../classifier.ts';
import { featurize } from '../features.ts';
import { normalize } from '../normalize.ts';
import { loadHardCases, loadTeleAntiFraud, type Example } from './dataset.ts';
import { evaluate, formatReport } from './evaluate.ts';
import { syntheticExamples } from './synthetic.ts';

/** Fixed training settings; changing them changes the committed model. */
export const TRAIN_OPTIONS = { epochs: 4, rate: 0.5, l2: 1e-6, seed: 20261128 } as const;
const SYNTHETIC_TRAIN = { n: 2500, seed: 1 };
const SYNTHETIC_DEV = { n: 500, seed: 2 };

function synthetic(n: number, seed: number, split: 'train' | 'dev'): Example[] {
  return syntheticExamples(n, seed).map((e, i) => ({
    ...e,
    id: `syn-${split}-${String(i)}`,
    kind: e.label ? 'syn_scam' : 'syn_benign',
    split,
  }));
}

const all = loadTeleAntiFraud();
const trainSet = [...all.filter((e) => e.split === 'train'), ...synthetic(SYNTHETIC_TRAIN.n, SYNTHETIC_TRAIN.seed, 'train')];
const devSet = [...all.filter((e) => e.split === 'dev'), ...synthetic(SYNTHETIC_DEV.n, SYNTHETIC_DEV.seed, 'dev'), ...loadHardCases()];

const started = performance.now();
const model = train(
  trainSet.map((e) => ({ text: normalize(e.text).text, label: e.label })),
  TRAIN_OPTIONS,
);
const counts = { teleantifraud: trainSet.length - SYNTHETIC_TRAIN.n * 2, synthetic: SYNTHETIC_TRAIN.n * 2 };
writeFileSync(new URL('../model.json', import.meta.url), JSON.stringify(toStored(model, counts)) + '\n');
console.log(`trained on ${String(trainSet.length)} texts in ${((performance.now() - started) / 1000).toFixed(1)} s`);

console.log(
  formatReport(
    'classifier alone (p>=0.5)',
    evaluate(devSet, (e) => logit(model, featurize(normalize(e.text).text)) >= 0),
  ),
);
console.log(
  formatReport(
    'engine (level high or medium)',
    evaluate(devSet, (e) => check({ text: e.text }).level !== 'low'),
  ),
);
