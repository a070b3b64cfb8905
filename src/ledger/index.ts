/** The tamper-evident ledger (RFC 9162 Merkle log with C2SP checkpoints). */
export { checkpointText, parseCheckpoint, type Checkpoint } from './checkpoint.ts';
export { cosign, cosignatureTime, cosignerKey, parseCosignerKey, splitNote, withSignatureLines, type Cosigner } from './cosignature.ts';
export { decodeEntry, encodeEntry, releaseEncoder, type LedgerEntry } from './entry.ts';
export { checkpointSchedule, DEFAULT_SCHEDULE, type CheckpointSchedule } from './schedule.ts';
export { leavesAt } from './leaves.ts';
export { DEFAULT_ORIGIN, Ledger, LedgerDamaged, ledgerRowTag, type EncodedEntry, type LedgerKeys, type LedgerWriter } from './log.ts';
export { EMPTY_ROOT, leafHash, leafHashOfText, nodeHash, rootFromInclusion, verifyConsistency, verifyInclusion } from './merkle.ts';
export { openNote, parseVerifierKey, signNote, verifierKey, type NoteSigner, type Verifier } from './note.ts';
export { type ReleaseKeys } from './release-rows.ts';
export { MerkleTree } from './tree.ts';
export type { LedgerProblem } from './problem.ts';
export { verifyLedger, type VerifyOptions, type VerifyReport } from './verify.ts';
export { FALSE_ACCUSATION_BUDGET } from './investigations.ts';
export { partyNameHash } from './party-rows.ts';
export { outcomeHash } from './outcome-rows.ts';
