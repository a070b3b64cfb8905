/** The check pipeline: normalise → entities → rules → classifier → verdict. */
import { readFileSync } from 'node:fs';
import { buildAdvice, type Advice, type Level } from './advice.ts';
import { fromStored, logit, type LinearModel, type StoredModel } from './classifier.ts';
import { extractEntities, type Entity } from './entities.ts';
import { featurize } from './features.ts';
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
let model: LinearModel | undefined;

/** The trained classifier, loaded once. */
export function loadModel(): LinearModel {
  model ??= fromStored(JSON.parse(readFileSync(MODEL_URL, 'utf8')) as StoredModel);
  return model;
}

function levelOf(risk: number): Level {
  if (risk >= SCORING.high) return 'high';
  if (risk >= SCORING.medium) return 'medium';
  return 'low';
}

function callerEntity(caller: string | undefined): Entity | undefined {
  if (!caller) return undefined;
  const n = normalize(caller);
  return extractEntities(n).find((e) => e.type === 'phone');
}

/** Analyses one text, transcript or number and returns the verdict. */
export function check(input: CheckInput): CheckResult {
  const t = input.turns ? fromTurns(input.turns) : fromText(input.text ?? '');
  const n = normalize(t.text);
  const entities = extractEntities(n);
  const hits = matchRules(n, t.selfRanges);
  const caller = callerEntity(input.caller);
  const claimsCs = hits.some((h) => h.rule.key === 'identity');
  const signs = channelSigns(entities, caller, claimsCs);
  const s = score(hits, entities, signs, logit(loadModel(), featurize(n.text)));
  const level = levelOf(s.risk);
  const spans: Span[] = [];
  for (const h of hits) {
    if (h.rule.group === 'benign') continue;
    for (const [start, end] of h.spans) spans.push({ start, end, label: h.rule.key, group: h.rule.group, rule: h.rule.id });
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  return {
    risk: Math.round(s.risk * 1000) / 1000,
    level,
    traps: s.traps.map((id) => ({ id, ...TRAP_TEXT[id] })),
    asks: s.asks.map((id) => ({ id, ...ASK_TEXT[id] })),
    types: s.types.map((id) => ({ id, ...SCAM_TYPE_TEXT[id] })),
    channel: s.channel.map((id) => ({ id, ...(CHANNEL_TEXT[id] as Text2) })),
    spans,
    entities,
    advice: buildAdvice(level, s.traps, s.asks),
    text: t.text,
  };
}
