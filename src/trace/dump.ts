/**
 * Reading a leaked dump into records of view fields: CSV or TSV with a header row in any language and column
 * order (found among the first lines, after any title lines), JSON lines or a JSON array, or free text
 * whose fields are picked out by their shape. Every line that gives no record says why.
 */
import { parse, type CsvError } from 'csv-parse/sync';
import type { ViewField } from '../fingerprint/index.ts';
import { cleanValue, halfWidth, isScientific } from './dump-text.ts';
import { fieldOfHeader, readHeader, type ColumnField, type HeaderColumn } from './headers.ts';

/** One leaked record: whatever view fields it still carries, as text. */
export type LeakedRecord = Partial<Record<ViewField, string>>;

/** How the dump's text was laid out. */
export type DumpFormat = 'csv' | 'jsonl' | 'json' | 'text' | 'empty';

/** Lines that are not records: header rows (first or repeated), title lines above the header, blank rows. */
export type SkipReason = 'header' | 'preamble';

/** Why a record could not be read at all. */
export type UnreadableReason = 'invalid_json' | 'unclosed_quote' | 'malformed_row';

/** A dump read into records, with where each came from and what was passed over. */
export interface ParsedDump {
  format: DumpFormat;
  /** The cell separator of CSV-like text. */
  delimiter?: string;
  /** The (first) header row and how each of its columns was read. */
  header: { line: number; columns: HeaderColumn[] } | null;
  /** JSON keys that name no field, as found (at most 20). */
  unknownKeys: string[];
  records: LeakedRecord[];
  /** The 1-based text line each record came from (its last line when a quoted cell spans lines). */
  lines: number[];
  /** Records whose text held undecodable characters (U+FFFD). */
  undecodable: boolean[];
  /** Records that could not be read, by index. */
  unreadable: Map<number, UnreadableReason>;
  skipped: { line: number; reason: SkipReason }[];
  /** Order numbers a spreadsheet turned into scientific notation (2.12346E+18): their digits are lost. */
  scientific: number;
}

/** Candidate cell separators, in order of preference when a header reads equally well with several. */
const DELIMITERS = [',', '\t', '，', '|', ';'];
/** How far down a header row is looked for (title lines such as "订单报表 2026-11" may come first). */
const HEADER_SEARCH = 10;

/** Splits a line on a separator for header detection only (quotes stripped; header cells rarely hold one). */
const roughCells = (line: string, d: string): string[] => line.split(d).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));

/** The header row among the first lines: its index in `lines`, separator and columns, or null. */
function findHeader(lines: readonly string[]): { at: number; delimiter: string; columns: HeaderColumn[] } | null {
  for (let at = 0; at < Math.min(HEADER_SEARCH, lines.length); at++) {
    let best: { at: number; delimiter: string; columns: HeaderColumn[] } | null = null;
    let bestKnown = 0;
    for (const d of DELIMITERS) {
      const line = lines[at] as string;
      if (!line.includes(d) && d !== ',') continue;
      const columns = readHeader(roughCells(line, d));
      const known = columns?.filter((c) => c.field !== null).length ?? 0;
      if (columns && known > bestKnown) [best, bestKnown] = [{ at, delimiter: d, columns }, known];
    }
    if (best) return best;
  }
  return null;
}

/** The value of a field in a row: its primary column, else the first non-empty fallback column. */
function valueOf(field: ColumnField, cols: readonly HeaderColumn[], cells: readonly string[]): string | undefined {
  for (const col of cols) {
    if (col.field !== field) continue;
    const v = cleanValue(
      field === 'province' || field === 'city' || field === 'district' || field === 'detail' ? 'address' : field,
      cells[col.index] ?? '',
    );
    if (v !== '') return v;
  }
  return undefined;
}

/** A CSV row as a record; a split address (省/市/区/详细地址) is joined, each part once. */
function rowRecord(cols: readonly HeaderColumn[], cells: readonly string[]): { r: LeakedRecord; scientific: boolean } {
  const r: LeakedRecord = {};
  let scientific = false;
  const fields = new Set(cols.map((c) => c.field).filter((f): f is ColumnField => f !== null));
  for (const f of fields) {
    if (f === 'province' || f === 'city' || f === 'district' || f === 'detail') continue;
    const v = valueOf(f, cols, cells);
    if (v === undefined) continue;
    if (f === 'order_no' && isScientific(v)) scientific = true;
    else r[f] = v;
  }
  const base = r.address ?? valueOf('detail', cols, cells);
  const parts: string[] = [];
  for (const f of ['province', 'city', 'district'] as const) {
    const p = valueOf(f, cols, cells);
    if (p !== undefined && !(base ?? '').includes(p) && parts.at(-1) !== p) parts.push(p);
  }
  if (base !== undefined || parts.length > 0) r.address = parts.join('') + (base ?? '');
  return { r, scientific };
}

interface Row {
  line: number;
  cells?: string[];
  error?: UnreadableReason;
}

const CSV_OPTIONS = { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true } as const;

/**
 * Parses CSV text from a 1-based line on. A quote left open swallows the rest of the file, so from the line
 * where it opened each line is parsed on its own: the broken one is reported, the others kept.
 */
function csvRows(text: string, delimiter: string, fromLine: number): Row[] {
  const bad: Row[] = [];
  const open = { quote: false };
  const parsed = parse(text, {
    ...CSV_OPTIONS,
    delimiter,
    from_line: fromLine,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      if (err?.code === 'CSV_QUOTE_NOT_CLOSED') open.quote = true;
      else if (err) bad.push({ line: (err as CsvError & { lines: number }).lines, error: 'malformed_row' });
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const rows: Row[] = parsed.map((p) => ({ line: p.info.lines, cells: p.record }));
  rows.push(...bad);
  rows.sort((a, b) => a.line - b.line);
  if (!open.quote) return rows;
  const lines = text.split('\n');
  const start = (rows.at(-1)?.line ?? fromLine - 1) + 1;
  for (let n = start; n <= lines.length; n++) {
    const line = lines[n - 1] as string;
    if (line.trim() === '') continue;
    try {
      const [one] = parse(line, { ...CSV_OPTIONS, delimiter }) as unknown as { record: string[] }[];
      rows.push(one ? { line: n, cells: one.record } : { line: n, error: 'unclosed_quote' });
    } catch {
      rows.push({ line: n, error: 'unclosed_quote' });
    }
  }
  return rows;
}

const ORDER = /(?<!\d)2\d{18}(?!\d)/;
const PHONE = /(?<![\d*])(?:\+?86[ -]?)?1\d{2}[ -]?[\d*]{4}[ -]?\d{4}(?!\d)/;
const NAME = /[\u4e00-\u9fa5][*＊]{1,2}/;
const TIME = /\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?[ T]?\d{1,2}:\d\d(:\d\d)?/;
/** An address by its shape: a city or district, then street-level text up to a separator. */
const ADDRESS =
  /(?:[\u4e00-\u9fa5]{2,8}(?:省|自治区))?[\u4e00-\u9fa5]{1,8}(?:市|州|盟)[\u4e00-\u9fa5]{1,8}(?:区|县|市|旗)[\u4e00-\u9fa5\w０-９#＃\-－()（）]*/;

/** A free-text line: fields picked out by their shape (19-digit order numbers, masked names, phones, times, addresses). */
function textRecord(raw: string): LeakedRecord {
  const r: LeakedRecord = {};
  const line = halfWidth(raw, '＊０１２３４５６７８９');
  const ascii = halfWidth(raw);
  const order = ORDER.exec(ascii)?.[0];
  if (order) r.order_no = order;
  const phone = PHONE.exec(ascii.replace(order ?? '\u0000', ''))?.[0];
  if (phone) r.phone = cleanValue('phone', phone);
  const name = NAME.exec(line)?.[0];
  if (name) r.name = cleanValue('name', name);
  const time = TIME.exec(ascii)?.[0];
  if (time) r.time = time;
  const address = ADDRESS.exec(cleanValue('address', line))?.[0];
  if (address) r.address = address;
  return r;
}

/** A JSON object's entries as a record, keys read like header cells. */
function objectRecord(o: Record<string, unknown>, unknown: Set<string>): { r: LeakedRecord; scientific: boolean } {
  const r: LeakedRecord = {};
  let scientific = false;
  const parts: Partial<Record<ColumnField, string>> = {};
  for (const [k, v] of Object.entries(o)) {
    const f = fieldOfHeader(k);
    if (f === null) {
      if (unknown.size < 20) unknown.add(k.slice(0, 40));
      continue;
    }
    if (f === 'ignored' || (typeof v !== 'string' && typeof v !== 'number')) continue;
    const part = f === 'province' || f === 'city' || f === 'district' || f === 'detail';
    const val = cleanValue(part ? 'address' : f, String(v));
    if (val === '' || (part ? parts[f] : r[f]) !== undefined) continue;
    if (f === 'order_no' && isScientific(val)) scientific = true;
    else if (part) parts[f] = val;
    else r[f] = val;
  }
  const base = r.address ?? parts.detail;
  const prefix = [parts.province, parts.city, parts.district].filter((p): p is string => p !== undefined && !(base ?? '').includes(p));
  if (base !== undefined || prefix.length > 0) r.address = [...new Set(prefix)].join('') + (base ?? '');
  return { r, scientific };
}

/** Reads a dump's text: its layout, header, records and the lines that gave none. */
export function readDump(input: string): ParsedDump {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const out: ParsedDump = {
    format: 'empty',
    header: null,
    unknownKeys: [],
    records: [],
    lines: [],
    undecodable: [],
    unreadable: new Map(),
    skipped: [],
    scientific: 0,
  };
  const all = text.split('\n');
  const nonEmpty = all.map((l, i) => ({ l, n: i + 1 })).filter((x) => x.l.trim() !== '');
  if (nonEmpty.length === 0) return out;
  const push = (r: LeakedRecord, line: number, raw: string, scientific = false): void => {
    out.records.push(r);
    out.lines.push(line);
    out.undecodable.push(raw.includes('\uFFFD'));
    if (scientific) out.scientific++;
  };
  const unreadable = (line: number, reason: UnreadableReason, raw: string): void => {
    out.unreadable.set(out.records.length, reason);
    push({}, line, raw);
  };

  const head = (nonEmpty[0] as { l: string }).l.trim();
  const json = head.startsWith('{') || head.startsWith('[');
  const found = json ? null : findHeader(nonEmpty.map((x) => x.l));
  if (found) {
    const first = nonEmpty[found.at] as { l: string; n: number };
    out.format = 'csv';
    out.delimiter = found.delimiter;
    out.header = { line: first.n, columns: found.columns };
    for (const x of nonEmpty.slice(0, found.at)) out.skipped.push({ line: x.n, reason: 'preamble' });
    out.skipped.push({ line: first.n, reason: 'header' });
    let cols = found.columns;
    for (const row of csvRows(text, found.delimiter, first.n + 1)) {
      if (!row.cells) {
        unreadable(row.line, row.error ?? 'unclosed_quote', all[row.line - 1] ?? '');
        continue;
      }
      if (row.cells.every((c) => c.trim() === '')) continue;
      // A merged file repeats its header, perhaps with the columns in another order: read on with that one.
      const again = readHeader(row.cells, true);
      if (again) {
        cols = again;
        out.skipped.push({ line: row.line, reason: 'header' });
        continue;
      }
      const { r, scientific } = rowRecord(cols, row.cells);
      push(r, row.line, row.cells.join(''), scientific);
    }
    return out;
  }

  if (head.startsWith('[')) {
    try {
      const arr = JSON.parse(text) as unknown;
      if (Array.isArray(arr)) {
        out.format = 'json';
        const unknown = new Set<string>();
        for (const o of arr) {
          if (o && typeof o === 'object' && !Array.isArray(o)) {
            const { r, scientific } = objectRecord(o as Record<string, unknown>, unknown);
            push(r, 1, JSON.stringify(o), scientific);
          } else unreadable(1, 'invalid_json', '');
        }
        out.unknownKeys = [...unknown];
        return out;
      }
    } catch {
      // Not one JSON document: read on line by line.
    }
  }
  if (head.startsWith('{')) {
    out.format = 'jsonl';
    const unknown = new Set<string>();
    for (const { l, n } of nonEmpty) {
      let o: unknown;
      try {
        o = JSON.parse(l);
      } catch {
        o = undefined;
      }
      if (o && typeof o === 'object' && !Array.isArray(o)) {
        const { r, scientific } = objectRecord(o as Record<string, unknown>, unknown);
        push(r, n, l, scientific);
      } else unreadable(n, 'invalid_json', l);
    }
    out.unknownKeys = [...unknown];
    return out;
  }

  out.format = 'text';
  for (const { l, n } of nonEmpty) {
    if ([...DELIMITERS, ' '].some((d) => l.includes(d) && readHeader(roughCells(l, d).filter(Boolean), true)))
      out.skipped.push({ line: n, reason: 'header' });
    else push(textRecord(l), n, l);
  }
  return out;
}

/** Parses a dump into the records it holds, leaving out those that could not be read (see `readDump`). */
export function parseDump(text: string): LeakedRecord[] {
  const d = readDump(text);
  return d.records.filter((_, i) => !d.unreadable.has(i));
}
