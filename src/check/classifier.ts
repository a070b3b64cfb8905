/**
 * Logistic regression over hashed n-grams. Hand-written (DESIGN.md): libraries found were dense and slow,
 * and the model is a weight vector. Training is deterministic: a seeded shuffle and a fixed step schedule.
 */
import { FEATURE_BITS, featurize, weightedSum, type Features } from './features.ts';
import { seeded } from '../shared/random.ts';

/** A trained model: one weight per feature bucket plus a bias. */
export interface LinearModel {
  weights: Float32Array;
  bias: number;
}

/** The stored form: weights quantised to int8 with one scale, base64 encoded. */
export interface StoredModel {
  featureBits: number;
  bias: number;
  scale: number;
  weights: string;
  trainedOn: Record<string, number>;
}

/** Decision value (log-odds) of a feature vector. */
export function logit(m: LinearModel, f: Features): number {
  let z = m.bias;
  for (let i = 0; i < f.length; i++) z += (m.weights[f.idx[i] as number] as number) * (f.val[i] as number);
  return z;
}

/** A stored model kept quantised for scoring: a quarter of the memory, so the weights stay in cache. */
export interface ScoringModel {
  q: Int8Array;
  scale: number;
  bias: number;
}

/** The scoring form of a stored model; rejects one built for another feature space. */
export function scoringModel(s: StoredModel): ScoringModel {
  if (s.featureBits !== FEATURE_BITS)
    throw new Error(`model has ${String(s.featureBits)} feature bits, engine expects ${String(FEATURE_BITS)}`);
  return { q: new Int8Array(Buffer.from(s.weights, 'base64')), scale: s.scale, bias: s.bias };
}

/** Decision value (log-odds) of a normalised text: `logit(fromStored(s), featurize(text))` without the vector. */
export function logitOfText(m: ScoringModel, text: string): number {
  return m.bias + m.scale * weightedSum(text, m.q);
}

/** Training settings. */
export interface TrainOptions {
  epochs: number;
  rate: number;
  l2: number;
  seed: number;
}

/** Trains by SGD with a decaying step on (text, label, weight) examples; texts must already be normalised. */
export function train(examples: ReadonlyArray<{ text: string; label: 0 | 1; weight?: number }>, opt: TrainOptions): LinearModel {
  const feats = examples.map((e) => featurize(e.text));
  const w = new Float32Array(1 << FEATURE_BITS);
  let b = 0;
  const order = examples.map((_, i) => i);
  const rand = seeded(opt.seed);
  let step = 0;
  for (let epoch = 0; epoch < opt.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const i of order) {
      const f = feats[i] as Features;
      const ex = examples[i] as { label: 0 | 1; weight?: number };
      const eta = opt.rate / (1 + step++ * 1e-5);
      let z = b;
      for (let k = 0; k < f.length; k++) z += (w[f.idx[k] as number] as number) * (f.val[k] as number);
      const p = 1 / (1 + Math.exp(-z));
      const g = (p - ex.label) * (ex.weight ?? 1);
      for (let k = 0; k < f.length; k++) {
        const idx = f.idx[k] as number;
        const wi = w[idx] as number;
        w[idx] = wi - eta * (g * (f.val[k] as number) + opt.l2 * wi);
      }
      b -= eta * g;
    }
  }
  return { weights: w, bias: b };
}

/** Quantises a model for storage. */
export function toStored(m: LinearModel, trainedOn: Record<string, number>): StoredModel {
  let max = 0;
  for (const x of m.weights) max = Math.max(max, Math.abs(x));
  const scale = max / 127 || 1;
  const q = new Int8Array(m.weights.length);
  for (let i = 0; i < q.length; i++) q[i] = Math.round((m.weights[i] as number) / scale);
  return { featureBits: FEATURE_BITS, bias: m.bias, scale, weights: Buffer.from(q.buffer).toString('base64'), trainedOn };
}
