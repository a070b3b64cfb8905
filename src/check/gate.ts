/**
 * Character gates for the rule regexes. From a regex's syntax tree we derive a set of UTF-16 units one of
 * which every match must contain; a text that holds none of them cannot match, so the rule is skipped
 * without running it. Most rules need a rare character (验, 赔, 征), so most are skipped on most texts.
 * The derivation is conservative: anything it does not understand yields no gate, and the rule always runs.
 */
import { RegExpParser, type AST } from '@eslint-community/regexpp';

/** Characters so common in Chinese text that a gate on them rarely skips anything. */
const COMMON = new Set(
  Array.from(
    '的一是不了人我你您在有他这中大来上个到说们为和地出也时要下以会着去过对可后么心多好都没于还发成事只作想看无开用行又如前所见面同已从动两知样现分把此实回理点明请给能就吗吧呢啊',
  ),
);
const MAX_SET = 64;

/** A gate: strings of one or two UTF-16 units, one of which every match contains; null when none is known. */
type Gate = ReadonlySet<string> | null;

const DIGITS: ReadonlySet<string> = new Set('0123456789');

function cost(g: ReadonlySet<string>): number {
  let c = 0;
  for (const s of g) {
    const common = Array.from(s).filter((ch) => COMMON.has(ch)).length;
    c += s.length === 1 ? (common ? 20 : 1) : common === 2 ? 2 : 0.2;
  }
  return c;
}

function union(gates: readonly Gate[]): Gate {
  const out = new Set<string>();
  for (const g of gates) {
    if (g === null) return null;
    for (const u of g) out.add(u);
  }
  return out.size <= 4 * MAX_SET ? out : null;
}

function classUnits(node: AST.CharacterClass): Gate {
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
function oneUnit(node: AST.Element): Gate {
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
  const candidates: Gate[] = elements.map(elementGate);
  // Two adjacent one-unit elements give a gate of bigrams, far more selective than single characters.
  for (let i = 0; i + 1 < elements.length; i++) {
    const a = oneUnit(elements[i] as AST.Element);
    const b = oneUnit(elements[i + 1] as AST.Element);
    if (a === null || b === null || a.size * b.size > MAX_SET) continue;
    const pairs = new Set<string>();
    for (const x of a) for (const y of b) pairs.add(x + y);
    candidates.push(pairs);
  }
  let best: Gate = null;
  for (const g of candidates) if (g !== null && (best === null || cost(g) < cost(best))) best = g;
  return best;
}

function elementGate(node: AST.Element): Gate {
  switch (node.type) {
    case 'Character':
    case 'CharacterClass':
    case 'CharacterSet':
      return oneUnit(node);
    case 'Group':
    case 'CapturingGroup':
      return union(node.alternatives.map((a) => sequenceGate(a.elements)));
    case 'Quantifier':
      return node.min >= 1 ? elementGate(node.element) : null;
    default:
      return null;
  }
}

/** The strings (one or two units) one of which every match of `re` contains, or null when none could be derived. */
export function gateOf(re: RegExp): ReadonlySet<string> | null {
  if (re.flags.includes('i')) return null;
  const pattern = new RegExpParser({ ecmaVersion: 2025 }).parsePattern(re.source, 0, re.source.length, { unicode: re.unicode });
  return union(pattern.alternatives.map((a) => sequenceGate(a.elements)));
}

const BIGRAM = 0x10000;

function bigramSlot(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ b) & 0xffff;
}

/** A gate compiled for `Presence.any`: units below 0x10000, bigram slots at 0x10000 and above. */
export function compileGate(gate: ReadonlySet<string>): Int32Array {
  return Int32Array.from(gate, (s) => (s.length === 1 ? s.charCodeAt(0) : BIGRAM + bigramSlot(s.charCodeAt(0), s.charCodeAt(1))));
}

/** A regex with its compiled gate. */
export interface GatedRegExp {
  re: RegExp;
  gate: Int32Array | null;
}

/** Pairs a regex with its gate, derived once. */
export function gated(re: RegExp): GatedRegExp {
  const g = gateOf(re);
  return { re, gate: g && compileGate(g) };
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

  /** True when `re` may match the loaded text: it has no gate, or the text holds one of its gate's entries. */
  allows(re: GatedRegExp): boolean {
    return re.gate === null || this.any(re.gate);
  }

  /** True when the loaded text contains at least one entry of a compiled gate. */
  any(gate: Int32Array): boolean {
    const g = this.gen;
    for (let i = 0; i < gate.length; i++) if (this.stamp[gate[i] as number] === g) return true;
    return false;
  }
}

/** The table the check engine's stages share: each loads its text first, and loading the same text again is free. */
export const presence = new Presence();
