/** Symmetric Tardos code parameters: arcsine-distributed biases and Bernoulli bits. */

/** The largest coalition per record the code is tuned for (c_max = 5). */
export const C_MAX = 5;

const T = 1 / (300 * C_MAX);
const T_PRIME = Math.asin(Math.sqrt(T));

/** Bias p = sin²(t' + (π/2 − 2t')·u) for a uniform u: the arcsine law cut to [t, 1 − t]. */
export function bias(u: number): number {
  return Math.sin(T_PRIME + (Math.PI / 2 - 2 * T_PRIME) * u) ** 2;
}
