/** Order ingest: validated, PII sealed with AES-256-GCM, idempotent on the platform's order id, one ledger entry each. */
import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { LedgerWriter } from '../ledger/index.ts';
import type { Database, OrdersTable } from '../store/index.ts';
import type { AddressDetail } from './address-detail.ts';
import type { Custody } from './custody.ts';
import { InputError, type FieldIssue } from './errors.ts';
import { getParties } from './parties.ts';
import type { Party } from './party.ts';
import { canonicalAddress } from '../fingerprint/index.ts';
import { aad, addressIndex, orderRef, phoneIndex } from './refs.ts';
import { randomChunk, seal } from './seal.ts';
import { ORDER_NO } from '../shared/order-no.ts';

const partyId = z.string().regex(/^[a-z_]+_[0-9a-f]{10}$/, 'must be a party id');
const short = (max: number) => z.string().trim().min(1).max(max);

/** An order's time: ISO 8601 with an offset, from 2000 to a day ahead of now (orders are ingested after they happen). */
const orderTime = z.iso.datetime({ offset: true }).refine((t) => {
  const ms = Date.parse(t);
  return ms >= Date.UTC(2000, 0, 1) && ms <= Date.now() + 86_400_000;
}, 'must be a time from 2000 up to now');

/** One order as a platform sends it. */
export const orderInputSchema = z
  .strictObject({
    platform_order_id: z.string().min(1).max(64).regex(ORDER_NO, 'letters, digits, _ and - only'),
    merchant_id: partyId,
    carrier_id: partyId.optional(),
    outlet_id: partyId.optional(),
    station_id: partyId.optional(),
    courier_id: partyId.optional(),
    recipient: z.strictObject({
      name: short(50),
      phone: z
        .string()
        .transform((s) => s.replace(/[\s-]/g, '').replace(/^\+?86/, ''))
        .pipe(z.string().regex(/^1[3-9]\d{9}$/, 'must be a mainland China mobile number')),
      address: z.strictObject({
        province: short(20),
        city: short(20),
        district: short(20),
        street: short(100),
        building: short(10).optional(),
        unit: short(10).optional(),
        room: short(10).optional(),
      }),
    }),
    item: z.strictObject({
      title: short(100),
      spec: z.array(short(20)).max(4).default([]),
      quantity: z.int().min(1).max(9999),
      price_cents: z.int().min(0).max(1_000_000_000),
    }),
    ordered_at: orderTime,
    paid_at: orderTime,
  })
  .refine((o) => Date.parse(o.paid_at) >= Date.parse(o.ordered_at), { error: 'must not be before ordered_at', path: ['paid_at'] });
export type OrderInput = z.infer<typeof orderInputSchema>;

/** What ingest says about each order. */
export type IngestResult =
  | { index: number; platform_order_id: string; id: string; status: 'created' | 'exists' }
  | { index: number; error: 'invalid_input'; issues: FieldIssue[] };

/**
 * Order ids lead with the ingest time (48-bit milliseconds, then 64 random bits), so rows and the release rows
 * keyed by them are written near each other instead of all over the indexes.
 */
export function newOrderId(now = Date.now()): string {
  return `o_${now.toString(16).padStart(12, '0')}${randomChunk(8).toString('hex')}`;
}

/** Fields an ingest entry records the platform as holding. */
const HELD = ['name', 'phone', 'address', 'item', 'price', 'time'];

/** Checks the routing: each handler exists in the platform's tree, has the right kind, and sits under the next one up. */
function routingIssues(o: OrderInput, parties: Map<string, Party>, platformId: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const expect = (field: 'merchant_id' | 'carrier_id' | 'outlet_id' | 'station_id' | 'courier_id', kind: string, parent?: string): void => {
    const id = o[field];
    if (id === undefined) return;
    const p = parties.get(id);
    // A party of another platform's tree reads exactly like one that does not exist.
    if (p?.kind !== kind || p.tenantId !== platformId) issues.push({ field, message: `must name an existing ${kind}` });
    else if (parent !== undefined && p.parentId !== parent)
      issues.push({
        field,
        message: `must belong to the given ${field === 'outlet_id' ? 'carrier' : field === 'station_id' ? 'outlet' : 'station'}`,
      });
  };
  expect('merchant_id', 'merchant');
  expect('carrier_id', 'carrier');
  expect('outlet_id', 'outlet', o.carrier_id);
  expect('station_id', 'station', o.outlet_id);
  expect('courier_id', 'courier', o.station_id);
  return issues;
}

/**
 * Ingests orders for a platform: invalid ones get field-named errors and write nothing; the rest commit
 * together, with whatever `within` writes in the same transaction (it sees the results; throwing undoes all).
 */
export async function ingestOrders(
  c: Custody,
  platform: Party,
  inputs: readonly unknown[],
  within?: (trx: Transaction<Database>, log: LedgerWriter, results: readonly (IngestResult | undefined)[]) => Promise<void>,
): Promise<IngestResult[]> {
  const results: (IngestResult | undefined)[] = new Array<IngestResult | undefined>(inputs.length);
  const valid: { index: number; o: OrderInput }[] = [];
  inputs.forEach((x, index) => {
    const r = orderInputSchema.safeParse(x);
    if (r.success) valid.push({ index, o: r.data });
    else results[index] = { index, error: 'invalid_input', issues: InputError.fromZod(r.error).issues };
  });
  const parties = await getParties(
    c,
    valid.flatMap(({ o }) =>
      [o.merchant_id, o.carrier_id, o.outlet_id, o.station_id, o.courier_id].filter((x): x is string => x !== undefined),
    ),
  );
  const kv = c.keyring.version('data');
  const key = c.keyring.key('data', kv);
  const now = new Date().toISOString();
  const rows: { index: number; o: OrderInput; row: OrdersTable }[] = [];
  for (const { index, o } of valid) {
    const issues = routingIssues(o, parties, platform.id);
    if (issues.length > 0) {
      results[index] = { index, error: 'invalid_input', issues };
      continue;
    }
    const id = newOrderId();
    const { street, building, unit, room } = o.recipient.address;
    const detail: AddressDetail = { name: o.recipient.name, street, building, unit, room };
    rows.push({
      index,
      o,
      row: {
        id,
        platform_id: platform.id,
        platform_order_id: o.platform_order_id,
        merchant_id: o.merchant_id,
        carrier_id: o.carrier_id ?? null,
        outlet_id: o.outlet_id ?? null,
        station_id: o.station_id ?? null,
        courier_id: o.courier_id ?? null,
        erp_id: parties.get(o.merchant_id)?.erpId ?? null,
        province: o.recipient.address.province,
        city: o.recipient.address.city,
        district: o.recipient.address.district,
        item_title: o.item.title,
        item_spec: JSON.stringify(o.item.spec),
        quantity: o.item.quantity,
        price_cents: o.item.price_cents,
        ordered_at: new Date(o.ordered_at).toISOString(),
        paid_at: new Date(o.paid_at).toISOString(),
        name_ct: seal(key, o.recipient.name, aad('orders', 'name', id, kv)),
        phone_ct: seal(key, o.recipient.phone, aad('orders', 'phone', id, kv)),
        address_ct: seal(key, JSON.stringify(detail), aad('orders', 'address', id, kv)),
        key_version: kv,
        // Set under the ledger's lock below, where an index-key rotation cannot interleave.
        phone_bidx: '',
        address_bidx: '',
        ref: orderRef(c.keyring, id),
        created_at: now,
      },
    });
  }
  if (rows.length > 0) {
    await c.ledger.write(async (trx, log) => {
      await c.keyring.syncIndex(trx);
      for (const { o, row } of rows) {
        row.phone_bidx = phoneIndex(c.keyring, o.recipient.phone);
        row.address_bidx = addressIndex(c.keyring, canonicalAddress(o.recipient.address));
      }
      const created = new Set<string>();
      for (let i = 0; i < rows.length; i += 200) {
        const ins = await trx
          .insertInto('orders')
          .values(rows.slice(i, i + 200).map((r) => r.row))
          .onConflict((oc) => oc.columns(['platform_id', 'platform_order_id']).doNothing())
          .returning('id')
          .execute();
        for (const r of ins) created.add(r.id);
      }
      const existing = new Map<string, string>();
      const dupes = rows.filter((r) => !created.has(r.row.id)).map((r) => r.row.platform_order_id);
      for (let i = 0; i < dupes.length; i += 500) {
        const found = await trx
          .selectFrom('orders')
          .select(['id', 'platform_order_id'])
          .where('platform_id', '=', platform.id)
          .where('platform_order_id', 'in', dupes.slice(i, i + 500))
          .execute();
        for (const f of found) existing.set(f.platform_order_id, f.id);
      }
      for (const { index, row } of rows) {
        if (created.has(row.id)) {
          log.add({ t: 'ingest', at: now, party: platform.id, order: row.ref, fields: HELD, kv });
          results[index] = { index, platform_order_id: row.platform_order_id, id: row.id, status: 'created' };
        } else {
          results[index] = {
            index,
            platform_order_id: row.platform_order_id,
            id: existing.get(row.platform_order_id) ?? '',
            status: 'exists',
          };
        }
      }
      await within?.(trx, log, results);
    });
  }
  return results as IngestResult[];
}
