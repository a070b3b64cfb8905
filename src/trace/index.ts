/** Trace (溯源): from a leaked dump or reports to the party that leaked, with a bound on accusing an innocent one. */
export { parseDump, readDump, type DumpFormat, type LeakedRecord, type ParsedDump } from './dump.ts';
export { spendBudget, type Budget } from './budget.ts';
export { collapseByOrder, mergeBits, type OrderEvidence } from './collapse.ts';
export { checkReleases, type LeafMismatch } from './ledger-evidence.ts';
export { decodeDump, type DecodedDump, type DumpEncoding } from './decode.ts';
export {
  investigateDumpInput,
  mapDump,
  reasonText,
  type DumpReport,
  type DumpWarningCode,
  type NotMappedReason,
  type ReportedInvestigation,
} from './dump-report.ts';
export {
  investigateDump,
  log10AliasBound,
  log10NumberBound,
  type Accusation,
  type DumpInvestigation,
  type InvestigateOptions,
  type ReleaseProof,
  type Suspect,
} from './investigate.ts';
export { decodeL2, scoreSource, type L2Result, type L2Score, type L2Source } from './l2.ts';
export { leakedMinute, mapRecords, mapRecordsExplained, type MappedRecord, type UnmappedReason } from './match.ts';
export { bitProbability, logInnocentBound, spendingWeight, tardosScore, type Position } from './tardos.ts';
export { investigateReport, quotedTail, type ReportInvestigation, type VictimReport } from './report.ts';
export { cpcTriage, emSources, logBinomialTail, type CpcResult, type CpcSource, type CpcSuspect } from './cpc.ts';
export { canaryTests, logHypergeometricTail, type CanaryResult, type CanaryTest } from './canary.ts';
export { evidencePdf, type EvidenceMeta } from './evidence-pdf.ts';
export { listInvestigations, recordInvestigation, type InvestigationSummary } from './history.ts';
export { plantCanaries, plantSchema, recordCanaryHit, testCanaryOutcomes, testCanaryRegistry } from './canary-registry.ts';
export { provenCanaries, type ProvenCanary, type RefusedOutlet } from './canary-evidence.ts';
