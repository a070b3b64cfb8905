/** Per-client limits on the anonymous endpoints (hono-rate-limiter, in memory: one process). */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';

/** Requests per minute per client for each kind of anonymous endpoint. */
export const DEFAULT_LIMITS = {
  /** Checking a text: cheap and the main consumer action. */
  check: 120,
  /** Who is this number, reputation lookups, the public directory. */
  lookup: 60,
  /** Contact-record buckets: the one that guards against enumeration. */
  bucket: 20,
  /** Reports, appeals and new cases. */
  submit: 10,
} as const;
export type LimitKind = keyof typeof DEFAULT_LIMITS;

/**
 * The client's address. Behind a reverse proxy set GATEKEEPER_TRUST_PROXY=1 to use the first
 * X-Forwarded-For hop; otherwise the socket address. In-process requests (tests) share one key.
 */
export function clientAddress(c: Context): string {
  if (process.env.GATEKEEPER_TRUST_PROXY === '1') {
    const fwd = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (fwd) return fwd;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'local';
  }
}

/** One limiter per kind, keyed by client address and kind. */
export function limiters(limits: Partial<Record<LimitKind, number>> = {}): Record<LimitKind, MiddlewareHandler> {
  const make = (kind: LimitKind): MiddlewareHandler =>
    rateLimiter({
      windowMs: 60_000,
      limit: limits[kind] ?? DEFAULT_LIMITS[kind],
      standardHeaders: 'draft-7',
      keyGenerator: (c) => `${kind}|${clientAddress(c)}`,
      handler: (c) => c.json({ error: 'rate_limited', message: 'too many requests: try again in a minute' }, 429),
    });
  return { check: make('check'), lookup: make('lookup'), bucket: make('bucket'), submit: make('submit') };
}
