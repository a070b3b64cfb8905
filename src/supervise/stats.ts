/** The tail bound the accountability signals share: how surprising a count is under a Poisson rate. */

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const z = x - 1;
  let a = 0.99999999999980993;
  const t = z + 7.5;
  LANCZOS.forEach((c, i) => {
    a += c / (z + i + 1);
  });
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * log10 P[X ≥ x] for X ~ Poisson(λ), x real (the regularized lower incomplete gamma P(x, λ)), 0 when x ≤ λ:
 * only excess is surprising. Counts are divided by a dispersion first by callers that expect batches.
 */
export function poissonTailLog10(lambda: number, x: number): number {
  if (x <= 0 || x <= lambda) return 0;
  const lam = Math.max(lambda, 1e-9);
  // Series for γ(x, λ)/Γ(x): converges quickly when λ < x + 1, which x > λ guarantees.
  let term = 1 / x;
  let sum = term;
  for (let n = 1; n < 10_000; n++) {
    term *= lam / (x + n);
    sum += term;
    if (term < sum * 1e-15) break;
  }
  const ln = -lam + x * Math.log(lam) - lnGamma(x) + Math.log(sum);
  return Math.min(0, ln / Math.LN10);
}
