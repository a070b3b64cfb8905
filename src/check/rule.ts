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
}

/** A rule from its pattern source (compiled global, so every match is found). */
export function r(id: string, group: RuleGroup, key: Rule['key'], weight: number, source: string): Rule {
  return { id, group, key, weight, re: new RegExp(source, 'g') };
}
