import { describe, expect, it } from 'vitest';
import { logit, logitOfText, scoringModel, toStored, train } from './classifier.ts';
import { featurize } from './features.ts';
import { normalize } from './normalize.ts';
import { syntheticExamples } from './train/synthetic.ts';

const data = syntheticExamples(300, 5).map((e) => ({ text: normalize(e.text).text, label: e.label }));
const opts = { epochs: 2, rate: 0.5, l2: 1e-6, seed: 42 };

describe('classifier', () => {
  it('trains deterministically: the same data and seed give identical weights', () => {
    const a = toStored(train(data, opts), {});
    const b = toStored(train(data, opts), {});
    expect(a).toEqual(b);
  });

  it('a different seed gives different weights', () => {
    expect(toStored(train(data, opts), {}).weights).not.toBe(toStored(train(data, { ...opts, seed: 7 }), {}).weights);
  });

  it('learns to separate held-out synthetic texts and survives storage', () => {
    const m = scoringModel(toStored(train(data, opts), {}));
    const test = syntheticExamples(100, 99);
    const correct = test.filter((e) => logitOfText(m, normalize(e.text).text) >= 0 === (e.label === 1)).length;
    expect(correct / test.length).toBeGreaterThan(0.9);
  });

  it('scores a text without the vector exactly as through it', () => {
    const q = scoringModel(toStored(train(data, opts), {}));
    const m = { weights: Float32Array.from(q.q, (x) => x * q.scale), bias: q.bias };
    for (const text of ['', ' ', '我是淘宝客服 三倍赔偿', 'a\nb\tc 验证码 123456', ...data.slice(0, 50).map((e) => e.text)])
      expect(logitOfText(q, text)).toBeCloseTo(logit(m, featurize(text)), 5);
  });

  it('rejects a model built for another feature space', () => {
    const s = toStored(train(data.slice(0, 10), opts), {});
    expect(() => scoringModel({ ...s, featureBits: 12 })).toThrow(/feature bits/);
  });
});
