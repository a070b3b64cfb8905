/** The tamper-evident ledger (RFC 9162 Merkle log with C2SP checkpoints). */
export { checkpointText, parseCheckpoint, type Checkpoint } from './checkpoint.ts';
export { decodeEntry, encodeEntry, releaseEncoder, type LedgerEntry } from './entry.ts';
export { DEFAULT_ORIGIN, Ledger, type EncodedEntry, type LedgerKeys, type LedgerWriter } from './log.ts';
export { EMPTY_ROOT, leafHash, nodeHash, rootFromInclusion, verifyConsistency, verifyInclusion } from './merkle.ts';
export { openNote, parseVerifierKey, signNote, verifierKey } from './note.ts';
export { MerkleTree } from './tree.ts';
export { verifyLedger, type LedgerProblem, type VerifyReport } from './verify.ts';
