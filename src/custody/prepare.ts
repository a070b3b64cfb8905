/**
 * The part of a release that needs no database: open the sealed fields, derive the party's L1 identifiers and
 * L2 bits, commit to the bits and render every field but the virtual number (picked later, inside the ledger
 * transaction, against the bindings that exist then). It is a pure function of its job, so it runs the same
 * on a worker thread as on the main thread.
 */
import {
  numberStart,
  PHONE_SLOT,
  phoneGroups,
  renderView,
  variantCommitment,
  viewCode,
  type RenderInput,
  type RenderedFields,
  type ViewField,
} from '../fingerprint/index.ts';
import type { OrdersTable } from '../store/index.ts';
import type { AddressDetail } from './address-detail.ts';
import { aad } from './refs.ts';
import { open } from './seal.ts';

/** Which sealed columns to open. */
export type Need = { name: boolean; phone: boolean; address: boolean };

/** The columns a rendering is made from (the sealed name and phone only when they are shown). */
export const RENDER_COLUMNS = [
  'id',
  'key_version',
  'address_ct',
  'province',
  'city',
  'district',
  'item_title',
  'item_spec',
  'quantity',
  'price_cents',
  'ordered_at',
] as const;

/** An order row with what rendering needs. */
export type RenderRow = Pick<OrdersTable, (typeof RENDER_COLUMNS)[number]> & Partial<Pick<OrdersTable, 'name_ct' | 'phone_ct'>>;

/** Decrypts the sealed fields `need` names, with the data key of each row's version, into what a view is rendered from. */
export function openRow(dataKey: (version: number) => Buffer, o: RenderRow, virtualNumber: string, need: Need): RenderInput {
  const key = dataKey(o.key_version);
  const get = (col: 'name' | 'phone' | 'address', ct: string | undefined): string => {
    if (ct === undefined) throw new Error(`the ${col} column was not loaded`);
    return open(key, ct, aad('orders', col, o.id, o.key_version)).toString('utf8');
  };
  const detail: AddressDetail = need.address ? (JSON.parse(get('address', o.address_ct)) as AddressDetail) : { street: '' };
  return {
    name: need.name ? (detail.name ?? get('name', o.name_ct)) : '',
    phone: need.phone ? get('phone', o.phone_ct) : '',
    virtualNumber,
    province: o.province,
    city: o.city,
    district: o.district,
    street: detail.street,
    building: detail.building,
    unit: detail.unit,
    room: detail.room,
    itemTitle: o.item_title,
    itemSpec: JSON.parse(o.item_spec) as string[],
    quantity: o.quantity,
    priceCents: o.price_cents,
    orderedAt: o.ordered_at,
  };
}

/** Which sealed columns a set of fields needs: handler views show a virtual number, so they never open the phone. */
export function sealedNeeded(fields: readonly ViewField[]): Need {
  return { name: fields.includes('name'), phone: fields.includes('phone_masked'), address: fields.includes('address') };
}

/** One party's views of some orders, to prepare under one fingerprint key version. */
export interface PrepareJob {
  fields: readonly ViewField[];
  party: { id: string; orgId: string };
  fpVersion: number;
  fpKey: Uint8Array;
  /** The data keys the rows are sealed under, by version. */
  dataKeys: [number, Uint8Array][];
  poolSize: number;
  rows: RenderRow[];
}

/** A view ready but for its alias and virtual number (both chosen inside the ledger transaction). */
export interface Prepared {
  poolStart: number;
  /** The phone slot's bit, which chooses how the virtual number is grouped. */
  phoneBit: 0 | 1;
  variants: string;
  /** Every field but `phone` (the virtual number), rendered. */
  rendered: RenderedFields;
}

/** A Buffer over the same bytes (keys arrive from another thread as plain Uint8Arrays). */
const buf = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** Prepares every row of the job, in order. */
export function prepareViews(job: PrepareJob): Prepared[] {
  const fpKey = buf(job.fpKey);
  const keys = new Map(job.dataKeys.map(([v, k]) => [v, buf(k)]));
  const dataKey = (v: number): Buffer => {
    const k = keys.get(v);
    if (!k) throw new Error(`no data key version ${v}`);
    return k;
  };
  const need = sealedNeeded(job.fields);
  // numberStart() needs only the pool's size; the number itself is picked later, against live bindings.
  const pool = { ranges: [], size: job.poolSize };
  const rest = job.fields.filter((f) => f !== 'phone');
  return job.rows.map((o): Prepared => {
    const plain = openRow(dataKey, o, '', need);
    const { bits, block } = viewCode(fpKey, job.fpVersion, o.id, { account: job.party.id, org: job.party.orgId }, job.fields, plain);
    return {
      poolStart: numberStart(block, pool),
      phoneBit: bits[PHONE_SLOT] ?? 0,
      variants: variantCommitment(fpKey, job.fpVersion, job.party.id, o.id, bits),
      rendered: renderView(rest, plain, bits),
    };
  });
}

/** The virtual-number field of a view, in the variant its phone slot's bit chose. */
export function renderPhone(virtualNumber: string, phoneBit: 0 | 1): string {
  return phoneGroups(virtualNumber, phoneBit);
}
