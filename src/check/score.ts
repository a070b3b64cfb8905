/**
 * From rule hits, entities and the classifier to one risk. The rules carry the explanation and most of
 * the weight; the classifier may move the score by at most CLASSIFIER_CAP log-odds, so a text the rules
 * find nothing in cannot be flagged on style alone, and a clear rule match is not vetoed by it.
 */
import type { Entity } from './entities.ts';
import type { AskId, ScamTypeId, TrapId } from './labels.ts';
import type { Hit } from './match.ts';

/** Scoring constants, in log-odds units. */
export const SCORING = {
  offset: -2.0,
  classifierScale: 0.35,
  classifierCap: 1.5,
  trapCap: 1.5,
  creditCap: 2.0,
  typeCap: 3.0,
  benignFloor: -2.5,
  trapAndAsk: 0.8,
  /** A scam type's cues together with a real ask ("日结500" and "加我"): the pitch and the hook. */
  typeAndAsk: 0.6,
  perExtraTrap: 0.4,
  perExtraAsk: 0.4,
  phishingLink: 1.0,
  international: 1.2,
  virtualOperator: 0.5,
  privateMobile: 0.6,
  suspiciousLink: 0.6,
  lookalikeLink: 1.0,
  shortLink: 0.4,
  rawIp: 1.2,
  apk: 1.5,
  perKeyType: 2.2,
  /** A scam type is named only when its cues add up to this much (one weak word such as 兼职 is not enough). */
  typeEvidence: 1.0,
  /** Log-odds a verdict is lifted to when it holds a concrete dangerous ask or a phishing shape: just into medium. */
  floor: 0.2,
  /**
   * Classifier log-odds at which a text with at least one scam cue is lifted to medium: the cue says what
   * to look at, the classifier that the whole reads more like a scam than not. Chosen on the cross-source
   * report: haste is no cue, and benign short texts with another cue rarely lean to scam.
   */
  classifierWithCue: 0.0,
  /** ...for texts up to this many characters: short messages, where the rules see little. */
  classifierWithCueLength: 200,
  /** Benign signs at or below this (an OTP notice, an anti-fraud warning) keep the floor from applying. */
  floorBenign: -1.0,
  high: 0.75,
  medium: 0.5,
} as const;

/** What the score is made of, for the verdict and its explanation. */
export interface Score {
  risk: number;
  traps: TrapId[];
  asks: AskId[];
  types: ScamTypeId[];
  channel: string[];
  ruleScore: number;
}

function sumByKey(hits: readonly Hit[], group: string, mode: 'sum' | 'max'): Map<string, number> {
  const m = new Map<string, number>();
  for (const h of hits) {
    if (h.rule.group !== group) continue;
    const prev = m.get(h.rule.key) ?? 0;
    m.set(h.rule.key, mode === 'sum' ? prev + h.weight : Math.max(prev, h.weight));
  }
  return m;
}

/** Asks concrete enough that a text making one is never rated low. */
const CONCRETE: ReadonlySet<string> = new Set(['code']);
/** Asks that act on a phishing text: follow a link, install, scan, call. */
const ACTING: ReadonlySet<string> = new Set(['link', 'app', 'qr', 'call', 'off_platform', 'transfer', 'code', 'card']);

/** A concrete dangerous ask (at full weight, not only the consumer repeating it) or a phishing shape. */
function dangerous(
  hits: readonly Hit[],
  types: ReadonlyMap<string, number>,
  entities: readonly Entity[],
  channel: readonly string[],
): boolean {
  for (const h of hits) {
    if (h.rule.group !== 'ask' || h.weight < h.rule.weight) continue;
    if (CONCRETE.has(h.rule.key)) return true;
  }
  if (channel.includes('lookalike_link') || channel.includes('raw_ip_link') || channel.includes('apk_link')) return true;
  // Install this app or open this link, on a cheap domain: the shape of a fake logistics or coupon page.
  if (channel.includes('suspicious_link') && hits.some((h) => h.rule.key === 'app' || h.rule.key === 'link')) return true;
  const phishy = types.has('phishing') || types.has('bank');
  const riskyLink = entities.some((e) => e.type === 'url' && !e.tags?.includes('official'));
  const callAsk = hits.some((h) => h.rule.key === 'call');
  return phishy && (riskyLink || callAsk);
}

/** Channel signs from the text's numbers and the caller number, if one was given. `claimsCs`: it speaks for a platform or institution. */
export function channelSigns(entities: readonly Entity[], caller: Entity | undefined, claimsCs: boolean): string[] {
  const signs = new Set<string>();
  const phones = entities.filter((e) => e.type === 'phone');
  if (caller) phones.push(caller);
  for (const p of phones) {
    if (p.tags?.includes('international')) signs.add('international');
    if (p.tags?.includes('virtual_operator')) signs.add('virtual_operator');
  }
  for (const u of entities) {
    if (u.type !== 'url') continue;
    if (u.tags?.includes('suspicious_tld')) signs.add('suspicious_link');
    if (u.tags?.includes('lookalike')) signs.add('lookalike_link');
    if (u.tags?.includes('short_link')) signs.add('short_link');
    if (u.tags?.includes('raw_ip')) signs.add('raw_ip_link');
    if (u.tags?.includes('apk')) signs.add('apk_link');
  }
  if (claimsCs && (caller?.tags?.includes('mobile') || phones.some((p) => p !== caller && p.tags?.includes('mobile'))))
    signs.add('private_mobile');
  return [...signs];
}

/**
 * Combines hits, channel signs, the classifier's log-odds and `extra` log-odds (registry facts) into a risk in
 * [0, 1]; `length` is the normalised text's length (the classifier lifts only short texts).
 */
export function score(
  hits: readonly Hit[],
  entities: readonly Entity[],
  channel: readonly string[],
  classifierLogit: number,
  extra = 0,
  length = 0,
): Score {
  const S = SCORING;
  const traps = sumByKey(hits, 'trap', 'sum');
  const asks = sumByKey(hits, 'ask', 'max');
  const types = sumByKey(hits, 'type', 'sum');
  for (const [k, v] of types) types.set(k, Math.min(v, S.perKeyType));
  let s = 0;
  for (const [k, v] of traps) s += Math.min(v, k === 'credit' ? S.creditCap : S.trapCap);
  for (const v of asks.values()) s += v;
  let typeSum = 0;
  for (const v of types.values()) typeSum += v;
  s += Math.min(typeSum, S.typeCap);
  let benign = 0;
  for (const h of hits) {
    if (h.rule.group === 'benign') benign += h.weight;
    if (h.rule.group === 'channel') s += h.weight;
  }
  s += Math.max(benign, S.benignFloor);
  const nTraps = traps.size;
  const realAsks = [...asks.keys()].filter((k) => k !== 'urgency').length;
  if (nTraps > 0 && realAsks > 0) s += S.trapAndAsk;
  if (nTraps > 1) s += S.perExtraTrap * (nTraps - 1);
  if (realAsks > 0 && [...types.values()].some((v) => v >= 0.6)) s += S.typeAndAsk;
  if (realAsks > 1) s += S.perExtraAsk * (realAsks - 1);
  if ((types.has('phishing') || types.has('bank')) && entities.some((e) => e.type === 'url' && !e.tags?.includes('official')))
    s += S.phishingLink;
  if (channel.includes('international')) s += S.international;
  if (channel.includes('virtual_operator')) s += S.virtualOperator;
  if (channel.includes('private_mobile')) s += S.privateMobile;
  if (channel.includes('suspicious_link')) s += S.suspiciousLink;
  if (channel.includes('lookalike_link')) s += S.lookalikeLink;
  if (channel.includes('short_link')) s += S.shortLink;
  if (channel.includes('raw_ip_link')) s += S.rawIp;
  if (channel.includes('apk_link')) s += S.apk;
  const clf = Math.max(-S.classifierCap, Math.min(S.classifierCap, S.classifierScale * classifierLogit));
  let z = s + extra + S.offset + clf;
  // Refund and order talk, and haste ("马上联系快递"), are what real after-sales says too, so they are no cue for the classifier.
  const cue = hits.some(
    (h) =>
      h.weight > 0 &&
      (h.rule.group === 'type' ||
        (h.rule.group === 'ask' && h.rule.key !== 'urgency') ||
        h.rule.key === 'identity' ||
        h.rule.key === 'credit'),
  );
  const lifted =
    dangerous(hits, types, entities, channel) ||
    (cue && benign === 0 && length <= S.classifierWithCueLength && classifierLogit >= S.classifierWithCue);
  // A look-alike, raw-IP or APK link is never in an honest notice, whatever else it says ("如非本人操作").
  const forged = channel.includes('lookalike_link') || channel.includes('raw_ip_link') || channel.includes('apk_link');
  if ((benign > S.floorBenign || forged) && lifted) z = Math.max(z, S.floor);
  // A scam type is named only with evidence for it: phishing needs a link, a number or an ask to act.
  const canAct = entities.some((e) => e.type === 'url' || e.type === 'phone') || [...asks.keys()].some((k) => ACTING.has(k));
  const typeIds = ([...types.keys()] as ScamTypeId[]).filter((t) => (types.get(t) ?? 0) >= S.typeEvidence && (t !== 'phishing' || canAct));
  const fakeCs = traps.has('identity') || traps.has('benefit') || traps.has('credit');
  if (fakeCs && (realAsks > 0 || nTraps > 1) && !typeIds.includes('fake_cs')) typeIds.unshift('fake_cs');
  return {
    risk: 1 / (1 + Math.exp(-z)),
    traps: [...traps.keys()] as TrapId[],
    asks: [...asks.keys()] as AskId[],
    types: typeIds,
    channel: [...channel],
    ruleScore: s,
  };
}
