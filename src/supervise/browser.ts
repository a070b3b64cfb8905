/** What the consumer page uses of supervision: the rows' shape and the proof check it runs with WebCrypto. */
export { checkOrderAccess, type Failure, type ProofReport } from './proof-check.ts';
export type { AccessRow, OrderAccess } from './rows.ts';
