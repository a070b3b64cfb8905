/**
 * Cleaning a leaked value before matching. Full-width forms become ASCII and traditional characters
 * simplified, except where the variant catalogue itself uses the full-width form (the name's ＊ and the
 * address's digits carry Tardos bits): there the leaked form is kept so the bit can still be read.
 */
import type { ViewField } from '../fingerprint/index.ts';
import { toSimplified } from '../shared/simplified.ts';

/** Full-width ASCII (U+FF01–FF5E) to ASCII, and the ideographic space to a space, except characters in `keep`. */
export function halfWidth(s: string, keep = ''): string {
  return s.replace(/[\uff01-\uff5e\u3000\uffe5]/g, (ch) => {
    if (keep.includes(ch)) return ch;
    if (ch === '\u3000') return ' ';
    if (ch === '\uffe5') return '¥';
    return String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
  });
}

const FULL_DIGITS = '０１２３４５６７８９';

/** A spreadsheet's text guards around a cell: `="…"`, a leading apostrophe or tab. */
function unguard(s: string): string {
  const t = s.trim();
  const eq = /^="(.*)"$/s.exec(t);
  return (eq ? (eq[1] as string) : t.replace(/^'/, '')).trim();
}

/** A cell's value cleaned for its field; '' when nothing is left. */
export function cleanValue(field: ViewField, raw: string): string {
  const v = unguard(raw);
  switch (field) {
    case 'name':
      return toSimplified(halfWidth(v, '＊')).trim();
    case 'address':
      return toSimplified(halfWidth(v, FULL_DIGITS)).trim();
    case 'item':
    case 'region':
      return toSimplified(halfWidth(v)).trim();
    default:
      return halfWidth(v).trim();
  }
}

/** A header cell reduced to a lookup key: simplified, half-width, lower case, without notes in brackets or spaces. */
export function headerKey(cell: string): string {
  return toSimplified(halfWidth(unguard(cell.replace(/^\uFEFF/, ''))))
    .toLowerCase()
    .replace(/[（(【[<《].*?[)）】\]>》]/g, '')
    .replace(/[\s"':：*]/g, '')
    .replace(/[-_./]/g, '');
}

/** A spreadsheet wrote this number in scientific notation, losing its digits (2.12346E+18). */
export const isScientific = (v: string): boolean => /^\d(\.\d+)?e\+\d+$/i.test(v.trim());
