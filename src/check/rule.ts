/** The shape of one rule of the table, and its constructor. */
import type { AskId, ScamTypeId, TrapId } from './labels.ts';

export type RuleGroup = 'trap' | 'ask' | 'type' | 'channel' | 'benign';

/** One pattern and what a match means. */
export interface Rule {
  id: string;
  group: RuleGroup;
  key: TrapId | AskId | ScamTypeId | 'channel' | 'benign';
  weight: number;
  re: RegExp;
  /** The rule only applies to texts at most this long (a short question, not a dialogue). */
  maxLength?: number;
}

/** A rule from its pattern source (compiled global, so every match is found). */
export function r(id: string, group: RuleGroup, key: Rule['key'], weight: number, source: string, maxLength?: number): Rule {
  const rule: Rule = { id, group, key, weight, re: new RegExp(source, 'g') };
  if (maxLength !== undefined) rule.maxLength = maxLength;
  return rule;
}
