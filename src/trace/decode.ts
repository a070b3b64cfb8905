/**
 * Bytes of a leaked file to text: a byte-order mark names UTF-8 or UTF-16; otherwise valid UTF-8 is UTF-8,
 * and text that is mostly invalid as UTF-8 is read as GB18030 (a superset of GBK and GB2312, what Chinese
 * Windows and Excel write). What neither decoding can read is counted, never guessed.
 */
import { fileTypeFromBuffer } from 'file-type';

/** The encodings a dump is read in; `mixed`: some lines UTF-8, others GB18030 (a merged file). */
export type DumpEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'mixed';

/** A decoded dump and how it was read. */
export interface DecodedDump {
  text: string;
  encoding: DumpEncoding;
  bom: boolean;
  /** Characters that could not be decoded (each became U+FFFD). */
  undecodable: number;
  /** A binary container (xlsx, zip, pdf…) found instead of text: its extension. */
  binary?: string;
}

const REPLACEMENT = /\uFFFD/g;
const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

/** Decodes with the WHATWG decoder (Node's full ICU has gb18030); what it cannot decode becomes U+FFFD. */
function decodeAs(bytes: Uint8Array, encoding: Exclude<DumpEncoding, 'mixed'>): string {
  return new TextDecoder(encoding, { ignoreBOM: false }).decode(bytes);
}

/** UTF-8 unless most of its non-ASCII characters would be undecodable and GB18030 reads the bytes better. */
function choose(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030'; bad: number } {
  const utf8 = decodeAs(bytes, 'utf-8');
  const bad = count(utf8, REPLACEMENT);
  if (bad === 0) return { text: utf8, encoding: 'utf-8', bad };
  // GBK text read as UTF-8 turns nearly every non-ASCII character into U+FFFD; a UTF-8 file with a stray or
  // cut byte has a few among many good ones, and reading that as GB18030 would garble every line.
  const nonAscii = count(utf8, /[\u0080-\uffff]/g);
  const gb = decodeAs(bytes, 'gb18030');
  const gbBad = count(gb, REPLACEMENT);
  return bad * 20 > nonAscii && gbBad < bad ? { text: gb, encoding: 'gb18030', bad: gbBad } : { text: utf8, encoding: 'utf-8', bad };
}

/**
 * Chooses between UTF-8 and GB18030 for text without a byte-order mark. A file merged from several sources
 * may hold lines in each: when one reading of the whole leaves characters undecodable, each line is read on
 * its own (a newline byte never occurs inside a UTF-8 or GB18030 character).
 */
function sniff(bytes: Uint8Array): { text: string; encoding: DumpEncoding } {
  const whole = choose(bytes);
  if (whole.bad === 0) return whole;
  const lines: string[] = [];
  const used = new Set<'utf-8' | 'gb18030'>();
  let bad = 0;
  for (let start = 0; start <= bytes.length;) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const line = choose(bytes.subarray(start, end));
    lines.push(line.text);
    if (/[^\x20-\x7e\t\r]/.test(line.text)) used.add(line.encoding);
    bad += line.bad;
    start = end + 1;
  }
  if (bad >= whole.bad) return whole;
  const [only] = used;
  return { text: lines.join('\n'), encoding: used.size > 1 ? 'mixed' : (only ?? whole.encoding) };
}

/** Text file types file-type may report; anything else it recognises is a binary container. */
const TEXTUAL = /^(text\/|application\/(xml|json|x-ndjson)|image\/svg)/;

/** Decodes a dump's bytes. */
export async function decodeDump(bytes: Uint8Array): Promise<DecodedDump> {
  const [b0, b1, b2] = bytes;
  let bom: DumpEncoding | null = null;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) bom = 'utf-8';
  else if (b0 === 0xff && b1 === 0xfe) bom = 'utf-16le';
  else if (b0 === 0xfe && b1 === 0xff) bom = 'utf-16be';
  if (bom) {
    const text = decodeAs(bytes, bom);
    return { text, encoding: bom, bom: true, undecodable: count(text, REPLACEMENT) };
  }
  // Only without a byte-order mark: file-type reads a UTF-16 mark as a file type of its own.
  const type = await fileTypeFromBuffer(bytes.subarray(0, 4100));
  if (type && !TEXTUAL.test(type.mime)) return { text: '', encoding: 'utf-8', bom: false, undecodable: 0, binary: type.ext };
  const { text, encoding } = sniff(bytes);
  return { text, encoding, bom: false, undecodable: count(text, REPLACEMENT) };
}
