/** Witness (见证): an outside party that cosigns the log's checkpoints only while its history stays append-only. */
export { addCheckpoint, MAX_REQUEST, type AddResult, type LogState } from './add-checkpoint.ts';
export { createWitnessKey, loadWitnessKey, logState, readState, withState } from './state.ts';
export { addToState, requestCosignature, witnessServer, type WitnessConfig } from './http.ts';
