/**
 * Tenancy: which platform's tree each party belongs to, what an authority may see, and who manages whom.
 * Every authorization decision about a target (party, order, case, channel, key, ledger entry) goes through
 * these few functions; docs/security.md states the model.
 */
import type { Custody } from './custody.ts';
import type { Party, PartyKind } from './party.ts';

/** Kinds that are public authorities: they belong to no platform's tree and see within a jurisdiction. */
export const AUTHORITY_KINDS: ReadonlySet<PartyKind> = new Set(['regulator', 'police']);

/** The operator's own tools (CLI, demo, simulator), named for the ledger: they act outside any tenant. */
export interface Operator {
  operator: string;
}

/** The platforms a caller may see: all, or these. */
export type Reach = '*' | readonly string[];

/** True for an authority party. */
export function isAuthority(p: Party): boolean {
  return AUTHORITY_KINDS.has(p.kind);
}

/** The platforms whose data a party may see: `'*'` for all, else a list (empty for an orphan). */
export function reachOf(p: Party): Reach {
  if (isAuthority(p)) return p.jurisdiction?.includes('*') ? '*' : (p.jurisdiction ?? []);
  return p.tenantId === null ? [] : [p.tenantId];
}

/** True when `reach` takes in the given platform (`null`: data tied to no platform, within an all-platform reach only). */
export function withinReach(reach: Reach, platformId: string | null): boolean {
  return reach === '*' || (platformId !== null && reach.includes(platformId));
}

/** True when the party may see data of the given platform (`null`: data tied to no platform, for all-reach authorities only). */
export function reaches(p: Party, platformId: string | null): boolean {
  return withinReach(reachOf(p), platformId);
}

/**
 * True when `actor` manages `target`: the same party, a party below it in the hierarchy, or, for a platform,
 * any party of its tree (authorities it created included). Authorities manage only themselves.
 */
export async function manages(c: Custody, actor: Party, target: Party): Promise<boolean> {
  if (actor.id === target.id) return true;
  if (isAuthority(actor)) return false;
  if (actor.kind === 'platform') return target.tenantId === actor.id;
  if (target.tenantId !== actor.tenantId) return false;
  let parentId = target.parentId;
  for (let depth = 0; parentId !== null && depth < 8; depth++) {
    if (parentId === actor.id) return true;
    const row = await c.store.db.selectFrom('parties').select('parent_id').where('id', '=', parentId).executeTakeFirst();
    parentId = row?.parent_id ?? null;
  }
  return false;
}

/** True when every order id exists and belongs to a platform the party reaches (one outside reads as absent). */
export async function ordersInReach(c: Custody, p: Party, orderIds: readonly string[]): Promise<boolean> {
  const unique = [...new Set(orderIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await c.store.db
      .selectFrom('orders')
      .select('platform_id')
      .where('id', 'in', unique.slice(i, i + 500))
      .execute();
    if (rows.length !== Math.min(500, unique.length - i) || rows.some((r) => !reaches(p, r.platform_id))) return false;
  }
  return true;
}
