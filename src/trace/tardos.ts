/**
 * The symmetric Tardos accusation score and its rigorous data-conditional Chernoff bound (docs/trace-bounds.md).
 * An innocent principal's bits are Bernoulli(p) and independent of the leak, so conditional on
 * the biases and the leaked bits its score is a sum of independent bounded terms whose moment generating
 * function is known exactly: no Gaussian approximation, valid for any leaked data.
 */

/** One scored position: the slot's bias on that record, the leaked bit, and the principal's own bit. */
export interface Position {
  p: number;
  y: 0 | 1;
  x: 0 | 1;
}

/** p' = P(an innocent bit equals the leaked bit). */
const agree = (pos: Position): number => (pos.y === 1 ? pos.p : 1 - pos.p);

/** The symmetric score: +√((1−p')/p') where the bit agrees with the leak, −√(p'/(1−p')) where it does not. */
export function tardosScore(positions: readonly Position[]): number {
  let s = 0;
  for (const pos of positions) {
    const q = agree(pos);
    s += pos.x === pos.y ? Math.sqrt((1 - q) / q) : -Math.sqrt(q / (1 - q));
  }
  return s;
}

/**
 * ln of min over λ > 0 of exp(−λs)·Π M_i(λ), with M_i(λ) = p'·e^{λa} + (1−p')·e^{−λb}: an upper bound on
 * ln P[an innocent's score ≥ s | biases, leak]. Returns 0 (bound 1) when s ≤ 0.
 */
export function logInnocentBound(positions: readonly Position[], s: number): number {
  return s <= 0 ? 0 : chernoff(positions, s, 1);
}

/**
 * The same bound on the lower tail, ln P[an innocent's score ≤ s | biases, leak] for s < 0: −score has terms
 * −a with probability p' and +b otherwise, so the bound is that of −score ≥ −s. Returns 0 when s ≥ 0. A leaker
 * that flips every variant it recognises scores far below zero; an innocent's bits do not know the leak either way.
 */
export function logInnocentLowerBound(positions: readonly Position[], s: number): number {
  return s >= 0 ? 0 : chernoff(positions, -s, -1);
}

/** Chernoff bound on ln P[sign·score ≥ t] for t > 0 (sign 1: the upper tail, −1: the lower). */
function chernoff(positions: readonly Position[], t: number, sign: 1 | -1): number {
  if (positions.length === 0) return 0;
  const n = positions.length;
  // Term i is u_i with probability p' and v_i otherwise: (a, −b) for the upper tail, (−a, b) for the lower.
  const u = new Float64Array(n);
  const v = new Float64Array(n);
  const lq = new Float64Array(n);
  const lr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const q = agree(positions[i] as Position);
    u[i] = sign * Math.sqrt((1 - q) / q);
    v[i] = -sign * Math.sqrt(q / (1 - q));
    lq[i] = Math.log(q);
    lr[i] = Math.log(1 - q);
  }
  // f(λ) = −λt + Σ ln M_i(λ) is convex with f(0) = 0, f'(0) = −t and f''(0) = n (each term has mean 0 and
  // variance 1). Newton's method on f', kept inside a shrinking bracket [lo, hi] so it cannot diverge; any
  // λ > 0 gives a valid bound.
  const slope = (lam: number): { d: number; dd: number } => {
    let d = -t;
    let dd = 0;
    for (let i = 0; i < n; i++) {
      const ui = u[i] as number;
      const vi = v[i] as number;
      const ea = (lq[i] as number) + lam * ui;
      const eb = (lr[i] as number) + lam * vi;
      // Weights relative to the larger exponent: that one's weight is exp(0) = 1 exactly, so one exp a term.
      const wa = ea > eb ? 1 : Math.exp(ea - eb);
      const wb = ea > eb ? Math.exp(eb - ea) : 1;
      const z = wa + wb;
      const mean = (ui * wa + vi * wb) / z;
      d += mean;
      dd += (ui * ui * wa + vi * vi * wb) / z - mean * mean;
    }
    return { d, dd };
  };
  const value = (lam: number): number => {
    let f = -lam * t;
    for (let i = 0; i < n; i++) {
      const ea = (lq[i] as number) + lam * (u[i] as number);
      const eb = (lr[i] as number) + lam * (v[i] as number);
      f += ea > eb ? ea + Math.log(1 + Math.exp(eb - ea)) : eb + Math.log(Math.exp(ea - eb) + 1);
    }
    return f;
  };
  let lo = 0;
  let hi = Infinity;
  let lam = t / n;
  for (let it = 0; it < 40; it++) {
    const g = slope(lam);
    if (Math.abs(g.d) <= 1e-7 * (1 + t)) break;
    if (g.d < 0) lo = lam;
    else hi = lam;
    let next = lam - g.d / g.dd;
    if (!(next > lo && next < hi)) next = Number.isFinite(hi) ? (lo + hi) / 2 : lam * 2;
    lam = next;
  }
  return Math.min(0, value(lam));
}

/** Alpha-spending weight of the k-th investigation (k ≥ 1): Σ 1/w_k = 1, so all investigations together stay within ε. */
export function spendingWeight(k: number): number {
  return (Math.PI ** 2 * k ** 2) / 6;
}

/** Levels of the uniform a variant bit is drawn with: u = (k + 0.5) / 2^16 for k uniform in 0 .. 2^16 − 1. */
const GRID = 65536;

/**
 * P(bit = 1) for bias p as the code draws it: the bit is 1 when u < p, which holds for exactly
 * ⌈2^16·p − 1/2⌉ of the 2^16 levels of u (both sides are exact in binary floating point).
 */
export function bitProbability(p: number): number {
  return Math.min(GRID, Math.max(0, Math.ceil(GRID * p - 0.5))) / GRID;
}
