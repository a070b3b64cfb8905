/**
 * The record of investigations run: outcomes only (who, which channel, what bound), for the console. Each
 * row is written with an `outcome` ledger entry committing to it, so `ledger verify` names a row rewritten
 * to show an innocent party as accused.
 */
import { randomBytes } from 'node:crypto';
import type { Custody } from '../custody/index.ts';
import { outcomeHash } from '../ledger/index.ts';
import type { Accusation } from './investigate.ts';

/** A past investigation as the console lists it. */
export interface InvestigationSummary {
  id: string;
  kind: string;
  byParty: string;
  records: number;
  accused: Array<Pick<Accusation, 'party' | 'kind' | 'name' | 'channel' | 'log10Bound'>>;
  suspects: number;
  createdAt: string;
}

/** Records an investigation's outcome, with its ledger entry. */
export async function recordInvestigation(
  c: Custody,
  kind: string,
  byParty: string,
  outcome: { records: number; accused: readonly Accusation[]; suspects: readonly unknown[] },
): Promise<string> {
  const id = `inv_${randomBytes(6).toString('hex')}`;
  const accused = outcome.accused.map((a) => ({
    party: a.party,
    kind: a.kind,
    name: a.name,
    channel: a.channel,
    log10Bound: a.log10Bound,
  }));
  const row = {
    id,
    kind,
    by_party: byParty,
    records: outcome.records,
    accused: JSON.stringify(accused),
    suspects: outcome.suspects.length,
    created_at: new Date().toISOString(),
  };
  await c.ledger.write(async (trx, log) => {
    await trx.insertInto('investigations').values(row).execute();
    log.add({ t: 'outcome', at: row.created_at, party: byParty, investigation: id, hash: outcomeHash(row) });
  });
  return id;
}

/** Investigations, newest first. */
export async function listInvestigations(c: Custody, limit = 100): Promise<InvestigationSummary[]> {
  const rows = await c.store.db.selectFrom('investigations').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    byParty: r.by_party,
    records: r.records,
    accused: JSON.parse(r.accused) as InvestigationSummary['accused'],
    suspects: r.suspects,
    createdAt: r.created_at,
  }));
}
