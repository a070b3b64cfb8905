/** Per-client limits on the anonymous endpoints (hono-rate-limiter, in memory: one process). */
import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { Principal } from '../custody/index.ts';
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
  /** PDF reports: each is drawn on the one PDF thread, whose queue is bounded as well. */
  pdf: 30,
  /** Investigations per organisation (all its keys together): each spends a share of the false-accusation budget. */
  trace: 60,
  /** Daily manifests per party: each writes an entry per order in it. */
  export: 30,
  /** Accountability reads per organisation (leads, a party, its PDF): an analysis that misses the cache holds the main thread. */
  analysis: 20,
} as const;
export type LimitKind = keyof typeof DEFAULT_LIMITS;

/** Which proxies may speak for the client: a count of hops in front of the server, or trusted addresses and ranges. */
export type TrustProxy = { hops: number } | { list: BlockList };

/**
 * Reads GATEKEEPER_TRUST_PROXY: unset or 0, no proxy (the socket address is the client); a number n, n proxies
 * in front; otherwise comma-separated addresses or CIDR ranges of the proxies (e.g. `127.0.0.1,10.0.0.0/8`).
 */
export function trustProxyFrom(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim();
  if (v === '' || v === '0') return { hops: 0 };
  if (/^\d{1,2}$/.test(v)) return { hops: Number(v) };
  const list = new BlockList();
  for (const part of v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const [addr, bits] = part.split('/') as [string, string | undefined];
    const type = isIP(addr);
    if (type === 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits)))
      throw new Error(`GATEKEEPER_TRUST_PROXY: "${part}" is not an address, a range or a hop count`);
    const family = type === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, family);
    else list.addSubnet(addr, Number(bits), family);
  }
  return { list };
}

const trusts = (t: TrustProxy, addr: string): boolean => {
  if ('hops' in t) return false;
  const type = isIP(addr);
  return type !== 0 && t.list.check(addr, type === 6 ? 'ipv6' : 'ipv4');
};

/**
 * The client's address as Express's `trust proxy` finds it: the socket address and the X-Forwarded-For hops,
 * read from the right, skipping the trusted proxies; the first untrusted one is the client. A client can
 * prepend anything to X-Forwarded-For, so only hops added by trusted proxies count.
 */
export function clientAddressOf(socket: string, forwardedFor: string | undefined, trust: TrustProxy): string {
  const hops = (forwardedFor ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const chain = [...hops, socket];
  if ('hops' in trust) return validHop(chain[Math.max(0, chain.length - 1 - trust.hops)], socket);
  let i = chain.length - 1;
  while (i > 0 && trusts(trust, chain[i] as string)) i--;
  return validHop(chain[i], socket);
}

/** A hop that is not an address (a proxy passed on whatever the client wrote) counts as the socket's peer. */
const validHop = (hop: string | undefined, socket: string): string => (hop !== undefined && isIP(hop) !== 0 ? hop : socket);

/**
 * Who a client is for limits and anonymous reports: an IPv4 address as it is, an IPv6 address by its /56
 * (what an ISP commonly delegates to one subscriber, and express-rate-limit's default), an IPv4-mapped IPv6
 * address as its IPv4.
 */
export function clientKeyOf(addr: string): string {
  const a = addr.replace(/%.*$/, '');
  if (isIP(a) !== 6) return addr;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(a);
  if (mapped) return mapped[1] as string;
  // The same mapping written in hex groups (::ffff:808:801 is 8.8.8.1).
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(a);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1] as string, 16), parseInt(hex[2] as string, 16)];
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  }
  const [head, tail] = a.split('::') as [string, string | undefined];
  const groups = (part: string | undefined): string[] => (part ? part.split(':') : []);
  // A dotted IPv4 tail fills the last two groups.
  const width = (g: string[]): number => g.reduce((n, x) => n + (x.includes('.') ? 2 : 1), 0);
  const h = groups(head);
  const t = groups(tail);
  const full = tail === undefined ? h : [...h, ...Array<string>(8 - width(h) - width(t)).fill('0'), ...t];
  const [a0, a1, a2, a3] = full.slice(0, 4).map((g) => parseInt(g, 16)) as [number, number, number, number];
  return `${[a0, a1, a2, a3 & 0xff00].map((g) => g.toString(16)).join(':')}::/56`;
}

/** The client's address for rate limits (see `clientAddressOf`); in-process requests (tests) share one key. */
export function clientAddress(c: Context, trust: TrustProxy): string {
  let socket = 'local';
  try {
    socket = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // In-process requests have no socket.
  }
  return clientKeyOf(clientAddressOf(socket, c.req.header('x-forwarded-for'), trust));
}

/** One limiter per anonymous kind of endpoint, and how they tell clients apart. */
export type Limiters = Record<LimitKind, MiddlewareHandler> & { clientOf: (c: Context) => string };

/**
 * Who a signed-in limit counts: for investigations the organisation (keys are free to mint, so a per-key limit
 * would be none), for exports the party; before authentication, the client.
 */
function signedInKey(kind: LimitKind, c: Context): string | undefined {
  if (kind !== 'trace' && kind !== 'export' && kind !== 'analysis') return undefined;
  const p = c.get('principal') as Principal | undefined;
  if (!p) return undefined;
  return kind === 'export' ? `party:${p.party.id}` : `org:${p.party.tenantId ?? p.party.id}`;
}

/** One limiter per kind, keyed by client address (as `trust` lets it be read) and kind; signed-in kinds by organisation or party. */
export function limiters(limits: Partial<Record<LimitKind, number>> = {}, trust: TrustProxy = { hops: 0 }): Limiters {
  const clientOf = (c: Context): string => clientAddress(c, trust);
  const make = (kind: LimitKind): MiddlewareHandler =>
    rateLimiter({
      windowMs: 60_000,
      limit: limits[kind] ?? DEFAULT_LIMITS[kind],
      standardHeaders: 'draft-7',
      keyGenerator: (c) => `${kind}|${signedInKey(kind, c) ?? clientOf(c)}`,
      handler: (c) => c.json({ error: 'rate_limited', message: 'too many requests: try again in a minute' }, 429),
    });
  return {
    check: make('check'),
    lookup: make('lookup'),
    bucket: make('bucket'),
    submit: make('submit'),
    pdf: make('pdf'),
    trace: make('trace'),
    export: make('export'),
    analysis: make('analysis'),
    clientOf,
  };
}
