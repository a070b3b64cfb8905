import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GATED_PATTERNS } from './entities.ts';
import { compileGate, gateOf, Presence } from './gate.ts';
import { normalize } from './normalize.ts';
import { RULES } from './rules.ts';
import { syntheticExamples } from './train/synthetic.ts';

const sorted = (re: RegExp): string[] | null => {
  const g = gateOf(re);
  return g && [...g].sort();
};

describe('gateOf', () => {
  it('prefers a bigram of a literal to its single characters', () => {
    expect(sorted(/验证码/)).toEqual(['验证']);
  });

  it('takes the union over alternatives and skips optional parts', () => {
    expect(sorted(/(?:征信|信用)?(?:冻结|注销)/)).toEqual(['冻结', '注销']);
  });

  it('crosses small character classes into bigrams', () => {
    expect(sorted(/[薇威]信/)).toEqual(['威信', '薇信']);
  });

  it('gives no gate when some alternative could match without any known character', () => {
    expect(gateOf(/验证码|.{2}/)).toBeNull();
    expect(gateOf(/a*/)).toBeNull();
    expect(gateOf(/[^a]/)).toBeNull();
    expect(gateOf(/abc/i)).toBeNull();
  });

  it('does not use lookarounds as a gate', () => {
    expect(sorted(/(?<!不)退款/)).toEqual(['退款']);
  });
});

describe('gates never skip a rule or entity pattern that matches', () => {
  const patterns = [...RULES.map((r) => r.re), ...GATED_PATTERNS.map((g) => g.re)];
  const gates = patterns.map((re) => {
    const g = gateOf(re);
    return g && compileGate(g);
  });
  const presence = new Presence();
  const sound = (text: string): boolean => {
    const t = normalize(text).text;
    presence.load(t);
    return patterns.every((re, i) => {
      const gate = gates[i];
      re.lastIndex = 0;
      return gate === null || gate === undefined || presence.any(gate) || !re.test(t);
    });
  };

  it('every pattern has a gate (one without always runs, which is correct but slow)', () => {
    expect(patterns.filter((_, i) => gates[i] === null).map((re) => re.source)).toEqual([]);
  });

  it('on the hand-written hard cases and synthetic texts', () => {
    const hard = readFileSync(new URL('./quality/hard-cases.jsonl', import.meta.url), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { text: string }).text);
    const texts = [...hard, ...syntheticExamples(2000, 11).map((e) => e.text)];
    expect(texts.filter((t) => !sound(t))).toEqual([]);
  });

  it('on random texts made of the rules’ own characters', () => {
    const chars = [...new Set(Array.from(patterns.map((re) => re.source).join('')))].filter((c) => !'\\()[]{}?*+|^$.'.includes(c));
    const text = fc.array(fc.constantFrom(...chars, '，', '。', ' ', '1', '5'), { maxLength: 60 }).map((a) => a.join(''));
    fc.assert(fc.property(text, sound), { numRuns: 20000 });
  });
});
