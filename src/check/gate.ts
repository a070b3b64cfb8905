/**
 * Gates for the rule regexes. From a regex's syntax tree we derive sets of strings (one or two UTF-16
 * units) such that every match contains a member of each set; a text missing every member of one set
 * cannot match, so the rule is skipped without running it. Several sets from different parts of a pattern
 * (the "give" verb and the "card number" noun) are all required, which skips far more than one alone.
 * The derivation is conservative: anything it does not understand yields no set, and the rule always runs.
 */
import { RegExpParser, type AST } from '@eslint-community/regexpp';

/** Characters so common in Chinese text that a gate on them rarely skips anything. */
const COMMON = new Set(
  Array.from(
    '的一是不了人我你您在有他这中大来上个到说们为和地出也时要下以会着去过对可后么心多好都没于还发成事只作想看无开用行又如前所见面同已从动两知样现分把此实回理点明请给能就吗吧呢啊',
  ),
);
const MAX_SET = 64;
/** Sets kept per pattern: each more costs a few table lookups and skips less than the one before. */
const MAX_SETS = 3;

/** Strings one of which every match contains. */
type StringSet = ReadonlySet<string>;
/** A conjunction of string sets, cheapest first; empty when nothing is known. */
type Gate = readonly StringSet[];

const DIGITS: StringSet = new Set('0123456789');

function cost(g: StringSet): number {
  let c = 0;
  for (const s of g) {
    const common = Array.from(s).filter((ch) => COMMON.has(ch)).length;
    c += s.length === 1 ? (common ? 20 : 1) : common === 2 ? 2 : 0.2;
  }
  return c;
}

function best(sets: readonly StringSet[]): Gate {
  return [...sets].sort((x, y) => cost(x) - cost(y)).slice(0, MAX_SETS);
}

/** A match of one of the alternatives contains a member of each alternative's k-th set, so their unions are all required. */
function disjunction(alternatives: readonly Gate[]): Gate {
  if (alternatives.length === 0) return [];
  const k = Math.min(...alternatives.map((g) => g.length));
  const out: StringSet[] = [];
  for (let i = 0; i < k; i++) {
    const u = new Set<string>();
    for (const g of alternatives) for (const x of g[i] as StringSet) u.add(x);
    if (u.size <= 4 * MAX_SET) out.push(u);
  }
  return best(out);
}

function classUnits(node: AST.CharacterClass): StringSet | null {
  if (node.negate) return null;
  const out = new Set<string>();
  for (const e of node.elements) {
    if (e.type === 'Character') {
      if (e.value > 0xffff) return null;
      out.add(String.fromCharCode(e.value));
    } else if (e.type === 'CharacterClassRange') {
      if (e.max.value - e.min.value >= MAX_SET || e.max.value > 0xffff) return null;
      for (let c = e.min.value; c <= e.max.value; c++) out.add(String.fromCharCode(c));
    } else if (e.type === 'CharacterSet' && e.kind === 'digit' && !e.negate) for (const d of DIGITS) out.add(d);
    else return null;
  }
  return out.size > 0 && out.size <= MAX_SET ? out : null;
}

/** The units an element matching exactly one unit can be, or null when it is not such an element. */
function oneUnit(node: AST.Element): StringSet | null {
  switch (node.type) {
    case 'Character':
      return node.value <= 0xffff ? new Set([String.fromCharCode(node.value)]) : null;
    case 'CharacterClass':
      return classUnits(node);
    case 'CharacterSet':
      return node.kind === 'digit' && !node.negate ? DIGITS : null;
    default:
      return null;
  }
}

function sequenceGate(elements: readonly AST.Element[]): Gate {
  const sets: StringSet[] = elements.flatMap(elementGate);
  // Two adjacent one-unit elements give a set of bigrams, far more selective than single characters.
  for (let i = 0; i + 1 < elements.length; i++) {
    const a = oneUnit(elements[i] as AST.Element);
    const b = oneUnit(elements[i + 1] as AST.Element);
    if (a === null || b === null || a.size * b.size > MAX_SET) continue;
    const pairs = new Set<string>();
    for (const x of a) for (const y of b) pairs.add(x + y);
    sets.push(pairs);
  }
  return best(sets);
}

function elementGate(node: AST.Element): Gate {
  switch (node.type) {
    case 'Character':
    case 'CharacterClass':
    case 'CharacterSet': {
      const u = oneUnit(node);
      return u ? [u] : [];
    }
    case 'Group':
    case 'CapturingGroup':
      return disjunction(node.alternatives.map((a) => sequenceGate(a.elements)));
    case 'Quantifier':
      return node.min >= 1 ? elementGate(node.element) : [];
    default:
      return [];
  }
}

/** The string sets every match of `re` contains a member of each of, cheapest first; empty when none could be derived. */
export function gateOf(re: RegExp): readonly StringSet[] {
  if (re.flags.includes('i')) return [];
  const pattern = new RegExpParser({ ecmaVersion: 2025 }).parsePattern(re.source, 0, re.source.length, { unicode: re.unicode });
  return disjunction(pattern.alternatives.map((a) => sequenceGate(a.elements)));
}

const BIGRAM = 0x10000;

function bigramSlot(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ b) & 0xffff;
}

/** A string set compiled for `Presence.any`: units below 0x10000, bigram slots at 0x10000 and above. */
export function compileGate(gate: StringSet): Int32Array {
  return Int32Array.from(gate, (s) => (s.length === 1 ? s.charCodeAt(0) : BIGRAM + bigramSlot(s.charCodeAt(0), s.charCodeAt(1))));
}

/** A regex with its compiled gate (empty: always run). */
export interface GatedRegExp {
  re: RegExp;
  gates: readonly Int32Array[];
}

/** Pairs a regex with its gate, derived once. */
export function gated(re: RegExp): GatedRegExp {
  return { re, gates: gateOf(re).map(compileGate) };
}

/**
 * Which units and bigrams a text contains, reset in O(1) between texts by a generation stamp. Bigrams are
 * hashed into 65,536 slots: a collision can only let a rule run that could not match, never skip one.
 */
export class Presence {
  private readonly stamp = new Uint32Array(2 * BIGRAM);
  private gen = 0;
  private text: string | undefined;

  /** Marks the units and bigrams of `text` as present and forgets the previous text (a no-op for the same text). */
  load(text: string): void {
    if (text === this.text) return;
    this.text = text;
    this.gen++;
    if (this.gen === 0xffffffff) {
      this.stamp.fill(0);
      this.gen = 1;
    }
    const g = this.gen;
    let prev = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      this.stamp[c] = g;
      if (prev >= 0) this.stamp[BIGRAM + bigramSlot(prev, c)] = g;
      prev = c;
    }
  }

  /** True when `re` may match the loaded text: the text holds an entry of each of its gate's sets. */
  allows(re: GatedRegExp): boolean {
    for (const g of re.gates) if (!this.any(g)) return false;
    return true;
  }

  /** True when the loaded text contains at least one entry of a compiled set. */
  any(gate: Int32Array): boolean {
    const g = this.gen;
    for (let i = 0; i < gate.length; i++) if (this.stamp[gate[i] as number] === g) return true;
    return false;
  }
}

/** The table the check engine's stages share: each loads its text first, and loading the same text again is free. */
export const presence = new Presence();
