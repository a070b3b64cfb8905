/**
 * `npx tsx src/check/train/trad-table.ts`: regenerates src/check/trad-simp.ts, the per-character traditional →
 * simplified table, from OpenCC's dictionaries (opencc-js, Apache-2.0 data; a development dependency only:
 * the engine ships the generated table, not the converter).
 */
import { writeFileSync } from 'node:fs';
import { openccConverter } from './variants.ts';

const converters = (['t', 'tw', 'hk', 'twp'] as const).map((from) => openccConverter({ from, to: 'cn' }));
// A character that is itself the simplified form of another (么 for 麼) stays: folding it would break 什么.
const toTraditional = openccConverter({ from: 'cn', to: 'tw' });
const pairs: string[] = [];
// The engine folds the CJK Unified Ideographs block, where nearly all traditional forms are.
for (let cp = 0x4e00; cp <= 0x9fff; cp++) {
  const c = String.fromCodePoint(cp);
  if (toTraditional(c) !== c) continue;
  for (const convert of converters) {
    const s = convert(c);
    if (s !== c && Array.from(s).length === 1) {
      pairs.push(c + s);
      break;
    }
  }
}
const lines: string[] = [];
for (let i = 0; i < pairs.length; i += 40) lines.push(`  '${pairs.slice(i, i + 40).join('')}'`);
writeFileSync(
  new URL('../trad-simp.ts', import.meta.url),
  `/**
 * Traditional → simplified, one character at a time, generated from OpenCC's character dictionaries
 * (Apache-2.0) by src/check/train/trad-table.ts: ${String(pairs.length)} pairs. Words that differ only as
 * phrases (OpenCC's phrase tables) are not needed for matching keywords.
 */
const PAIRS =
${lines.join(' +\n')};

/** Code point of a traditional character → its simplified form. */
export const TRAD_TO_SIMP: ReadonlyMap<number, string> = (() => {
  const m = new Map<number, string>();
  const chars = Array.from(PAIRS);
  for (let i = 0; i + 1 < chars.length; i += 2) m.set((chars[i] as string).codePointAt(0) as number, chars[i + 1] as string);
  return m;
})();
`,
);
console.log(`${String(pairs.length)} pairs written to src/check/trad-simp.ts`);
