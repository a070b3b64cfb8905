/**
 * Test helper: encoders for the byte forms a leaked file comes in. Node can decode GB18030 but not encode
 * it, so the table is built by decoding every two-byte code and the four-byte codes of the BMP once.
 */

let table: Map<string, number[]> | undefined;

function gbTable(): Map<string, number[]> {
  if (table) return table;
  const t = new Map<string, number[]>();
  const dec = new TextDecoder('gb18030', { fatal: true });
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      try {
        const ch = dec.decode(new Uint8Array([a, b]));
        if (!t.has(ch)) t.set(ch, [a, b]);
      } catch {
        // Not a character in GB18030's two-byte plane.
      }
    }
  for (let a = 0x81; a <= 0x84; a++)
    for (let b = 0x30; b <= 0x39; b++)
      for (let c = 0x81; c <= 0xfe; c++)
        for (let d = 0x30; d <= 0x39; d++) {
          try {
            const ch = dec.decode(new Uint8Array([a, b, c, d]));
            if (!t.has(ch)) t.set(ch, [a, b, c, d]);
          } catch {
            // Past the last four-byte code of the BMP.
          }
        }
  table = t;
  return t;
}

/** `text` in GB18030 (GBK's two-byte codes wherever GBK has the character). */
export function gb18030(text: string): Buffer {
  const t = gbTable();
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) out.push(cp);
    else {
      const bytes = t.get(ch);
      if (!bytes) throw new Error(`no GB18030 code for U+${cp.toString(16)}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}

/** `text` in UTF-16 with its byte-order mark. */
export function utf16(text: string, order: 'le' | 'be'): Buffer {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return order === 'le' ? le : le.swap16();
}
