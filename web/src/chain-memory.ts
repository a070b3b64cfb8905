/**
 * What the consumer page's device remembers of each order's chain of records, to notice a later answer that
 * hides a record it saw or is about another order.
 */
import { ORDER_NO, type OrderAccess, type ProofReport } from '../../src/supervise/browser.ts';

/**
 * Per order (by the order number the page shows, folded as below), the ledger reference and the latest record
 * of the chain this device verified, to notice a later answer that hides it or is about another order.
 */
const CHAIN = 'gk-order-no:';
/**
 * Per order (by its ledger reference, read from verified leaves: the server cannot choose it as it can the
 * header text), the latest record this device verified.
 */
const CHAIN_BY_REF = 'gk-order-ref:';
/**
 * Per link (by a SHA-256 of its token, which the page holds and the server cannot vary), the order's ledger
 * reference and latest record: while a link lasts, an answer to it must stay about the same order, whatever
 * number it shows.
 */
const CHAIN_BY_LINK = 'gk-order-link:';

/** An object this page stored as JSON under `key`, read by `pick` (null for none, or a value this page did not write). */
export function stored<T>(key: string, pick: (v: Record<string, unknown>) => T | null): T | null {
  try {
    const v = JSON.parse(localStorage.getItem(key) ?? 'null') as unknown;
    return typeof v === 'object' && v !== null ? pick(v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Where this device keeps an order's chain by what the page shows: the order number alone (the platform's name
 * is server text any look-alike can imitate, and order numbers are long enough not to meet across platforms),
 * folded so that numbers that look alike share a key. Compatibility forms and invisible or ignorable characters
 * go; letters that look like two are written as those two (m as rn, w as vv, d as cl), so that no pair can be
 * read two ways; letters whose capital looks like the small one are made small; and the characters that look
 * alike are made one (I, l, | and 1; O, Q and 0; s and 5; z and 2; B and 8). Two real numbers that fold alike on
 * one device give a warning, never a hidden record.
 */
export function chainKey(data: OrderAccess): string {
  const folded = data.order.platform_order_id
    .normalize('NFKC')
    .replace(/[\p{Cc}\p{Cf}\p{Z}\p{Default_Ignorable_Code_Point}]/gu, '')
    .replace(/m/g, 'rn')
    .replace(/[wW]/g, (w) => (w === 'w' ? 'vv' : 'VV'))
    .replace(/d/g, 'cl')
    .replace(/[COSUVXZ]/g, (ch) => ch.toLowerCase())
    .replace(/[Il|1]/g, 'l')
    .replace(/[oQ]/g, '0')
    .replace(/s/g, '5')
    .replace(/z/g, '2')
    .replace(/B/g, '8');
  return CHAIN + folded;
}

/** What this device remembered of an order's chain, or null. */
const rememberedChain = (key: string): { ref: string; latest: number } | null =>
  stored(key, ({ ref, latest }) => (typeof ref === 'string' && typeof latest === 'number' ? { ref, latest } : null));

/** The latest record this device remembered for an order reference, or null. */
const rememberedRef = (ref: string): number | null =>
  stored(CHAIN_BY_REF + ref, ({ latest }) => (typeof latest === 'number' ? latest : null));

/** Every order's chain this device remembered, by header key and by reference, and this link's, as it stood at one moment. */
export interface Remembered {
  byKey: Map<string, { ref: string; latest: number }>;
  byRef: Map<string, number>;
  /** The link's storage key, and what was remembered under it. */
  link: { key: string; seen: { ref: string; latest: number } | null };
}

/** Where this device keeps what it saw through the link with `token`. */
export async function linkKey(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return CHAIN_BY_LINK + Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reads every remembered chain now (when the request is sent: another tab may store a newer record meanwhile). */
export function rememberedChains(link: string): Remembered {
  const out: Remembered = { byKey: new Map(), byRef: new Map(), link: { key: link, seen: rememberedChain(link) } };
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith(CHAIN)) {
      const v = rememberedChain(key);
      if (v) out.byKey.set(key, v);
    } else if (key?.startsWith(CHAIN_BY_REF)) {
      const ref = key.slice(CHAIN_BY_REF.length);
      const v = rememberedRef(ref);
      if (v !== null) out.byRef.set(ref, v);
    }
  }
  return out;
}

/**
 * Whether an answer hides what this device saw of its order: a record remembered under the link, the order
 * number or the order's reference that the chain lacks, or a link or number remembered for another order. Only
 * a record older than the part of a long chain that was followed is not judged.
 */
export function hidesRemembered(before: Remembered, data: OrderAccess, ref: string | null, chain: ProofReport['chain']): boolean {
  const seen = [before.byKey.get(chainKey(data)), before.link.seen ?? undefined].filter((v) => v !== undefined);
  const byRef = ref === null ? undefined : before.byRef.get(ref);
  if (seen.length === 0 && byRef === undefined) return false;
  if (!chain?.ok) return true;
  const holds = (latest: number): boolean => chain.entries.includes(latest) || (!chain.complete && latest < Math.min(...chain.entries));
  return seen.some((v) => ref !== v.ref || !holds(v.latest)) || (byRef !== undefined && !holds(byRef));
}

/**
 * Remembers the answer's latest record under its order number (unless it is not one), its link and its
 * reference, never lowering a newer one. A full storage only loses the memory: every check has already run.
 */
export function rememberChain(data: OrderAccess, ref: string, latest: number, link: string): void {
  try {
    const keep = (key: string): void => {
      const now = rememberedChain(key);
      if (now === null || (now.ref === ref && now.latest < latest)) localStorage.setItem(key, JSON.stringify({ ref, latest }));
    };
    if (ORDER_NO.test(data.order.platform_order_id)) keep(chainKey(data));
    keep(link);
    const mine = rememberedRef(ref);
    if (mine === null || mine < latest) localStorage.setItem(CHAIN_BY_REF + ref, JSON.stringify({ latest }));
  } catch {
    // QuotaExceededError: nothing more to do here.
  }
}

/** A ledger reference as the ledger writes one (128 bits in hex); anything else is not remembered. */
export const REF = /^[0-9a-f]{32}$/;
