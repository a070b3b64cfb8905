/** Reading a leaked dump: CSV with a header, JSONL, or free text lines, into records of view fields. */
import type { ViewField } from '../fingerprint/index.ts';

/** One leaked record: whatever view fields it still carries, as text. */
export type LeakedRecord = Partial<Record<ViewField, string>>;

/** Header and key names scammers' files use, mapped to view fields. */
const ALIASES: Record<string, ViewField> = {
  order_no: 'order_no',
  order: 'order_no',
  订单号: 'order_no',
  订单编号: 'order_no',
  name: 'name',
  姓名: 'name',
  收件人: 'name',
  phone: 'phone',
  电话: 'phone',
  手机: 'phone',
  手机号: 'phone',
  phone_masked: 'phone_masked',
  address: 'address',
  地址: 'address',
  收货地址: 'address',
  item: 'item',
  商品: 'item',
  宝贝: 'item',
  time: 'time',
  时间: 'time',
  下单时间: 'time',
  price: 'price',
  金额: 'price',
  价格: 'price',
  region: 'region',
};

function toRecord(entries: [string, unknown][]): LeakedRecord {
  const r: LeakedRecord = {};
  for (const [k, v] of entries) {
    const f = ALIASES[k.trim().toLowerCase()] ?? ALIASES[k.trim()];
    if (f && (typeof v === 'string' || typeof v === 'number') && String(v).trim() !== '') r[f] = String(v).trim();
  }
  return r;
}

/** Splits one CSV line (quotes and doubled quotes). */
function csvCells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** A free-text line: fields picked out by their shape (19-digit order numbers, masked names, phones, times). */
function textRecord(line: string): LeakedRecord {
  const r: LeakedRecord = {};
  const order = /(?<!\d)2\d{18}(?!\d)/.exec(line);
  if (order) r.order_no = order[0];
  const phone = /(?<![\d*])1\d{2}[ -]?[\d*]{4}[ -]?\d{4}(?!\d)/.exec(line.replace(order?.[0] ?? '\u0000', ''));
  if (phone) r.phone = phone[0];
  const name = /[\u4e00-\u9fa5][*＊]{1,2}/.exec(line);
  if (name) r.name = name[0];
  const time = /\d{4}[-/]\d\d[-/]\d\d \d\d:\d\d(:\d\d)?/.exec(line);
  if (time) r.time = time[0];
  return r;
}

/** Parses a dump; the format is taken from the content (JSON lines, CSV with a known header, or text). */
export function parseDump(text: string): LeakedRecord[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const first = (lines[0] as string).trim();
  if (first.startsWith('{')) {
    return lines.flatMap((l) => {
      try {
        return [toRecord(Object.entries(JSON.parse(l) as Record<string, unknown>))];
      } catch {
        return [];
      }
    });
  }
  const header = csvCells(first);
  if (header.filter((h) => ALIASES[h.trim().toLowerCase()] ?? ALIASES[h.trim()]).length >= 2) {
    return lines.slice(1).map((l) => {
      const cells = csvCells(l);
      return toRecord(header.map((h, i) => [h, cells[i] ?? '']));
    });
  }
  return lines.map(textRecord);
}
