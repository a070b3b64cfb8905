/** Lines from a byte stream with a per-line byte limit enforced while reading, so one endless line cannot fill memory. */

/** A line that was longer than the limit: its bytes were dropped as they arrived. */
export interface TooLong {
  tooLong: number;
}

/**
 * Splits a stream of bytes into UTF-8 lines (LF or CRLF). A line over `maxBytes` is yielded as `{ tooLong }`
 * (the bytes it had) and never held whole: memory stays within `maxBytes` plus one chunk.
 */
export async function* boundedLines(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  maxBytes: number,
): AsyncGenerator<string | TooLong> {
  const decoder = new TextDecoder('utf-8');
  let parts: Buffer[] = [];
  let held = 0;
  let dropped = 0;
  const finish = (): string | TooLong => {
    const out: string | TooLong = dropped > 0 ? { tooLong: dropped + held } : decoder.decode(Buffer.concat(parts)).replace(/\r$/, '');
    parts = [];
    held = 0;
    dropped = 0;
    return out;
  };
  const take = (b: Buffer): void => {
    if (dropped > 0 || held + b.length > maxBytes) {
      dropped += held + b.length;
      parts = [];
      held = 0;
      return;
    }
    parts.push(b);
    held += b.length;
  };
  for await (const chunk of source) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a)) {
      take(buf.subarray(0, nl));
      yield finish();
      buf = buf.subarray(nl + 1);
    }
    if (buf.length > 0) take(Buffer.from(buf));
  }
  if (held > 0 || dropped > 0) yield finish();
}
