/**
 * How many flagged scams stay flagged when rewritten in the scammers' spellings (V信, 扣扣, yzm, ...) or
 * converted to traditional characters. Counted over the texts a rewrite actually changes.
 */
import { check } from '../check.ts';
import { seeded } from '../../shared/random.ts';
import type { Example } from './dataset.ts';
import { substitute, traditional } from './variants.ts';

/** Share of flagged scams still flagged after each rewrite, with the counts it rests on. */
export interface Robustness {
  flagged: number;
  substituted: { changed: number; kept: number };
  traditional: { changed: number; kept: number };
}

const flagged = (text: string): boolean => check({ text }).level !== 'low';

/** Measures robustness on the scams of `examples` that the engine flags as they are. */
export function robustness(examples: readonly Example[], seed = 11): Robustness {
  const r = seeded(seed);
  const out: Robustness = { flagged: 0, substituted: { changed: 0, kept: 0 }, traditional: { changed: 0, kept: 0 } };
  for (const e of examples) {
    if (e.label !== 1 || !flagged(e.text)) continue;
    out.flagged++;
    const sub = substitute(e.text, r);
    if (sub !== e.text) {
      out.substituted.changed++;
      if (flagged(sub)) out.substituted.kept++;
    }
    const trad = traditional(e.text);
    if (trad !== e.text) {
      out.traditional.changed++;
      if (flagged(trad)) out.traditional.kept++;
    }
  }
  return out;
}

/** The share kept, 1 when nothing changed. */
export function keptShare(x: { changed: number; kept: number }): number {
  return x.changed === 0 ? 1 : x.kept / x.changed;
}
