/**
 * The L2 variant catalogue: cosmetic, privacy-monotone renderings of a view, one
 * Tardos bit per slot. Every variant of a slot reveals exactly the same facts, so no set of renderings
 * together reveals more than one of them. Organisation-level slots are shared by an organisation's accounts
 * (two-level code); account-level slots differ between accounts.
 */

/** Fields a view may carry. */
export type ViewField = 'order_no' | 'item' | 'price' | 'quantity' | 'time' | 'name' | 'phone' | 'phone_masked' | 'address' | 'region';

/** What a view is rendered from (decrypted in memory only). */
export interface RenderInput {
  name: string;
  phone: string;
  virtualNumber: string;
  province: string;
  city: string;
  district: string;
  street: string;
  building?: string | undefined;
  unit?: string | undefined;
  room?: string | undefined;
  itemTitle: string;
  itemSpec: string[];
  quantity: number;
  priceCents: number;
  orderedAt: string;
}

/** A variant slot: which field carries it and at which level of the two-level code its bit is drawn. */
export interface Slot {
  id: string;
  field: ViewField;
  level: 'org' | 'account';
}

/** The catalogue, in bit order. */
export const SLOTS: readonly Slot[] = [
  { id: 'name_glyph', field: 'name', level: 'account' },
  { id: 'name_len', field: 'name', level: 'org' },
  { id: 'phone_sep', field: 'phone', level: 'account' },
  { id: 'addr_province', field: 'address', level: 'org' },
  { id: 'addr_building', field: 'address', level: 'org' },
  { id: 'addr_unit_room', field: 'address', level: 'org' },
  { id: 'addr_digits', field: 'address', level: 'org' },
  { id: 'time_format', field: 'time', level: 'org' },
  { id: 'time_seconds', field: 'time', level: 'account' },
  { id: 'item_spec_order', field: 'item', level: 'org' },
  { id: 'item_title_cut', field: 'item', level: 'org' },
  { id: 'price_format', field: 'price', level: 'account' },
];

/** A bit per slot, or null where the slot is absent (field not released, or not applicable to this order). */
export type Bits = (0 | 1 | null)[];

const SHORT_TITLE = 12;
const FULL_DIGITS = '０１２３４５６７８９';

const toFullDigits = (s: string): string => s.replace(/[0-9]/g, (d) => FULL_DIGITS[Number(d)] as string);
const toAsciiDigits = (s: string): string => s.replace(/[０-９]/g, (d) => String(FULL_DIGITS.indexOf(d)));
const numeric = (s: string | undefined): s is string => s !== undefined && /^[0-9]+$/.test(s);

/** Shanghai local time, to the minute or the second, with '-' or '/' between date parts. */
export function localTime(iso: string, seconds: boolean, slash = false): string {
  const t = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  const date = t.slice(0, 10);
  return `${slash ? date.replaceAll('-', '/') : date} ${t.slice(11, seconds ? 19 : 16)}`;
}

/**
 * One canonical form for every variant of an address (and for many hand-typed ones): no province prefix,
 * ASCII digits, 栋/号楼/幢 as '#', 单元/室 as '-', no spaces. Every rendering of an order normalises alike.
 */
export function normalizeAddress(text: string): string {
  return toAsciiDigits(text)
    .replace(/\s+/g, '')
    .replace(/^[\u4e00-\u9fa5]{2,7}?(省|自治区|特别行政区)/, '')
    .replace(/^(北京市|上海市|天津市|重庆市)(?=\1)/, '')
    .replace(/(\d+)(栋|号楼|幢)/g, '$1#')
    .replace(/(\d+)单元(\d+)室/g, '$1-$2');
}

/** The parts of an address, province to room. */
export type AddressParts = Pick<RenderInput, 'province' | 'city' | 'district' | 'street' | 'building' | 'unit' | 'room'>;

/** The normalised address of an order (what `normalizeAddress` makes of any of its renderings). */
export function canonicalAddress(o: AddressParts): string {
  return normalizeAddress(`${o.city}${o.district}${addressDetail(o, 0, 0)}`);
}

/** Whether a slot can vary for this order (e.g. no building number, no building slot). */
function applicable(slot: string, o: RenderInput): boolean {
  switch (slot) {
    case 'addr_building':
      return numeric(o.building);
    case 'addr_unit_room':
      return numeric(o.unit) && numeric(o.room);
    case 'addr_digits':
      return /[0-9]/.test(addressDetail(o, 0, 0));
    case 'item_spec_order':
      return o.itemSpec.length >= 2;
    case 'item_title_cut':
      return Array.from(o.itemTitle).length > SHORT_TITLE;
    default:
      return true;
  }
}

function addressDetail(o: AddressParts, building: 0 | 1, unitRoom: 0 | 1): string {
  let s = o.street;
  if (o.building) s += numeric(o.building) ? `${o.building}${building ? '号楼' : '栋'}` : o.building;
  if (numeric(o.unit) && numeric(o.room)) s += unitRoom ? `${o.unit}-${o.room}` : `${o.unit}单元${o.room}室`;
  else if (o.unit || o.room) s += `${o.unit ?? ''}${o.room ?? ''}`;
  return s;
}

/** A phone number as rendered in the phone slot's variant: 11 digits, or grouped 3-4-4. */
export const phoneGroups = (p: string, sep: 0 | 1): string => (sep ? `${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}` : p);

/** Index of the phone separator slot, the one slot a virtual number's rendering carries. */
export const PHONE_SLOT = SLOTS.findIndex((s) => s.id === 'phone_sep');

/** Renders one field of a view with the slot bits given (missing bits take variant 0). */
export function renderField(field: ViewField, o: RenderInput, b: Record<string, 0 | 1>): string | number {
  const v = (id: string): 0 | 1 => b[id] ?? 0;
  switch (field) {
    case 'name': {
      const glyph = v('name_glyph') ? '＊' : '*';
      return `${Array.from(o.name)[0] ?? ''}${glyph.repeat(v('name_len') + 1)}`;
    }
    case 'phone':
      return phoneGroups(o.virtualNumber, v('phone_sep'));
    case 'phone_masked': {
      const masked = `${o.phone.slice(0, 3)}****${o.phone.slice(7)}`;
      return v('phone_sep') ? `${masked.slice(0, 3)} **** ${masked.slice(7)}` : masked;
    }
    case 'address': {
      let detail = addressDetail(o, v('addr_building'), v('addr_unit_room'));
      if (v('addr_digits')) detail = toFullDigits(detail);
      return `${v('addr_province') ? o.province : ''}${o.city}${o.district}${detail}`;
    }
    case 'region':
      return `${o.province}${o.city}${o.district}`;
    case 'time':
      return localTime(o.orderedAt, v('time_seconds') === 1, v('time_format') === 1);
    case 'item': {
      const chars = Array.from(o.itemTitle);
      const title = v('item_title_cut') && chars.length > SHORT_TITLE ? chars.slice(0, SHORT_TITLE).join('') : o.itemTitle;
      const spec = v('item_spec_order') ? [...o.itemSpec].reverse().join(' ') : o.itemSpec.join(';');
      return spec ? `${title} ${spec}` : title;
    }
    case 'price': {
      const yuan = o.priceCents / 100;
      return v('price_format') ? `${String(yuan)}元` : `¥${yuan.toFixed(2)}`;
    }
    case 'quantity':
      return o.quantity;
    case 'order_no':
      throw new Error('order_no is an identifier, rendered by custody');
  }
}

/**
 * The slot bits of a view with these fields, given the order's applicable slots: slot i is 1 when the
 * uniform of its level (`org` or `account`) falls below the order's bias p[i].
 */
export function slotBits(
  fields: readonly ViewField[],
  can: readonly boolean[],
  org: Float64Array,
  account: Float64Array,
  p: Float64Array,
): Bits {
  const out: Bits = new Array<0 | 1 | null>(SLOTS.length);
  for (let i = 0; i < SLOTS.length; i++) {
    const s = SLOTS[i] as Slot;
    out[i] =
      can[i] === true && fields.includes(s.field) ? (((s.level === 'org' ? org : account)[i] as number) < (p[i] as number) ? 1 : 0) : null;
  }
  return out;
}

/** Which slots can vary for this order, in slot order (computed once per order, used for every view of it). */
export function applicableSlots(o: RenderInput): boolean[] {
  const out = new Array<boolean>(SLOTS.length);
  for (let i = 0; i < SLOTS.length; i++) out[i] = applicable((SLOTS[i] as Slot).id, o);
  return out;
}

/** A view's rendered fields, without the identifier (which custody adds). */
export type RenderedFields = Partial<Record<Exclude<ViewField, 'order_no'>, string | number>>;

/** Renders the non-identifier fields of a view. */
export function renderView(fields: readonly ViewField[], o: RenderInput, bits: Bits): RenderedFields {
  const b: Record<string, 0 | 1> = {};
  SLOTS.forEach((s, i) => {
    const x = bits[i];
    if (x !== null && x !== undefined) b[s.id] = x;
  });
  const out: RenderedFields = {};
  for (const f of fields) if (f !== 'order_no') out[f] = renderField(f, o, b);
  return out;
}

/**
 * Reads slot bits back from a leaked record's fields, given the canonical order it maps to: a value that
 * matches neither variant (retyped, reformatted, cut) gives null, an erasure, never a guess. Pass the
 * order's applicable slots when already known.
 */
export function readBits(leaked: Partial<Record<ViewField, string>>, o: RenderInput, can: readonly boolean[] = applicableSlots(o)): Bits {
  const out: Bits = new Array<0 | 1 | null>(SLOTS.length).fill(null);
  for (let i = 0; i < SLOTS.length; i++) {
    const slot = SLOTS[i] as Slot;
    const raw = slot.field === 'phone' ? (leaked.phone ?? leaked.phone_masked) : leaked[slot.field];
    if (raw !== undefined && can[i] === true) out[i] = readSlot(slot.id, raw.trim(), o);
  }
  return out;
}

/** One slot's bit from one leaked value (already trimmed), or null when it matches neither variant. */
function readSlot(id: string, val: string, o: RenderInput): 0 | 1 | null {
  switch (id) {
    case 'name_glyph':
      return /＊/.test(val) ? 1 : /\*/.test(val) ? 0 : null;
    case 'name_len': {
      const mask = /^.([*＊]{1,2})$/u.exec(val)?.[1];
      return mask === undefined ? null : mask.length === 1 ? 0 : 1;
    }
    case 'phone_sep':
      return / /.test(val) ? 1 : /^[0-9*]{11}$/.test(val) ? 0 : null;
    case 'addr_province':
      return val.startsWith(o.province) ? 1 : val.startsWith(o.city) ? 0 : null;
    case 'addr_building': {
      const a = toAsciiDigits(val);
      return a.includes(`${o.building ?? ''}号楼`) ? 1 : a.includes(`${o.building ?? ''}栋`) ? 0 : null;
    }
    case 'addr_unit_room': {
      const a = toAsciiDigits(val);
      return a.includes(`${o.unit ?? ''}单元${o.room ?? ''}室`) ? 0 : a.includes(`${o.unit ?? ''}-${o.room ?? ''}`) ? 1 : null;
    }
    case 'addr_digits':
      return /[０-９]/.test(val) ? (/[0-9]/.test(val) ? null : 1) : /[0-9]/.test(val) ? 0 : null;
    case 'time_format': {
      const t = val.slice(0, 16);
      return t === localTime(o.orderedAt, false) ? 0 : t === localTime(o.orderedAt, false, true) ? 1 : null;
    }
    case 'time_seconds':
      return /^\d{4}[-/]\d\d[-/]\d\d \d\d:\d\d:\d\d$/.test(val) ? 1 : /^\d{4}[-/]\d\d[-/]\d\d \d\d:\d\d$/.test(val) ? 0 : null;
    case 'item_spec_order':
      return val.endsWith(o.itemSpec.join(';')) ? 0 : val.endsWith([...o.itemSpec].reverse().join(' ')) ? 1 : null;
    case 'item_title_cut':
      return val.startsWith(o.itemTitle) ? 0 : val.startsWith(Array.from(o.itemTitle).slice(0, SHORT_TITLE).join('')) ? 1 : null;
    case 'price_format': {
      const f0 = String(renderField('price', o, { price_format: 0 }));
      const f1 = String(renderField('price', o, { price_format: 1 }));
      return val === f0 ? 0 : val === f1 ? 1 : null;
    }
    default:
      return null;
  }
}
