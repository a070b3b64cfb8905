/**
 * Header rows of leaked files: the column names that platform exports, ERP sheets and scammers' lists use
 * (Chinese and English, any order), mapped to the view fields a record is matched and decoded on.
 */
import type { ViewField } from '../fingerprint/index.ts';
import { headerKey } from './dump-text.ts';

/** What a column holds: a view field, or a part of a split address. */
export type ColumnField = ViewField | 'province' | 'city' | 'district' | 'detail';

/** How one header cell was read: its field (null when unknown or not used) and why. */
export interface HeaderColumn {
  index: number;
  header: string;
  field: ColumnField | null;
  /** `ignored`: a known column the trace does not use (tracking number, remarks…); `duplicate`: a second column for a field. */
  status: 'mapped' | 'duplicate' | 'ignored' | 'unknown';
}

/** Exact names (as `headerKey` reduces them), in order of preference within a field. */
const EXACT: Record<string, ColumnField> = {};
const add = (field: ColumnField, names: string[]): void => {
  for (const n of names) EXACT[headerKey(n)] = field;
};
add('order_no', [
  '订单号',
  '订单编号',
  '单号',
  '订单id',
  '订单',
  '主订单编号',
  '子订单编号',
  'order_no',
  'order id',
  'order',
  'orderno',
  'order number',
]);
add('name', [
  '收货人姓名',
  '收货人',
  '收件人姓名',
  '收件人',
  '姓名',
  '联系人',
  '客户姓名',
  '收货人名称',
  'name',
  'consignee',
  'receiver',
  'recipient',
]);
add('phone', [
  '收货人手机',
  '收货人手机号',
  '收件人手机',
  '收件人电话',
  '手机号',
  '手机号码',
  '手机',
  '联系手机',
  '联系方式',
  '联系电话',
  '电话',
  '电话号码',
  '收货人电话',
  'phone',
  'mobile',
  'tel',
  'telephone',
  'cellphone',
]);
add('address', ['收货地址', '收件地址', '地址', '送货地址', '配送地址', '完整地址', '收货人地址', 'address', 'shipping address']);
add('detail', ['详细地址', '街道地址', '地址详情', 'street', 'address detail', 'detail address']);
add('item', ['商品', '商品名称', '商品标题', '宝贝', '宝贝标题', '宝贝名称', '品名', 'item', 'title', 'product', 'goods', 'sku']);
add('price', [
  '金额',
  '实付',
  '实付款',
  '实付金额',
  '价格',
  '单价',
  '总金额',
  '订单金额',
  '买家实际支付金额',
  '支付金额',
  'price',
  'amount',
  'total',
]);
add('time', [
  '下单时间',
  '订单创建时间',
  '创建时间',
  '付款时间',
  '订单付款时间',
  '支付时间',
  '时间',
  '日期',
  'time',
  'date',
  'created',
  'order time',
]);
add('quantity', ['数量', '件数', '宝贝总数量', '购买数量', 'quantity', 'qty']);
add('region', ['所在地区', '地区', '省市区', 'region']);
add('province', ['省', '省份', 'province']);
add('city', ['市', '城市', 'city']);
add('district', ['区', '区县', '县区', '县', 'district']);
add('phone_masked', ['phone_masked', 'masked phone']);

/** Columns a leak commonly carries that the trace does not use: named as known, not as unknown. */
const IGNORED = /物流|快递|运单|备注|状态|买家会员|会员名|昵称|支付宝|账号|店铺|运送方式|邮编|身份证|remark|status|note|tracking|zip/;

/** Later columns for a field are kept as fallbacks when the preferred one is empty (付款时间 behind 下单时间). */
const PREFERRED_LAST = new Set(['付款时间', '订单付款时间', '支付时间', '联系电话', '电话', '子订单编号'].map(headerKey));

/** Substrings that name a field when no exact name matches, tried in this order (收货人手机 is a phone). */
const CONTAINS: [RegExp, ColumnField][] = [
  [/手机|电话|联系方式|phone|mobile|tel/, 'phone'],
  [/详细地址/, 'detail'],
  [/地址|address/, 'address'],
  [/姓名|收货人|收件人|联系人|name/, 'name'],
  [/订单号|订单编号|单号|orderid|orderno/, 'order_no'],
  [/时间|日期|time|date/, 'time'],
  [/商品|宝贝|item|product/, 'item'],
  [/金额|实付|价格|price|amount/, 'price'],
  [/数量|qty/, 'quantity'],
];

/** Header cells already read (JSON lines repeat the same keys on every line). */
const seen = new Map<string, ColumnField | 'ignored' | null>();

/** The field one header cell names, or `ignored`, or null when unknown. */
export function fieldOfHeader(cell: string): ColumnField | 'ignored' | null {
  const known = seen.get(cell);
  if (known !== undefined) return known;
  const field = readField(cell);
  if (seen.size < 10_000) seen.set(cell, field);
  return field;
}

function readField(cell: string): ColumnField | 'ignored' | null {
  const k = headerKey(cell);
  if (k === '') return null;
  const exact = EXACT[k];
  if (exact) return exact;
  if (IGNORED.test(k)) return 'ignored';
  return CONTAINS.find(([re]) => re.test(k))?.[1] ?? null;
}

/** Whether a cell looks like data rather than a column name (a long run of digits, a date). */
const looksLikeData = (cell: string): boolean => /\d{5,}|\d{4}[-/年]\d/.test(cell);

/**
 * Reads a row as a header: each cell's field, the first column of each field mapped and later ones kept as
 * duplicates. Null unless at least two cells name a field (or the row is a single known column name) and no
 * cell looks like data. `strict` counts exact column names only (for rows among data, whose values may
 * contain words such as 手机 or 地址).
 */
export function readHeader(cells: readonly string[], strict = false): HeaderColumn[] | null {
  if (cells.some(looksLikeData)) return null;
  const exact = cells.filter((c) => EXACT[headerKey(c)] !== undefined).length;
  if (strict && exact < 2) return null;
  const fields = cells.map(fieldOfHeader);
  const known = fields.filter((f) => f !== null && f !== 'ignored').length;
  if (known < 2 && !(cells.length === 1 && exact === 1)) return null;
  const columns: HeaderColumn[] = cells.map((header, index) => {
    const f = fields[index] ?? null;
    return f === 'ignored'
      ? { index, header, field: null, status: 'ignored' }
      : { index, header, field: f, status: f ? 'mapped' : 'unknown' };
  });
  // One column per field is the primary; a later one is a fallback, unless the earlier is the less preferred.
  const primary = new Map<ColumnField, HeaderColumn>();
  for (const col of columns) {
    if (!col.field) continue;
    const seen = primary.get(col.field);
    if (!seen) primary.set(col.field, col);
    else if (PREFERRED_LAST.has(headerKey(seen.header)) && !PREFERRED_LAST.has(headerKey(col.header))) {
      seen.status = 'duplicate';
      primary.set(col.field, col);
    } else col.status = 'duplicate';
  }
  // A 详细地址 column without a full address or split parts beside it is the whole address.
  const detail = primary.get('detail');
  if (detail && !primary.has('address') && !['province', 'city', 'district'].some((f) => primary.has(f as ColumnField)))
    detail.field = 'address';
  return columns;
}
