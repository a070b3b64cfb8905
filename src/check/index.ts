/** Check (检测): is this text, number or link a scam, what exactly is wrong with it, and what to do. */
export { check, entitiesOf, loadModel, type CheckInput, type CheckResult, type Channel, type Span } from './check.ts';
export { type Entity } from './entities.ts';
export { type Turn } from './transcript.ts';
export { type Level } from './advice.ts';
export { checkInputSchema, MAX_TEXT_LENGTH } from './schema.ts';
export { canonicalPhone } from './entities.ts';
export {
  hostOf,
  KNOWN_SCAM_SCORE,
  reputationKey,
  reputationQueries,
  REPUTATION_KINDS,
  type Brand,
  type Knowledge,
  type Reputation,
  type ReputationKind,
} from './knowledge.ts';
export { ASKS, type AskId } from './labels.ts';
