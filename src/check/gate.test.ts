import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GATED_PATTERNS } from './entities.ts';
import { gated, gateOf, Presence } from './gate.ts';
import { normalize } from './normalize.ts';
import { RULES } from './rules.ts';
import { syntheticExamples } from './train/synthetic.ts';

const sorted = (re: RegExp): string[][] => gateOf(re).map((g) => [...g].sort());

describe('gateOf', () => {
  it('prefers bigrams of a literal to its single characters', () => {
    expect(sorted(/验证码/)).toEqual([['验证'], ['证码'], ['验']]);
  });

  it('requires a member of each part of a sequence, and skips optional parts', () => {
    expect(sorted(/(?:征信|信用)?(?:冻结|注销)账户/)).toEqual([['账户'], ['冻结', '注销'], ['账']]);
  });

  it('pairs the sets of alternatives into unions', () => {
    expect(sorted(/验证码|密码/)).toEqual([
      ['密码', '验证'],
      ['密', '证码'],
      ['码', '验'],
    ]);
  });

  it('crosses small character classes into bigrams', () => {
    expect(sorted(/[薇威]信/)).toEqual([['威信', '薇信'], ['信'], ['威', '薇']]);
  });

  it('gives no gate when some alternative could match without any known character', () => {
    expect(gateOf(/验证码|.{2}/)).toEqual([]);
    expect(gateOf(/a*/)).toEqual([]);
    expect(gateOf(/[^a]/)).toEqual([]);
    expect(gateOf(/abc/i)).toEqual([]);
  });

  it('does not use lookarounds as a gate', () => {
    expect(sorted(/(?<!不)退款/)).toEqual([['退款'], ['退'], ['款']]);
  });
});

describe('gates never skip a rule or entity pattern that matches', () => {
  const patterns = [...RULES.map((r) => r.re), ...GATED_PATTERNS.map((g) => g.re)];
  const gates = patterns.map(gated);
  const presence = new Presence();
  const sound = (text: string): boolean => {
    const t = normalize(text).text;
    presence.load(t);
    return gates.every((g) => {
      g.re.lastIndex = 0;
      return presence.allows(g) || !g.re.test(t);
    });
  };

  it('every pattern has a gate (one without always runs, which is correct but slow)', () => {
    expect(gates.filter((g) => g.gates.length === 0).map((g) => g.re.source)).toEqual([]);
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
