/** The check pipeline: normalise → entities → rules → classifier → verdict. */
import { readFileSync } from 'node:fs';
import { buildAdvice, type Advice, type Level } from './advice.ts';
import { logitOfText, scoringModel, type ScoringModel, type StoredModel } from './classifier.ts';
import { canonicalPhone, extractEntities, type Entity } from './entities.ts';
import { knowledgeSigns, type Knowledge } from './knowledge.ts';
import { ASK_TEXT, CHANNEL_TEXT, SCAM_TYPE_TEXT, TRAP_TEXT, type AskId, type ScamTypeId, type Text2, type TrapId } from './labels.ts';
import { matchRules } from './match.ts';
import { normalize } from './normalize.ts';
import { channelSigns, score, SCORING } from './score.ts';
import { fromText, fromTurns, type Turn } from './transcript.ts';

export type Channel = 'call' | 'sms' | 'chat';

/** What a consumer gives the engine: text or turns, and optionally the number that called and the channel. */
export interface CheckInput {
  text?: string | undefined;
  turns?: Turn[] | undefined;
  caller?: string | undefined;
  channel?: Channel | undefined;
}

/** A highlighted span of the analysed text. */
export interface Span {
  start: number;
  end: number;
  label: string;
  group: 'trap' | 'ask' | 'type' | 'channel';
  rule: string;
}

/** The verdict. Spans index into `text`, which is the input text (or the rendered turns). */
export interface CheckResult {
  risk: number;
  level: Level;
  traps: Array<{ id: TrapId } & Text2>;
  asks: Array<{ id: AskId } & Text2 & { never: Text2 }>;
  types: Array<{ id: ScamTypeId } & Text2>;
  channel: Array<{ id: string } & Text2>;
  spans: Span[];
  entities: Entity[];
  advice: Advice;
  text: string;
}

const MODEL_URL = new URL('./model.json', import.meta.url);
let model: ScoringModel | undefined;

/** The trained classifier, loaded once. */
export function loadModel(): ScoringModel {
  model ??= scoringModel(JSON.parse(readFileSync(MODEL_URL, 'utf8')) as StoredModel);
  return model;
}

/** Scam types whose texts speak for an institution, so a private mobile number in them is a sign. */
const SPEAKS_FOR: ReadonlySet<string> = new Set(['bank', 'phishing', 'police']);

function levelOf(risk: number): Level {
  if (risk >= SCORING.high) return 'high';
  if (risk >= SCORING.medium) return 'medium';
  return 'low';
}

function callerEntity(caller: string | undefined): Entity | undefined {
  if (!caller) return undefined;
  const canon = canonicalPhone(caller);
  if (canon !== undefined && /^\d+$/.test(canon)) return { type: 'phone', value: canon, start: 0, end: 0, tags: ['service'] };
  const n = normalize(caller);
  return extractEntities(n).find((e) => e.type === 'phone');
}

/** The entities of an input and its caller, for looking up what `Knowledge` should hold before calling `check`. */
export function entitiesOf(input: CheckInput): { entities: Entity[]; caller: Entity | undefined } {
  const t = input.turns ? fromTurns(input.turns) : fromText(input.text ?? '');
  return { entities: extractEntities(normalize(t.text)), caller: callerEntity(input.caller) };
}

/**
 * Analyses one text, transcript or number and returns the verdict. With `knowledge` (registered official
 * channels, never-do policies, reputation) the verdict also says which of those the text contradicts.
 * `scoring` replaces the shipped classifier (training evaluates candidate models through the whole engine).
 */
export function check(input: CheckInput, knowledge?: Knowledge, scoring: ScoringModel = loadModel()): CheckResult {
  const t = input.turns ? fromTurns(input.turns) : fromText(input.text ?? '');
  const n = normalize(t.text);
  const entities = extractEntities(n);
  const hits = matchRules(n, t.selfRanges);
  const caller = callerEntity(input.caller);
  const claimsCs = hits.some((h) => h.rule.key === 'identity');
  const speaksFor = claimsCs || hits.some((h) => h.rule.group === 'type' && SPEAKS_FOR.has(h.rule.key));
  const signs = channelSigns(entities, caller, speaksFor);
  const askIds = [...new Set(hits.filter((h) => h.rule.group === 'ask').map((h) => h.rule.key as AskId))];
  const known = knowledge ? knowledgeSigns({ lowered: n.text, entities, caller, claimsCs, asks: askIds }, knowledge) : [];
  const extra = known.reduce((sum, k) => sum + k.weight, 0);
  const s = score(hits, entities, signs, logitOfText(scoring, n.text), extra, n.text.length);
  const level = levelOf(s.risk);
  const spans: Span[] = [];
  for (const h of hits) {
    if (h.rule.group === 'benign') continue;
    for (const [start, end] of h.spans) spans.push({ start, end, label: h.rule.key, group: h.rule.group, rule: h.rule.id });
  }
  for (const k of known)
    for (const [start, end] of k.spans) spans.push({ start, end, label: k.id, group: 'channel', rule: `registry.${k.id}` });
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  return {
    risk: Math.round(s.risk * 1000) / 1000,
    level,
    traps: s.traps.map((id) => ({ id, ...TRAP_TEXT[id] })),
    asks: s.asks.map((id) => ({ id, ...ASK_TEXT[id] })),
    types: s.types.map((id) => ({ id, ...SCAM_TYPE_TEXT[id] })),
    channel: [...s.channel.map((id) => ({ id, ...(CHANNEL_TEXT[id] as Text2) })), ...known.map((k) => ({ id: k.id, zh: k.zh, en: k.en }))],
    spans,
    entities,
    advice: buildAdvice(level, s.traps, s.asks, known, spans.length > 0 || s.types.length > 0 || s.channel.length > 0, s.types),
    text: t.text,
  };
}
