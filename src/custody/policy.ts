/** L0: the written field policy, which fields each role's view carries, and who may see which order. */
import type { ViewField } from '../fingerprint/index.ts';
import type { OrdersTable } from '../store/index.ts';
import type { Party, PartyKind } from './party.ts';

/**
 * Handlers get a per-party virtual number, never the real phone, and a masked name. Only those who print or
 * deliver get the street address; CS sees the region and a masked phone, and needs a logged decrypt for more.
 */
export const ROLE_FIELDS: Partial<Record<PartyKind, readonly ViewField[]>> = {
  merchant: ['order_no', 'item', 'price', 'quantity', 'time', 'name', 'phone', 'address'],
  merchant_staff: ['order_no', 'item', 'price', 'quantity', 'time', 'name', 'phone', 'address'],
  erp: ['order_no', 'item', 'price', 'quantity', 'time', 'name', 'phone', 'address'],
  carrier: ['order_no', 'time', 'name', 'phone', 'address'],
  outlet: ['order_no', 'time', 'name', 'phone', 'address'],
  station: ['order_no', 'item', 'time', 'name', 'phone', 'address'],
  courier: ['order_no', 'item', 'time', 'name', 'phone', 'address'],
  cs_agent: ['order_no', 'item', 'price', 'quantity', 'time', 'name', 'phone_masked', 'region'],
};

/** Fields a CS agent's decrypt reveals. */
export const DECRYPT_FIELDS = ['name', 'phone', 'address'] as const;

/** Why a CS agent may decrypt an order. */
export const DECRYPT_REASONS = ['complaint', 'refund', 'delivery_issue', 'fraud_investigation', 'legal_request'] as const;

/** The order column that names the handler of a kind (cs_agent: the platform; staff: the merchant). */
export const HANDLER_COLUMN = {
  merchant: 'merchant_id',
  merchant_staff: 'merchant_id',
  erp: 'erp_id',
  carrier: 'carrier_id',
  outlet: 'outlet_id',
  station: 'station_id',
  courier: 'courier_id',
  cs_agent: 'platform_id',
} as const satisfies Partial<Record<PartyKind, keyof OrdersTable>>;

/** The id a party's handler column must hold: its organisation for accounts, else itself. */
export function handlerId(p: Party): string {
  return p.kind === 'merchant_staff' || p.kind === 'cs_agent' ? (p.parentId as string) : p.id;
}

/** The order columns that name its handlers. */
export type HandlerColumns = Pick<OrdersTable, (typeof HANDLER_COLUMN)[keyof typeof HANDLER_COLUMN]>;

/** True when the party handled the order and so may see its view. */
export function canSee(p: Party, o: HandlerColumns): boolean {
  const col = (HANDLER_COLUMN as Partial<Record<PartyKind, keyof HandlerColumns>>)[p.kind];
  return col !== undefined && o[col] === handlerId(p);
}
