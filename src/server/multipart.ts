/**
 * Multipart bodies read within bounds: a few uploads at a time, and the parts counted in the raw bytes before
 * the parser builds them (a body of 300,000 one-byte parts held the event loop for 18 s in the parser).
 */
import type { Context } from 'hono';
import { InputError, UnavailableError } from '../custody/index.ts';

/** Multipart bodies read at once; each may be tens of megabytes in memory. */
const MAX_UPLOADS = 4;
let reading = 0;

/** Where each part's delimiter starts, counting up to `limit + 1` of them. */
function countParts(bytes: Buffer, boundary: string, limit: number): number {
  const delim = Buffer.from(`--${boundary}`);
  let n = 0;
  for (let i = bytes.indexOf(delim); i !== -1 && n <= limit + 1; i = bytes.indexOf(delim, i + delim.length)) n++;
  // The closing delimiter (`--boundary--`) is not a part.
  return Math.max(0, n - 1);
}

/**
 * The form of a multipart/form-data request holding at most `maxParts` parts. A body with more, or without
 * a usable boundary, is refused (400 naming the body) before it is parsed; with `MAX_UPLOADS` bodies already
 * being read, 503.
 */
export async function boundedForm(c: Context, maxParts: number): Promise<FormData> {
  const type = c.req.header('content-type') ?? '';
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(type);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw new InputError([{ field: '(body)', message: 'multipart/form-data needs a boundary' }]);
  if (reading >= MAX_UPLOADS) throw new UnavailableError('too many uploads at once: try again in a few seconds');
  reading++;
  try {
    const bytes = Buffer.from(await c.req.arrayBuffer());
    if (countParts(bytes, boundary, maxParts) > maxParts)
      throw new InputError([{ field: '(body)', message: `at most ${String(maxParts)} parts` }]);
    try {
      return await new Response(bytes, { headers: { 'content-type': type } }).formData();
    } catch {
      throw new InputError([{ field: '(body)', message: 'not a readable multipart/form-data body' }]);
    }
  } finally {
    reading--;
  }
}
