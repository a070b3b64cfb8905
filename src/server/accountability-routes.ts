/**
 * Per-link accountability over HTTP: the ranked leads of a platform's tree or an authority's jurisdiction, one
 * party's taking over time, and its report as a PDF in Chinese. Scope `trace` (investigators'); a party outside
 * the caller's reach reads as not found. Every answer carries the notice that leads are not accusations.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { InputError, NotFoundError, UnavailableError, type Custody, type Party } from '../custody/index.ts';
import { must } from '../shared/at.ts';
import { SerialQueue } from '../shared/serial.ts';
import {
  accountabilityReach,
  addHook,
  hookSchema,
  LEADS_NOTICE,
  listAlerts,
  listHooks,
  revokeHook,
  partyReportPdf,
  keyUses,
  readAccountability,
  type Profile,
  type StoreAccountability,
} from '../supervise/index.ts';
import { needs, newApi } from './api.ts';
import type { AuthEnv } from './auth.ts';
import type { Limiters } from './rate-limit.ts';
import { authErrors, badInput, jsonBody, notFound } from './schemas.ts';

const DAY = 86_400_000;
/** The longest window one request may analyse. */
const MAX_DAYS = 92;
/** How long an analysis answers again for the same reach and window. */
const CACHE_MS = 60_000;

const windowShape = {
  since: z.iso.datetime({ offset: true }).optional().openapi({ description: 'start (default: 7 days before `until`)' }),
  until: z.iso.datetime({ offset: true }).optional().openapi({ description: 'end, exclusive (default: now)' }),
};

const reason = z.object({ code: z.string(), zh: z.string(), en: z.string(), log10P: z.number() });
const keyUse = z
  .object({
    id: z.string(),
    entries: z.number(),
    minted_by: z.string().nullable(),
    minted_by_name: z.string().nullable(),
    exchanged: z.boolean(),
    seen_by: z.array(z.object({ id: z.string(), name: z.string() })),
    complete: z.boolean(),
    zh: z.string(),
    en: z.string(),
  })
  .openapi('AccountabilityKeyUse', {
    description:
      'an API key the party’s entries and refused tries name, who minted it, and everyone else who held a key in its line (any of them could have taken what it names)',
  });
const anomaly = z
  .object({
    rank: z.number(),
    party: z.object({ id: z.string(), name: z.string(), kind: z.string(), org: z.string() }),
    score: z.number(),
    reasons: z.array(reason),
    keys: z.array(keyUse),
  })
  .openapi('AccountabilityLead');
const notice = z.object({ zh: z.string(), en: z.string() });
const profileSchema = z
  .object({
    party: z.object({ id: z.string(), name: z.string(), kind: z.string(), org: z.string() }),
    need: z.number(),
    views: z.number(),
    unassigned_views: z.number(),
    refused_attempts: z.number(),
    wrong_ticket_tries: z.number(),
    decrypts: z.number(),
    decrypts_without_ticket: z.number(),
    exports: z.number(),
    exported_orders: z.number(),
    odd_hour_exports: z.number(),
    fields: z.record(z.string(), z.number()),
    days: z.array(z.object({ day: z.string(), views: z.number(), decrypts: z.number(), exports: z.number(), need: z.number() })),
    hours: z.array(z.number()),
    peers: z.object({ parties: z.number(), records_per_order: z.number() }),
    keys: z.array(keyUse),
  })
  .openapi('AccountabilityProfile');

/** New (uncached) analyses an organisation may start a minute. */
const FRESH_PER_MINUTE = 3;

/** The window asked for: `since` before `until`, at most MAX_DAYS apart; by default the seven days to now. */
function windowOf(q: { since?: string | undefined; until?: string | undefined }): { since: string; until: string } {
  // Windows are whole minutes (the start rounded down, the end up, by default the next minute), so that the
  // console's requests share an analysis and a key cannot miss the cache by moving a bound a millisecond.
  const minute = (t: number, round: (x: number) => number): Date => new Date(round(t / 60_000) * 60_000);
  const until = minute(q.until === undefined ? Date.now() : Date.parse(q.until), Math.ceil);
  const since = q.since === undefined ? new Date(until.getTime() - 7 * DAY) : minute(Date.parse(q.since), Math.floor);
  if (since >= until) throw new InputError([{ field: 'since', message: 'must be before until' }]);
  if (until.getTime() - since.getTime() > MAX_DAYS * DAY)
    throw new InputError([{ field: 'since', message: `the window may span at most ${MAX_DAYS} days` }]);
  return { since: since.toISOString(), until: until.toISOString() };
}

const partyOf = (p: Profile) => ({ id: p.party, name: p.name, kind: p.kind, org: p.org });

/** A party's profile as the API shows it, with its peers' rate of records per assigned order. */
function profileView(a: StoreAccountability, p: Profile) {
  const peers = [...a.profiles.values()].filter((x) => x.kind === p.kind && x.party !== p.party);
  const need = peers.reduce((s, x) => s + x.need, 0);
  return {
    party: partyOf(p),
    need: p.need,
    views: p.views,
    unassigned_views: p.unassignedViews,
    refused_attempts: p.refused,
    wrong_ticket_tries: p.wrongTickets,
    decrypts: p.decrypts,
    decrypts_without_ticket: p.decryptsWithoutTicket,
    exports: p.exports,
    exported_orders: p.exportedOrders,
    odd_hour_exports: p.oddHourExports,
    fields: p.fields,
    days: p.days,
    hours: p.hours,
    peers: {
      parties: peers.length,
      records_per_order: need > 0 ? Math.round((peers.reduce((s, x) => s + x.records, 0) / need) * 1000) / 1000 : 0,
    },
    keys: keyUses(p, a.mints),
  };
}

/** The accountability routes (scope `trace`). */
export function accountabilityApi(custody: Custody, limit: Limiters): OpenAPIHono<AuthEnv> {
  const a = newApi();
  const idParam = z.object({ id: z.string().max(64) });
  // The console asks for the leads, then a party, then its PDF: one analysis (seconds on a large store) serves
  // a reach and window for a minute.
  const recent = new Map<string, { at: number; result: Promise<StoreAccountability> }>();
  const analyses = new SerialQueue(2, () => new UnavailableError('other analyses are running: try again in a minute'));
  /** When each organisation's recent analyses that missed the cache began. */
  const fresh = new Map<string, number[]>();
  const read = (me: Party, q: { since?: string | undefined; until?: string | undefined }): Promise<StoreAccountability> => {
    const window = windowOf(q);
    const key = JSON.stringify([accountabilityReach(me), window.since, window.until]);
    const now = Date.now();
    for (const [k, v] of recent) if (now - v.at > CACHE_MS) recent.delete(k);
    const hit = recent.get(key);
    if (hit) return hit.result;
    // A new analysis keeps the one analysis thread busy for seconds on a large store: an organisation gets a
    // few a minute, its cached answers as many as the route's limit allows.
    const org = me.tenantId ?? me.id;
    const misses = (fresh.get(org) ?? []).filter((t) => now - t < 60_000);
    if (misses.length >= FRESH_PER_MINUTE)
      return Promise.reject(new UnavailableError('this organisation asked for several new analyses this minute: try again in a minute'));
    fresh.set(org, [...misses, now]);
    // One analysis at a time, two waiting: each takes the analysis thread for up to seconds, so a key asking
    // for many windows at once must not hold up everyone else's (beyond that, 503).
    const result = analyses.run(() => readAccountability(custody, me, window));
    result.catch(() => recent.delete(key));
    if (recent.size < 16) recent.set(key, { at: now, result });
    return result;
  };
  // Every read that may analyse is limited per organisation, after the key is checked.
  const { security, middleware } = needs(custody, 'trace');
  const needsAnalysis = { security, middleware: [...middleware, limit.analysis] };
  const one = (acc: StoreAccountability, id: string) => {
    const p = acc.profiles.get(id);
    if (p === undefined) throw new NotFoundError('no such party');
    const rank = acc.anomalies.findIndex((x) => x.party === id);
    return { p, rank: rank < 0 ? null : rank + 1, lead: rank < 0 ? null : (acc.anomalies[rank] ?? null) };
  };

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/supervision/anomalies',
      summary:
        "Leads, not accusations: parties of the caller's reach (a platform's tree, an authority's jurisdiction) taking more than their job needs over a window, ranked, with reasons in Chinese and English",
      ...needsAnalysis,
      request: { query: z.object({ ...windowShape, limit: z.coerce.number().int().min(1).max(1000).default(100) }) },
      responses: {
        200: {
          description: 'the ranked leads',
          content: {
            'application/json': {
              schema: z.object({ since: z.string(), until: z.string(), parties: z.number(), notice, anomalies: z.array(anomaly) }),
            },
          },
        },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const acc = await read(c.get('principal').party, q);
      return c.json(
        {
          since: acc.since,
          until: acc.until,
          parties: acc.profiles.size,
          notice: LEADS_NOTICE,
          anomalies: acc.anomalies.slice(0, q.limit).map((x, i) => ({
            rank: i + 1,
            party: { id: x.party, name: x.name, kind: x.kind, org: x.org },
            score: x.score,
            reasons: x.reasons,
            keys: keyUses(must(acc.profiles.get(x.party), 'a lead’s profile'), acc.mints),
          })),
        },
        200,
      );
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/supervision/parties/{id}',
      summary:
        "One party's views, fields, decrypts and exports over a window, by Beijing day and hour, against its assigned orders and peers, with its lead if any",
      ...needsAnalysis,
      request: { params: idParam, query: z.object(windowShape) },
      responses: {
        200: {
          description: 'the profile',
          content: {
            'application/json': {
              schema: z.object({
                since: z.string(),
                until: z.string(),
                notice,
                profile: profileSchema,
                lead: anomaly.nullable(),
              }),
            },
          },
        },
        ...badInput,
        ...authErrors,
        ...notFound,
      },
    }),
    async (c) => {
      const acc = await read(c.get('principal').party, c.req.valid('query'));
      const { p, rank, lead } = one(acc, c.req.valid('param').id);
      return c.json(
        {
          since: acc.since,
          until: acc.until,
          notice: LEADS_NOTICE,
          profile: profileView(acc, p),
          lead:
            lead && rank !== null
              ? { rank, party: partyOf(p), score: lead.score, reasons: lead.reasons, keys: keyUses(p, acc.mints) }
              : null,
        },
        200,
      );
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/supervision/parties/{id}/report.pdf',
      summary:
        "One party's accountability report in Chinese (PDF): its taking over the window, by day and hour, and its leads, which are not accusations",
      security,
      middleware: [...needsAnalysis.middleware, limit.pdf],
      request: { params: idParam, query: z.object(windowShape) },
      responses: {
        200: { description: 'the PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } },
        ...badInput,
        ...authErrors,
        ...notFound,
      },
    }),
    async (c) => {
      const acc = await read(c.get('principal').party, c.req.valid('query'));
      const { p, rank, lead } = one(acc, c.req.valid('param').id);
      const pdf = await partyReportPdf(p, lead, {
        since: acc.since,
        until: acc.until,
        rank,
        leads: acc.anomalies.length,
        keys: keyUses(p, acc.mints),
      });
      return c.body(new Uint8Array(pdf), 200, {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="accountability-${p.party}.pdf"`,
      });
    },
  );
  const hook = z.object({ id: z.string(), url: z.string(), threshold: z.number(), created_at: z.string() }).openapi('AlertWebhook');
  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/supervision/webhooks',
      summary:
        'Register a webhook for accountability alerts in the caller’s reach: leads at or above `threshold` and consumers’ flags, each sent once, signed (HMAC-SHA256), retried',
      ...needs(custody, 'trace'),
      request: jsonBody(hookSchema),
      responses: {
        201: {
          description: 'the webhook and its signing secret, shown only here',
          content: { 'application/json': { schema: hook.extend({ secret: z.string() }) } },
        },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(await addHook(custody, c.get('principal').party, c.req.valid('json')), 201);
    },
  );
  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/supervision/webhooks',
      summary: 'The caller’s active alert webhooks (never their secrets)',
      ...needs(custody, 'trace'),
      responses: {
        200: { description: 'the webhooks', content: { 'application/json': { schema: z.object({ webhooks: z.array(hook) }) } } },
        ...authErrors,
      },
    }),
    async (c) => c.json({ webhooks: await listHooks(custody, c.get('principal').party) }, 200),
  );
  a.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/supervision/webhooks/{id}',
      summary: 'Revoke one of the caller’s alert webhooks; its pending alerts are no longer sent',
      ...needs(custody, 'trace'),
      request: { params: z.object({ id: z.string().max(64) }) },
      responses: { 204: { description: 'revoked' }, ...authErrors, ...notFound },
    }),
    async (c) => {
      await revokeHook(custody, c.get('principal').party, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/supervision/alerts',
      summary: 'The caller’s alert feed, newest first: leads that crossed a webhook’s threshold and consumers’ flags, with delivery status',
      ...needs(custody, 'trace'),
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }) },
      responses: {
        200: {
          description: 'the alerts',
          content: {
            'application/json': {
              schema: z.object({
                notice,
                alerts: z.array(
                  z.object({
                    id: z.string(),
                    kind: z.string(),
                    payload: z.unknown(),
                    created_at: z.string(),
                    attempts: z.number(),
                    delivered_at: z.string().nullable(),
                    last_status: z.number().nullable(),
                  }),
                ),
              }),
            },
          },
        },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) =>
      c.json({ notice: LEADS_NOTICE, alerts: await listAlerts(custody, c.get('principal').party, c.req.valid('query').limit) }, 200),
  );
  return a;
}
