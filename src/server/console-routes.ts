/** What the console reads: who is signed in, parties with their releases, ledger status, and the figures behind its charts. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { casesInReach } from '../cases/index.ts';
import {
  ForbiddenError,
  getParties,
  getParty,
  isAuthority,
  ledgerRowKey,
  NotFoundError,
  PARTY_KINDS,
  reachOf,
  reaches,
  releaseKeys,
  type Custody,
  type Party,
} from '../custody/index.ts';
import { verifyLedger, type VerifyReport } from '../ledger/index.ts';
import { cpcTriage, listInvestigations } from '../trace/index.ts';
import { needs, newApi } from './api.ts';
import type { AuthEnv } from './auth.ts';
import { authErrors } from './schemas.ts';

const json = (description: string) => ({ description, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } });
const asRecord = (v: unknown): Record<string, unknown> => v as Record<string, unknown>;
/** How long a full ledger verification answers for. */
const VERIFY_EVERY_MS = 60_000;
const HANDLER_KINDS = new Set(['carrier', 'outlet', 'station', 'courier']);

/** A node of the carrier hierarchy with its CPC figures. */
interface TreeNode {
  id: string;
  name: string;
  kind: string;
  reports: number;
  expected: number;
  log10P: number;
  escalate: boolean;
  children: TreeNode[];
}

/** CPC over the orders cases are linked to, arranged carrier → outlet → station → courier. */
async function carrierTree(c: Custody, reach: '*' | readonly string[]): Promise<{ reports: number; roots: TreeNode[] }> {
  const rows = await casesInReach(c.store.db.selectFrom('cases').select('order_id'), reach).where('order_id', 'is not', null).execute();
  const orders = rows.map((r) => r.order_id as string);
  if (orders.length === 0) return { reports: 0, roots: [] };
  const cpc = await cpcTriage(c, orders);
  const nodes = new Map<string, TreeNode>();
  for (const s of cpc.suspects)
    if (HANDLER_KINDS.has(s.kind))
      nodes.set(s.party, {
        id: s.party,
        name: s.name,
        kind: s.kind,
        reports: s.reports,
        expected: s.expected,
        log10P: s.log10P,
        escalate: s.escalate,
        children: [],
      });
  const parties = await getParties(c, [...nodes.keys()]);
  const roots: TreeNode[] = [];
  for (const n of nodes.values()) {
    const parent = parties.get(n.id)?.parentId;
    const p = parent ? nodes.get(parent) : undefined;
    if (p) p.children.push(n);
    else roots.push(n);
  }
  return { reports: cpc.reports, roots };
}

/** True when `target` lies in the viewer's platform tree or jurisdiction. */
function inReach(viewer: Party, target: Party): boolean {
  return reaches(viewer, target.tenantId) || (isAuthority(target) && target.id === viewer.id);
}

/**
 * The console's routes: who is signed in (any key), parties and their entries and the leak figures (`trace`),
 * the ledger's status (`ledger`) and case figures (`cases`), each limited to what the caller reaches.
 */
export function consoleApi(custody: Custody): OpenAPIHono<AuthEnv> {
  const a = newApi();
  // A full verification reads every entry: one runs at a time, and its result serves every caller for a minute.
  let last: { at: number; run: Promise<{ report: VerifyReport; at: number }> } | undefined;
  const verification = (): Promise<{ report: VerifyReport; at: number }> => {
    if (!last || Date.now() - last.at > VERIFY_EVERY_MS) {
      const at = Date.now();
      // The same checks as `ledger verify`: the release rows and order references need the keys, which the server
      // holds (synced first, so a key another process rotated in is not taken for a row that does not open).
      const run = custody
        .sync(true)
        .then(() =>
          verifyLedger(custody.store, custody.ledger.firstVerifierKey(), {
            rowKey: ledgerRowKey(custody.keyring),
            releases: releaseKeys(custody),
          }),
        )
        .then((report) => ({ report, at }));
      last = { at, run };
      run.catch(() => {
        if (last?.run === run) last = undefined;
      });
    }
    return last.run;
  };
  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/me',
      summary: 'The party and scopes of the key in use (for signing in to the console)',
      ...needs(custody),
      responses: { 200: json('the principal'), ...authErrors },
    }),
    (c) => {
      const p = c.get('principal');
      return c.json(asRecord({ party: p.party, scopes: p.scopes }), 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/parties',
      summary: 'Parties with how many views each received and how many ledger entries are about each (regulator and platform)',
      ...needs(custody, 'trace'),
      request: { query: z.object({ kind: z.enum(PARTY_KINDS).optional(), limit: z.coerce.number().int().min(1).max(5000).optional() }) },
      responses: { 200: json('parties'), ...authErrors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const reach = reachOf(c.get('principal').party);
      let pq = custody.store.db
        .selectFrom('parties')
        .selectAll()
        .orderBy('kind')
        .orderBy('name')
        .limit(q.limit ?? 500);
      if (q.kind) pq = pq.where('kind', '=', q.kind);
      if (reach !== '*') pq = reach.length === 0 ? pq.where(sql<boolean>`1 = 0`) : pq.where('tenant_id', 'in', reach);
      const parties = await pq.execute();
      const ids = parties.map((p) => p.id);
      const releases = new Map<string, number>();
      const entries = new Map<string, number>();
      if (ids.length > 0) {
        for (const r of await custody.store.db
          .selectFrom('releases')
          .select(['party_id', sql<number>`count(*)`.as('n')])
          .where('party_id', 'in', ids)
          .groupBy('party_id')
          .execute())
          releases.set(r.party_id, r.n);
        for (const r of await custody.store.db
          .selectFrom('ledger')
          .select(['party', sql<number>`count(*)`.as('n')])
          .where('party', 'in', ids)
          .groupBy('party')
          .execute())
          entries.set(r.party, r.n);
      }
      return c.json(
        {
          parties: parties.map((p) => ({
            id: p.id,
            kind: p.kind,
            name: p.name,
            parentId: p.parent_id,
            releases: releases.get(p.id) ?? 0,
            ledgerEntries: entries.get(p.id) ?? 0,
          })),
        },
        200,
      );
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/parties/{id}/entries',
      summary:
        'One party’s latest ledger entries (views released, decrypts, exports, contacts), each with its inclusion proof: supervising each link',
      ...needs(custody, 'trace'),
      request: {
        params: z.object({ id: z.string().max(40) }),
        query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
      },
      responses: { 200: json('entries, newest first, and the checkpoint they are proven against'), ...authErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { limit } = c.req.valid('query');
      const target = await getParty(custody, id);
      if (!target || !inReach(c.get('principal').party, target)) throw new NotFoundError('no such party');
      const newest = await custody.store.db
        .selectFrom('ledger')
        .select('idx')
        .where('party', '=', id)
        .orderBy('idx', 'desc')
        .limit(limit)
        .execute();
      const from = newest.length > 0 ? (newest[newest.length - 1] as { idx: number }).idx : 0;
      const r = await custody.ledger.entriesOf(id, from, limit);
      const entries = r.entries
        .map((e) => ({ index: e.index, entry: JSON.parse(Buffer.from(e.leaf, 'base64').toString('utf8')) as unknown, proof: e.proof }))
        .reverse();
      return c.json({ checkpoint: r.checkpoint, entries }, 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ledger/status',
      summary: 'Ledger size, latest checkpoint, and a full verification (every leaf, root and checkpoint recomputed)',
      ...needs(custody, 'ledger'),
      responses: { 200: json('status'), ...authErrors },
    }),
    async (c) => {
      const p = c.get('principal').party;
      if (p.kind !== 'platform' && !isAuthority(p)) throw new ForbiddenError('the full verification is for platforms and authorities');
      const checkpoint = await custody.ledger.checkpoint();
      const { report: v, at } = await verification();
      return c.json(
        {
          size: custody.ledger.size,
          checkpoint,
          verify: { ok: v.ok, checkpoints: v.checkpoints, problems: v.problems.slice(0, 10), at: new Date(at).toISOString() },
        },
        200,
      );
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/stats/cases',
      summary: 'Cases and losses per day (Beijing time)',
      ...needs(custody, 'cases'),
      responses: { 200: json('per-day counts'), ...authErrors },
    }),
    async (c) => {
      const rows = await casesInReach(
        custody.store.db.selectFrom('cases').select(['created_at', 'loss_cents']),
        reachOf(c.get('principal').party),
      ).execute();
      const days = new Map<string, { day: string; cases: number; lossYuan: number }>();
      for (const r of rows) {
        const day = new Date(Date.parse(r.created_at) + 8 * 3_600_000).toISOString().slice(0, 10);
        const d = days.get(day) ?? { day, cases: 0, lossYuan: 0 };
        d.cases += 1;
        d.lossYuan += r.loss_cents / 100;
        days.set(day, d);
      }
      return c.json({ days: [...days.values()].sort((x, y) => x.day.localeCompare(y.day)) }, 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/stats/leaks',
      summary: 'Investigations run, and the parties they named by kind and channel',
      ...needs(custody, 'trace'),
      responses: { 200: json('investigations and counts by party kind'), ...authErrors },
    }),
    async (c) => {
      const me = c.get('principal').party;
      const all = await listInvestigations(custody, 500);
      const by = await getParties(
        custody,
        all.map((i) => i.byParty),
      );
      const list = all.filter((i) => {
        const p = by.get(i.byParty);
        return p !== undefined && inReach(me, p);
      });
      const byKind: Record<string, number> = {};
      for (const inv of list) for (const acc of inv.accused) byKind[acc.kind] = (byKind[acc.kind] ?? 0) + 1;
      return c.json({ byKind, investigations: list.slice(0, 50) }, 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/stats/carrier-suspects',
      summary: 'CPC triage of the orders cases are linked to, down the carrier hierarchy (ranks, never accuses)',
      ...needs(custody, 'trace'),
      responses: { 200: json('the tree'), ...authErrors },
    }),
    async (c) => c.json(asRecord(await carrierTree(custody, reachOf(c.get('principal').party))), 200),
  );
  return a;
}
