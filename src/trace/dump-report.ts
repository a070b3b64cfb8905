/**
 * A dump as it comes (bytes in any common encoding, or text) through to an investigation, with a report of
 * how it was read and mapped: records read, mapped by which key, and for each record left out the reason, so
 * an investigator never gets a silent zero. The report names columns and line numbers, never values.
 */
import type { Custody, Reach } from '../custody/index.ts';
import type { DecodedDump, DumpEncoding } from './decode.ts';
import { readDump, type DumpFormat, type LeakedRecord, type UnreadableReason } from './dump.ts';
import type { HeaderColumn } from './headers.ts';
import { investigateDump, type DumpInvestigation, type InvestigateOptions } from './investigate.ts';
import { mapRecordsExplained, type MappedRecord, type UnmappedReason } from './match.ts';

/** Why a record gave no order: it could not be read, its bytes could not be decoded, or its keys matched none. */
export type NotMappedReason = UnreadableReason | 'undecodable' | UnmappedReason;

/** Something the investigator should know about the dump as a whole. */
export type DumpWarningCode =
  | 'binary_file'
  | 'empty'
  | 'nothing_mapped'
  | 'no_header'
  | 'unknown_columns'
  | 'unknown_keys'
  | 'undecodable_bytes'
  | 'scientific_order_numbers';

/** How a dump was read and mapped. */
export interface DumpReport {
  /** `text` when the dump came as text (JSON), not bytes. */
  encoding: DumpEncoding | 'text';
  bom: boolean;
  format: DumpFormat | 'binary';
  delimiter?: string;
  header: { line: number; columns: Omit<HeaderColumn, 'index'>[] } | null;
  /** Records read (header rows, title lines and blank lines are not records). */
  records: number;
  mapped: number;
  mappedBy: Record<MappedRecord['via'], number>;
  notMapped: number;
  /** Records not mapped, by reason, with the first few line numbers of each. */
  reasons: { reason: NotMappedReason; count: number; lines: number[] }[];
  skipped: { header: number; preamble: number };
  warnings: { code: DumpWarningCode; message: string }[];
}

/** A dump investigation with its report. */
export type ReportedInvestigation = DumpInvestigation & { report: DumpReport };

/** Line numbers shown per reason. */
const SAMPLE_LINES = 10;

const REASON_TEXT: Record<NotMappedReason, string> = {
  invalid_json: 'not a JSON object',
  unclosed_quote: 'a quote opened and never closed',
  malformed_row: 'a row the CSV reader could not split',
  undecodable: 'bytes that could not be decoded',
  no_key: 'no usable field (order number, address, full phone, or time with item)',
  order_no_unknown: 'an order number that is no alias any party received',
  address_unknown: 'an address that matches no order',
  address_ambiguous: 'an address shared by several orders that time and item do not tell apart',
  phone_unknown: 'a phone number that matches no order',
  phone_ambiguous: 'a phone number on several orders that time and item do not tell apart',
  time_item_unknown: 'no order at that minute with that item',
  time_item_ambiguous: 'several orders at that minute with that item',
};

/** Reads, maps and reports on a dump (decoded bytes, or text); the records and mapping go on to the investigation. */
export async function mapDump(
  c: Custody,
  input: DecodedDump | string,
  reach: Reach = '*',
): Promise<{ records: LeakedRecord[]; mapped: MappedRecord[]; report: DumpReport }> {
  const decoded = typeof input === 'string' ? null : input;
  const parsed = readDump(decoded ? decoded.text : (input as string));
  const { mapped, unmapped } = await mapRecordsExplained(c, parsed.records, reach);
  const mappedBy = { alias: 0, address: 0, phone: 0, time: 0 };
  for (const m of mapped) mappedBy[m.via]++;
  const byReason = new Map<NotMappedReason, number[]>();
  const isMapped = new Set(mapped.map((m) => m.index));
  parsed.records.forEach((_, i) => {
    if (isMapped.has(i)) return;
    const reason = parsed.unreadable.get(i) ?? (parsed.undecodable[i] ? 'undecodable' : (unmapped.get(i) ?? 'no_key'));
    const lines = byReason.get(reason) ?? [];
    lines.push(parsed.lines[i] ?? 0);
    byReason.set(reason, lines);
  });
  const reasons = [...byReason]
    .map(([reason, lines]) => ({ reason, count: lines.length, lines: lines.slice(0, SAMPLE_LINES) }))
    .sort((a, b) => b.count - a.count);

  const warnings: DumpReport['warnings'] = [];
  const warn = (code: DumpWarningCode, message: string): number => warnings.push({ code, message });
  const unknownColumns = parsed.header?.columns.filter((col) => col.status === 'unknown').map((col) => col.header.slice(0, 40)) ?? [];
  if (decoded?.binary) warn('binary_file', `this is a ${decoded.binary} file, not text: save it as CSV (UTF-8 or GBK) and send that`);
  else if (parsed.records.length === 0) warn('empty', 'the dump holds no records (only a header, or nothing)');
  else if (mapped.length === 0) {
    const top = reasons[0];
    warn(
      'nothing_mapped',
      `none of the ${parsed.records.length} records maps to an order${top ? `; most often: ${REASON_TEXT[top.reason]} (${top.count})` : ''}`,
    );
  }
  if (parsed.format === 'text' && parsed.records.length > 0)
    warn('no_header', 'no header row was recognised: fields were picked out by their shape');
  if (unknownColumns.length > 0) warn('unknown_columns', `columns not recognised (not used): ${unknownColumns.join(', ')}`);
  if (parsed.unknownKeys.length > 0) warn('unknown_keys', `keys not recognised (not used): ${parsed.unknownKeys.join(', ')}`);
  if (decoded && decoded.undecodable > 0)
    warn('undecodable_bytes', `${decoded.undecodable} characters could not be decoded as ${decoded.encoding}`);
  if (parsed.scientific > 0)
    warn(
      'scientific_order_numbers',
      `${parsed.scientific} order numbers were written in scientific notation by a spreadsheet (their digits are lost): export them as text`,
    );

  const report: DumpReport = {
    encoding: decoded ? decoded.encoding : 'text',
    bom: decoded?.bom ?? false,
    format: decoded?.binary ? 'binary' : parsed.format,
    ...(parsed.delimiter === undefined ? {} : { delimiter: parsed.delimiter }),
    header: parsed.header && {
      line: parsed.header.line,
      columns: parsed.header.columns.map(({ header, field, status }) => ({ header: header.slice(0, 40), field, status })),
    },
    records: parsed.records.length,
    mapped: mapped.length,
    mappedBy,
    notMapped: parsed.records.length - mapped.length,
    reasons,
    skipped: {
      header: parsed.skipped.filter((s) => s.reason === 'header').length,
      preamble: parsed.skipped.filter((s) => s.reason === 'preamble').length,
    },
    warnings,
  };
  return { records: parsed.records, mapped, report };
}

/** Investigates a dump as it comes (decoded bytes, or text) and reports how it was read and mapped. */
export async function investigateDumpInput(
  c: Custody,
  input: DecodedDump | string,
  opts: InvestigateOptions = {},
): Promise<ReportedInvestigation> {
  const { records, mapped, report } = await mapDump(c, input, opts.reach);
  const text = typeof input === 'string' ? input : input.text;
  return { ...(await investigateDump(c, records, { ...opts, mapped, input: text })), report };
}

/** The report's reasons in words, for the CLI. */
export const reasonText = (r: NotMappedReason): string => REASON_TEXT[r];
