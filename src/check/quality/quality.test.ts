import { describe, expect, it } from 'vitest';
import { check } from '../check.ts';
import { dataRequired, loadHardCases, loadTeleAntiFraud, missingShared } from '../train/dataset.ts';
import { evaluate } from '../train/evaluate.ts';
import { keptShare, robustness } from '../train/robustness.ts';

const flagged = (text: string): boolean => check({ text }).level !== 'low';
const missing = missingShared(['data/teleantifraud']);
const skip = missing.length > 0 && !dataRequired();
if (skip)
  console.warn(
    `quality.test.ts: skipped the TeleAntiFraud dev-split test: ${missing.join(', ')} not found under ../shared (set GATEKEEPER_SHARED; GATEKEEPER_REQUIRE_DATA=1 makes this a failure)`,
  );

describe('quality on the development split', () => {
  it('hard cases: every benign after-sales text low, every look-alike scam flagged', () => {
    const wrong = loadHardCases().filter((e) => flagged(e.text) !== (e.label === 1));
    expect(wrong.map((e) => e.id)).toEqual([]);
  });

  it.skipIf(skip)('TeleAntiFraud dev split: recall and false-positive rate hold', () => {
    expect(missing, 'shared data required (GATEKEEPER_REQUIRE_DATA=1) but missing').toEqual([]);
    const dev = loadTeleAntiFraud().filter((e) => e.split === 'dev');
    const r = evaluate(dev, (e) => flagged(e.text));
    expect(r.all.recall).toBeGreaterThanOrEqual(0.95);
    expect(r.all.fpr).toBeLessThanOrEqual(0.01);
    expect(r.byKind['客服诈骗']?.recall).toBeGreaterThanOrEqual(0.95);
  });

  it.skipIf(skip)('TeleAntiFraud dev split: flagged scams stay flagged under the scammers spellings and traditional script', () => {
    expect(missing, 'shared data required (GATEKEEPER_REQUIRE_DATA=1) but missing').toEqual([]);
    const r = robustness(loadTeleAntiFraud().filter((e) => e.split === 'dev'));
    expect(r.substituted.changed).toBeGreaterThan(100);
    expect(keptShare(r.substituted)).toBeGreaterThanOrEqual(0.95);
    expect(keptShare(r.traditional)).toBeGreaterThanOrEqual(0.95);
  });
});
