/** Fingerprints: L1 identifiers (alias, virtual number) and L2 Tardos bits carried by cosmetic variants. */
export { aliasesOf, DEFAULT_POOL, ledgerIndexesOf, numberStart, parsePool, poolNumber, type NumberPool } from './alias.ts';
export { orderBiases, principalBlock, principalUniforms, variantCommitment, viewBits, viewCode, type Recipient } from './code.ts';
export { prf } from './prf.ts';
export { bias, C_MAX } from './tardos.ts';
export {
  applicableSlots,
  canonicalAddress,
  localTime,
  normalizeAddress,
  PHONE_SLOT,
  phoneGroups,
  readBits,
  renderView,
  slotBits,
  SLOTS,
  type AddressParts,
  type Bits,
  type RenderInput,
  type RenderedFields,
  type Slot,
  type ViewField,
} from './variants.ts';
