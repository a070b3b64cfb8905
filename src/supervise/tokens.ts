/**
 * Consumers' access tokens: each opens one order's "who has seen my order" and nothing else, is random (256
 * bits), is stored only as its SHA-256, and expires. The platform of the order issues them (or the operator).
 */
import { createHash, randomBytes } from 'node:crypto';
import { InputError, NotFoundError, UnavailableError, type Custody, type Operator, type Party } from '../custody/index.ts';

/** Token lifetime in minutes: the default, and the bounds an issuer may choose within. */
export const TOKEN_MINUTES = { default: 24 * 60, min: 5, max: 7 * 24 * 60 } as const;

/** A token as issued: `gko_` and 43 base64url characters. */
export const TOKEN_RE = /^gko_[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

/** What an issuer gets back: the token (shown once), the order it opens and when it stops working. */
export interface IssuedToken {
  token: string;
  order_id: string;
  expires_at: string;
}

/**
 * Issues a token for one order, named by internal id or platform order number: a platform for its own orders,
 * the operator for any. An order outside the platform reads as absent.
 */
export async function issueAccessToken(
  c: Custody,
  by: Party | Operator,
  order: string,
  minutes: number = TOKEN_MINUTES.default,
): Promise<IssuedToken> {
  if (!Number.isInteger(minutes) || minutes < TOKEN_MINUTES.min || minutes > TOKEN_MINUTES.max)
    throw new InputError([
      { field: 'ttl_minutes', message: `must be a whole number of minutes from ${TOKEN_MINUTES.min} to ${TOKEN_MINUTES.max}` },
    ]);
  const platform = 'operator' in by ? null : by;
  // Only a platform issues for its orders; any other caller (and any other platform) finds nothing.
  if (platform !== null && platform.kind !== 'platform') throw new NotFoundError('no such order among this platform’s orders');
  let q = c.store.db
    .selectFrom('orders')
    .select(['id', 'platform_id'])
    .where((eb) => eb.or([eb('id', '=', order), eb('platform_order_id', '=', order)]));
  if (platform !== null) q = q.where('platform_id', '=', platform.id);
  const rows = await q.limit(2).execute();
  const row = rows.find((r) => r.id === order) ?? (rows.length === 1 ? rows[0] : undefined);
  if (!row) {
    // Order numbers are unique per platform only: the operator names another platform's twin by internal id.
    if (rows.length > 1) throw new InputError([{ field: 'order', message: 'names orders of several platforms: give the internal id' }]);
    throw new NotFoundError('no such order among this platform’s orders');
  }
  const token = `gko_${randomBytes(32).toString('base64url')}`;
  const now = new Date();
  const expires = new Date(now.getTime() + minutes * 60_000).toISOString();
  // Expired tokens open nothing; the order's are dropped as it gets a new one, so they do not pile up.
  await c.store.db.deleteFrom('order_access_tokens').where('order_id', '=', row.id).where('expires_at', '<=', now.toISOString()).execute();
  await c.store.db
    .insertInto('order_access_tokens')
    .values({
      hash: hashOf(token),
      order_id: row.id,
      issued_by: platform === null ? (by as Operator).operator : platform.id,
      created_at: now.toISOString(),
      expires_at: expires,
    })
    .execute();
  return { token, order_id: row.id, expires_at: expires };
}

/** The order a token opens now and who issued the token, or null for a malformed, unknown or expired token (all alike). */
export async function openToken(c: Custody, token: string, now = new Date()): Promise<{ order: string; issuedBy: string } | null> {
  if (!TOKEN_RE.test(token)) return null;
  const row = await c.store.db
    .selectFrom('order_access_tokens')
    .select(['order_id', 'issued_by'])
    .where('hash', '=', hashOf(token))
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row ? { order: row.order_id, issuedBy: row.issued_by } : null;
}

/** The order a token opens now, or null for a malformed, unknown or expired token (all alike). */
export async function orderForToken(c: Custody, token: string, now = new Date()): Promise<string | null> {
  return (await openToken(c, token, now))?.order ?? null;
}

/** The link a consumer opens: the token in the fragment, which browsers never send to a server or in a Referer. */
export function accessLink(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/#/my-order/${token}`;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * Where consumer links point: GATEKEEPER_PUBLIC_URL (read when the routes are built; an http(s) address
 * without query or fragment). Without it, only a request to this machine (development) names the origin:
 * elsewhere the Host header, which any client sets, would choose where a consumer's token is sent.
 */
export function publicBaseFrom(configured: string | undefined): (requestUrl: string) => string {
  if (configured === undefined || configured === '')
    return (url) => {
      const u = new URL(url);
      if (!LOOPBACK.test(u.hostname))
        throw new UnavailableError('consumer links need the public address: set GATEKEEPER_PUBLIC_URL (https://…) and restart');
      return u.origin;
    };
  let u: URL;
  try {
    u = new URL(configured);
  } catch {
    throw new Error('GATEKEEPER_PUBLIC_URL must be an absolute http(s) address, such as https://gatekeeper.example.com');
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.search || u.hash || u.username || u.password)
    throw new Error('GATEKEEPER_PUBLIC_URL must be an http(s) address without credentials, query or fragment');
  const base = `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  return () => base;
}
