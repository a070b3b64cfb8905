/** Supervision (监督): a consumer sees who has received an order's data, verifies it, and flags what looks wrong. */
export { CHAIN_ORDER, chainRank, decryptForms, EMPTY_NOTE, viewForms, type FieldForm, type SeenField } from './forms.ts';
export { FLAG_REASONS, flagCommitment, flagRow, listFlags, type FlagReason, type FlagResult, type FlagView } from './flags.ts';
export {
  CheckFailure,
  checkOrderAccess,
  followHandovers,
  leafMismatch,
  openCheckpoint,
  consistent,
  followsFrom,
  rootFromInclusion,
  wellFormed,
  type Failure,
  type ProofReport,
} from './proof-check.ts';
export { orderAccess, recipientEntries } from './recipients.ts';
export type { AccessRow, KeyHandover, OrderAccess, Why } from './rows.ts';
export {
  accessLink,
  issueAccessToken,
  openToken,
  orderForToken,
  publicBaseFrom,
  TOKEN_MINUTES,
  TOKEN_RE,
  type IssuedToken,
} from './tokens.ts';
export {
  accountability,
  beijingDayHour,
  profile,
  type Accountability,
  type Activity,
  type ActivityAction,
  type Anomaly,
  type PartyRef,
  type Profile,
  type Reason,
  type ReportSignal,
} from './accountability.ts';
export { LEADS_NOTICE, reasonText, type ReasonCode } from './reasons.ts';
export { accountabilityReach, analyseAccountability, type Window } from './activity.ts';
export { analysesOffThread, readAccountability, type StoreAccountability } from './analysis-thread.ts';
export { keyUses, type KeyUse } from './keys.ts';
export { partyReportPdf, type PartyReportMeta } from './party-pdf.ts';
export {
  addHook,
  deliverAlerts,
  hookSchema,
  listAlerts,
  listHooks,
  MAX_ATTEMPTS,
  revokeHook,
  signature,
  sweepAlerts,
  type AlertView,
  type HookView,
} from './alerts.ts';
