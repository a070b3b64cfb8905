/**
 * Traditional → simplified Chinese over the whole character set (OpenCC's dictionaries: Taiwan and Hong Kong
 * variant forms first, then phrases and characters). Names and addresses use characters far beyond any
 * keyword list (區, 張, 廣, 樓…), so matching a leaked record needs the full table.
 */
import { ConverterFactory } from 'opencc-js/core';
import { from, to } from 'opencc-js/preset/t2cn';

let convert: ((text: string) => string) | undefined;

/** `text` with traditional characters in their simplified forms; simplified text comes back unchanged. */
export function toSimplified(text: string): string {
  // Built on first use: the tables take a few milliseconds to load and most processes never need them.
  convert ??= ConverterFactory(from.tw ?? [], from.hk ?? [], to.cn ?? []);
  return convert(text);
}
