/** What the pages use of supervision: the consumer page's rows and proof check (WebCrypto), the console's leads notice. */
export {
  checkOrderAccess,
  followHandovers,
  followsFrom,
  wellFormed,
  type ChainFailure,
  type ChainReport,
  type Failure,
  type ProofReport,
} from './proof-check.ts';
export type { AccessRow, OrderAccess } from './rows.ts';
export { LEADS_NOTICE } from './reasons.ts';
export { ORDER_NO } from '../shared/order-no.ts';
