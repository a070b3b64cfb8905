/** C2SP tlog-checkpoint bodies: origin, tree size, base64 root hash. */

/** A checkpoint's content. */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

/** The checkpoint note text (ends with a newline, ready to sign). */
export function checkpointText(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n`;
}

/** Parses checkpoint note text; extension lines after the root are allowed and ignored. */
export function parseCheckpoint(text: string): Checkpoint {
  const [origin, size, root] = text.split('\n');
  if (!origin || !size || !/^(0|[1-9][0-9]*)$/.test(size) || root === undefined) throw new Error('malformed checkpoint');
  const hash = Buffer.from(root, 'base64');
  if (hash.length !== 32 || hash.toString('base64') !== root) throw new Error('checkpoint root is not a base64 SHA-256 hash');
  const n = Number(size);
  if (!Number.isSafeInteger(n)) throw new Error('checkpoint size too large');
  return { origin, size: n, root: hash };
}
