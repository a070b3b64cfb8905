/** Runs the rule table over normalised text and keeps the hits that count. */
import { originalSpan, type Normalized } from './normalize.ts';
import { gated, presence, type GatedRegExp } from './gate.ts';
import { RULES, type Rule } from './rules.ts';

/** One rule that matched, with its spans in the original text. */
export interface Hit {
  rule: Rule;
  /** Weight after the speaker discount (the consumer's own lines count less or not at all). */
  weight: number;
  spans: Array<[number, number]>;
}

const MAX_SPANS_PER_RULE = 5;
const CLAUSE_END = /[,，。!！?？;；:：\n.]/;
const SENTENCE_END = /[。!！?？\n]/;
/** Words that turn the rest of their clause into a denial: "客服不会索要验证码", "取消后不会影响征信". */
const NEGATOR =
  /不会|绝不|从不|从来不|不要相信|不要轻信|勿|不得|禁止|严禁|谨防|警惕|凡是|凡|不用|无需|不需要|没有|并非|防止|\bnever\b|\bwill not\b|\bwon't\b|\bdo not\b|\bdon't\b|\bnot\b/;
/** Sentences that warn about scams rather than run one (not 温馨提示: phishing texts open with it as often as warnings do). */
const WARNING =
  /都是诈骗|均为诈骗|均是诈骗|一律是诈骗|就是诈骗|必是诈骗|都是骗子|谨防|警惕|防骗|反诈|警方提醒|\bbeware\b|\bscam alert\b|\bbe careful\b/;

function lookback(text: string, at: number, stop: RegExp, max: number): string {
  let s = at;
  while (s > 0 && at - s < max && !stop.test(text[s - 1] as string)) s--;
  return text.slice(s, at);
}

function sentenceAt(text: string, at: number): string {
  let e = at;
  while (e < text.length && e - at < 200 && !SENTENCE_END.test(text[e] as string)) e++;
  return lookback(text, at, SENTENCE_END, 200) + text.slice(at, e);
}

/** A match inside a denial ("不会索要验证码") or an anti-fraud warning is not a finding. */
function negated(text: string, at: number, warnings: boolean): boolean {
  if (NEGATOR.test(lookback(text, at, CLAUSE_END, 16))) return true;
  return warnings && WARNING.test(sentenceAt(text, at));
}

function inRanges(pos: number, ranges: ReadonlyArray<[number, number]>): boolean {
  for (const [s, e] of ranges) if (pos >= s && pos < e) return true;
  return false;
}

/** Traps and scam-type cues said by the consumer are their own words, not the caller's; asks they repeat still count half. */
function selfFactor(rule: Rule): number {
  if (rule.group === 'ask') return 0.5;
  if (rule.group === 'benign') return 1;
  return 0;
}

/** Per rule, its regex with the string sets any match contains a member of each of. */
const GATED: readonly GatedRegExp[] = RULES.map((r) => gated(r.re));
/** Per rule: it is an English rule, which only English sentences (two Latin words in a row) can match. */
const ENGLISH: readonly boolean[] = RULES.map((r) => r.id.startsWith('en.'));
// Starts only at a word's first letter: from every letter of a long run the search would be quadratic.
const ENGLISH_WORDS = /(?<![a-z])[a-z]{2,}[ ,'-]+[a-z]{2,}/;

/** Matches every rule; `selfRanges` are original-text ranges spoken by the consumer. */
export function matchRules(n: Normalized, selfRanges: ReadonlyArray<[number, number]>): Hit[] {
  const hits: Hit[] = [];
  const text = n.text;
  const warnings = WARNING.test(text);
  presence.load(text);
  const english = ENGLISH_WORDS.test(text);
  for (let r = 0; r < RULES.length; r++) {
    const rule = RULES[r] as Rule;
    if ((!english && ENGLISH[r]) || (rule.maxLength !== undefined && text.length > rule.maxLength)) continue;
    if (!presence.allows(GATED[r] as GatedRegExp)) continue;
    rule.re.lastIndex = 0;
    let other = false;
    let self = false;
    const spans: Array<[number, number]> = [];
    for (let m = rule.re.exec(text); m !== null; m = rule.re.exec(text)) {
      if (m[0].length === 0) {
        rule.re.lastIndex++;
        continue;
      }
      if (rule.group !== 'benign' && negated(text, m.index, warnings)) continue;
      const span = originalSpan(n, m.index, m.index + m[0].length);
      const mine = selfRanges.length > 0 && inRanges(span[0], selfRanges);
      if (mine) self = true;
      else other = true;
      if ((!mine || selfFactor(rule) > 0) && spans.length < MAX_SPANS_PER_RULE) spans.push(span);
    }
    if (!other && !self) continue;
    const weight = other ? rule.weight : rule.weight * selfFactor(rule);
    if (weight !== 0) hits.push({ rule, weight, spans });
  }
  return hits;
}
