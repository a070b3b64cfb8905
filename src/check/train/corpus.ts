/**
 * The training and development texts: which shared sets may train the shipped model (by licence), the
 * synthetic generators with their rewrites, and the held-out sources of the cross-source report.
 */
import { seeded } from '../../shared/random.ts';
import { loadSource, loadTeleAntiFraud, SOURCES, type Example } from './dataset.ts';
import { syntheticExamples } from './synthetic.ts';
import { syntheticMessages } from './synthetic-messages.ts';
import { syntheticPosts } from './synthetic-posts.ts';
import { randomVariant } from './variants.ts';

/** Fixed training settings; changing them changes the committed model. */
export const TRAIN_OPTIONS = { epochs: 6, rate: 0.5, l2: 1e-6, seed: 20261128 } as const;

/**
 * Synthetic texts of the three generators, `n` per label each (messages `2n`); with `rewrite`, a share of them
 * rewritten (slang, segmented, OCR noise, traditional).
 */
export function synthetic(n: number, seed: number, split: 'train' | 'dev', rewrite = true): Example[] {
  const r = seeded(seed * 7919);
  const vary = (text: string): string => (rewrite ? randomVariant(text, r) : text);
  const calls = syntheticExamples(n, seed).map((e, i) => ({
    id: `syn-${split}-${String(i)}`,
    text: vary(e.text),
    label: e.label,
    kind: e.label ? 'synthetic/scam' : 'synthetic/benign',
    split,
  }));
  const messages = syntheticMessages(2 * n, seed + 1000).map((e, i) => ({
    id: `msg-${split}-${String(i)}`,
    text: vary(e.text),
    label: e.label,
    kind: `synthetic/${e.lang}-${e.label ? 'scam' : 'benign'}-message`,
    split,
  }));
  const posts = syntheticPosts(n, seed + 2000).map((e, i) => ({
    id: `post-${split}-${String(i)}`,
    text: vary(e.text),
    label: e.label,
    kind: `synthetic/post-${e.label ? 'scam' : 'benign'}`,
    split,
  }));
  return [...calls, ...messages, ...posts];
}

/** Shared sets whose licence allows training shipped weights, all records: TeleAntiFraud and CrossWOZ. */
export function shippableShared(): Example[] {
  const tele = loadTeleAntiFraud().map((e) => ({ ...e, kind: `teleantifraud/${e.kind}` }));
  return [...tele, ...SOURCES.filter((s) => s.shippable).flatMap((s) => loadSource(s))];
}

/** Evaluation-only sets (GPL, non-commercial, research-only); fintech sampled to 6,000 questions. */
export function evaluationOnly(): Example[] {
  return SOURCES.filter((s) => !s.shippable).flatMap((s) => loadSource(s, s.name === 'fintech' ? 6000 : Infinity));
}

/** Folders the training needs under ../shared. */
export const TRAINING_DATA = ['data/teleantifraud', 'data/crosswoz_service_dialogs'];
/** Folders the cross-source report needs besides the training data. */
export const REPORT_DATA = SOURCES.filter((s) => !s.shippable).map((s) => s.folder);
