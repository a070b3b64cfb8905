/** Custody (托管): parties and keys, sealed orders, fingerprinted releases, all recorded in the ledger. */
export {
  authenticate,
  createApiKey,
  DEFAULT_SCOPES,
  exchangeOwnKey,
  hasScope,
  keyLabelSchema,
  listOwnKeys,
  MAX_KEYS_A_DAY,
  MAX_LIVE_KEYS,
  revokeApiKey,
  type OwnKey,
} from './api-keys.ts';
export { keyMints, type KeyHolder, type KeyMint } from './key-lineage.ts';
export { aliasOfRow, releasesByAlias } from './aliases.ts';
export { custodyOn, openCustody, type CustodyOptions } from './context.ts';
export type { Custody, StoreReader } from './custody.ts';
export { ForbiddenError, InputError, NotFoundError, UnavailableError, type FieldIssue } from './errors.ts';
export { loadMasterKey, masterKeySource, MasterKeyError, newMasterKeyFromEnv, promotePendingKey, stagePendingKey } from './master-key.ts';
export { ingestLines, MAX_LINE, type LineResult } from './ingest-stream.ts';
export { ingestOrders, orderInputSchema, type IngestResult, type OrderInput } from './orders.ts';
export {
  createParties,
  foreignPlatformName,
  getParties,
  getParty,
  listParties,
  PARENT_KIND,
  partyInputSchema,
  publicName,
  type PartyInput,
} from './parties.ts';
export { PARTY_KINDS, type Party, type PartyKind } from './party.ts';
export { SCOPES, type Principal, type Scope } from './principal.ts';
export { canSee, DECRYPT_REASONS, ROLE_FIELDS } from './policy.ts';
export { addressIndex, blindIndex, ledgerRowKey, orderRef, phoneIndex } from './refs.ts';
export { FIELD_AAD, openField, sealField } from './sealed-field.ts';
export { randomChunk } from './seal.ts';
export {
  BINDING_DAYS,
  decryptOrder,
  loadOrders,
  loadRenderRows,
  plainOrder,
  releaseMany,
  releaseManifest,
  releasesOfOrders,
  releaseView,
  type View,
} from './release.ts';
export { type RenderRow } from './prepare.ts';
export { rotateDataKey, rotateFingerprintKey, rotateLedgerKey, rotateMasterKey } from './rotate.ts';
export { rotateIndexKey, type IndexRebuilder } from './rotate-index.ts';
export {
  AUTHORITY_KINDS,
  isAuthority,
  manages,
  ordersInReach,
  reaches,
  reachOf,
  withinReach,
  type Operator,
  type Reach,
} from './tenancy.ts';
export { canaryPhoneRef, canaryRoute, commitTo, entrySalt, isCommitment, leafBinds, type CanaryRoute } from './commitments.ts';
export { adoptClearNumbers, holdToLeaf, numberIndex, openNumber, sealNumber } from './numbers.ts';
export { releaseKeys } from './release-keys.ts';
export { openTicket, ticketIdSchema, ticketInputSchema, type Ticket } from './tickets.ts';
export {
  TICKET_DAYS,
  TICKET_DECRYPTS,
  ticketCovers,
  withinTicketLimits,
  type DecryptLeafFields,
  type TicketLeafFields,
  type TicketUse,
} from './ticket-cover.ts';
