/**
 * Traditional → simplified Chinese over the whole character set (OpenCC's traditional-to-simplified phrases
 * and characters). Names and addresses use characters far beyond any keyword list (區, 張, 廣, 樓…), so
 * matching a leaked record needs the full table. Taiwan and Hong Kong forms (裡, 臺) are in it too; OpenCC's
 * regional variant steps are left out because they rewrite some simplified characters (么).
 */
import { ConverterFactory, type DictLike } from 'opencc-js/core';
import { to } from 'opencc-js/preset/t2cn';

let convert: ((text: string) => string) | undefined;
/** Any character that starts an entry: text without one comes back as it is, without the trie walk. */
let starts: RegExp | undefined;

function load(): { convert: (text: string) => string; starts: RegExp } {
  // The preset's declarations name their types through an import that NodeNext resolution does not follow.
  const groups = (to.cn ?? []) as unknown as readonly (readonly DictLike[])[];
  convert ??= ConverterFactory(groups);
  if (!starts) {
    const s = new Set<string>();
    const add = (d: DictLike): void => {
      if (typeof d === 'string') for (const entry of d.split('|')) s.add(String.fromCodePoint(entry.codePointAt(0) ?? 32));
      else for (const [from] of d) s.add(String.fromCodePoint(from.codePointAt(0) ?? 32));
    };
    for (const group of groups) for (const d of group) add(d);
    starts = new RegExp(`[${[...s].map((ch) => ch.replace(/[\\\]^-]/g, '\\$&')).join('')}]`, 'u');
  }
  return { convert, starts };
}

/** `text` with traditional characters in their simplified forms; simplified text comes back unchanged. */
export function toSimplified(text: string): string {
  // Loaded on first use: the tables take a few milliseconds and most processes never need them.
  const t = load();
  return t.starts.test(text) ? t.convert(text) : text;
}
