/**
 * Checked reads for what the code knows is there: an index inside an array, a key a map was filled with.
 * Where that knowledge is wrong, the error names what was missing instead of an `undefined` travelling on.
 */

/** The element at `i` of `xs`; throws, naming `what`, when `i` is not an index of `xs`. */
export function at<T>(xs: ArrayLike<T>, i: number, what = 'element'): T {
  if (!Number.isInteger(i) || i < 0 || i >= xs.length) throw new RangeError(`no ${what} at index ${String(i)} of ${String(xs.length)}`);
  return xs[i] as T;
}

/** `value`; throws, naming `what`, when it is undefined or null. */
export function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`${what} is missing`);
  return value;
}
