/** Trace over HTTP: investigate a leaked dump (regulator and platform keys only). */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { ForbiddenError, type Custody } from '../custody/index.ts';
import {
  canaryTests,
  cpcTriage,
  evidencePdf,
  investigateDump,
  investigateReport,
  plantCanaries,
  plantSchema,
  recordCanaryHit,
  recordInvestigation,
  testCanaryRegistry,
} from '../trace/index.ts';
import { requireScope, type AuthEnv } from './auth.ts';
import { authErrors, badInput, jsonBody } from './schemas.ts';

/** A dump may hold up to this many characters (about 20,000 records). */
const MAX_DUMP = 4_000_000;

const accusation = z.object({
  party: z.string(),
  kind: z.string(),
  name: z.string(),
  channel: z.enum(['L1', 'L2', 'L3']),
  log10Bound: z.number().openapi({ description: 'log10 of the bound on this being an innocent party' }),
  log10Threshold: z.number().openapi({ description: 'log10 of the threshold of the test that named it' }),
  evidence: z.record(z.string(), z.union([z.string(), z.number()])),
  proofs: z.array(z.object({ order: z.string(), index: z.number(), size: z.number(), leaf: z.string(), proof: z.array(z.string()) })),
});
const investigation = z
  .object({
    records: z.number(),
    orders: z.number().openapi({ description: 'distinct orders the mapped records name (repeats count once)' }),
    mapped: z.object({ alias: z.number(), address: z.number(), time: z.number() }),
    investigation: z.number().openapi({ description: 'this investigation’s number in the deployment (kept by the server)' }),
    epsilon: z.number().openapi({ description: 'this investigation’s share of the deployment’s false-accusation budget' }),
    candidates: z.number(),
    log10Threshold: z.number(),
    thresholds: z.object({ alias: z.number(), virtualNumber: z.number(), l2: z.number() }),
    accused: z.array(accusation),
    suspects: z.array(
      z.object({
        party: z.string(),
        kind: z.string(),
        name: z.string(),
        channel: z.enum(['L1', 'L2']),
        log10Bound: z.number(),
        score: z.number().optional(),
        positions: z.number().optional(),
        records: z.number().optional(),
      }),
    ),
    ledger: z.object({
      checked: z.number(),
      mismatches: z.array(z.object({ index: z.number(), order: z.string(), party: z.string(), problem: z.string() })),
    }),
  })
  .openapi('DumpInvestigation');

const orderRef = z.string().regex(/^o_[0-9a-f]{28}$/, 'must be an order id');
const result = z.record(z.string(), z.unknown()).openapi('TraceResult');
const ok = {
  200: { description: 'the result', content: { 'application/json': { schema: result } } },
  ...badInput,
  ...authErrors,
} as const;

/** Adds the trace routes. */
export function addTraceRoutes(app: OpenAPIHono, custody: Custody): void {
  const a = app as unknown as OpenAPIHono<AuthEnv>;
  a.use('/api/v1/trace/*', requireScope(custody, 'trace'));
  const dumpLimit = bodyLimit({ maxSize: MAX_DUMP * 4, onError: (c) => c.json({ error: 'too_large' }, 413) });
  a.use('/api/v1/trace/dump', dumpLimit);
  a.use('/api/v1/trace/dump-report', dumpLimit);
  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/trace/dump',
      summary: 'Investigate a leaked dump (CSV with a header, JSON lines or text): who leaked, through which channel, with what bound',
      security: [{ bearer: [] }],
      request: jsonBody(z.strictObject({ dump: z.string().min(1).max(MAX_DUMP) })),
      responses: {
        200: { description: 'accused and suspects', content: { 'application/json': { schema: investigation } } },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const inv = await investigateDump(custody, b.dump);
      await recordInvestigation(custody, 'dump', c.get('principal').party.id, inv);
      return c.json(inv, 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/trace/dump-report',
      summary: 'The same investigation as a PDF evidence report in Chinese',
      security: [{ bearer: [] }],
      request: jsonBody(z.strictObject({ dump: z.string().min(1).max(MAX_DUMP), source: z.string().max(200).optional() })),
      responses: {
        200: { description: 'the report', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const inv = await investigateDump(custody, b.dump);
      await recordInvestigation(custody, 'dump', c.get('principal').party.id, inv);
      const pdf = await evidencePdf(inv, { ...(b.source ? { source: b.source } : {}), checkpoint: await custody.ledger.checkpoint() });
      return c.body(new Uint8Array(pdf), 200, {
        'content-type': 'application/pdf',
        'content-disposition': 'attachment; filename="evidence-report.pdf"',
      });
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/trace/report',
      summary: 'L1 from one victim report: which handler of the victim’s order had an order number ending in the quoted digits',
      security: [{ bearer: [] }],
      request: jsonBody(
        z.strictObject({
          order: orderRef,
          text: z.string().max(5000).optional(),
          alias_tail: z
            .string()
            .regex(/^\d{4,19}$/)
            .optional(),
        }),
      ),
      responses: ok,
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await investigateReport(custody, {
        order: b.order,
        ...(b.text ? { text: b.text } : {}),
        ...(b.alias_tail ? { aliasTail: b.alias_tail } : {}),
      });
      await recordInvestigation(custody, 'report', c.get('principal').party.id, { records: 1, accused: r.accused, suspects: r.suspects });
      return c.json(r as unknown as Record<string, unknown>, 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/trace/canaries',
      summary: 'L3: exact tests over canary orders (routed at random) and whether each was hit',
      security: [{ bearer: [] }],
      request: jsonBody(
        z.strictObject({
          outcomes: z
            .array(z.strictObject({ order: orderRef, hit: z.boolean() }))
            .min(1)
            .max(100_000),
        }),
      ),
      responses: ok,
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json((await canaryTests(custody, b.outcomes)) as unknown as Record<string, unknown>, 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/trace/reports',
      summary: 'L4: CPC triage of the orders victims reported; ranks suspects, never accuses',
      security: [{ bearer: [] }],
      request: jsonBody(z.strictObject({ orders: z.array(orderRef).min(1).max(100_000), alpha: z.number().gt(0).max(0.1).optional() })),
      responses: ok,
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json((await cpcTriage(custody, b.orders, b.alpha ? { alpha: b.alpha } : {})) as unknown as Record<string, unknown>, 200);
    },
  );

  a.use('/api/v1/canaries', requireScope(custody, 'ingest'));
  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/canaries',
      summary: 'Plant canary orders in an outlet, one per monitored number, routed uniformly at random to its stations and couriers',
      security: [{ bearer: [] }],
      request: jsonBody(plantSchema),
      responses: {
        201: { description: 'the canary order ids', content: { 'application/json': { schema: result } } },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => {
      const p = c.get('principal').party;
      if (p.kind !== 'platform') throw new ForbiddenError('only a platform plants canaries');
      return c.json(await plantCanaries(custody, p, c.req.valid('json')), 201);
    },
  );
  a.use('/api/v1/canaries/hits', requireScope(custody, 'trace'));
  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/canaries/hits',
      summary: 'A monitored canary number was called or texted (the first hit counts)',
      security: [{ bearer: [] }],
      request: jsonBody(z.strictObject({ phone: z.string().max(40), source: z.string().max(100).default('monitor') })),
      responses: { 200: ok[200], ...badInput, ...authErrors, 404: { description: 'not a canary number' } },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json((await recordCanaryHit(custody, b.phone, b.source)) as unknown as Record<string, unknown>, 200);
    },
  );
  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/trace/canaries/registry',
      summary: 'L3 over the canary registry: the exact test over every canary planted (before `planted_before`), hit or not',
      security: [{ bearer: [] }],
      request: jsonBody(z.strictObject({ planted_before: z.iso.datetime({ offset: true }).optional() })),
      responses: ok,
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await testCanaryRegistry(custody, { ...(b.planted_before ? { plantedBefore: b.planted_before } : {}) });
      await recordInvestigation(custody, 'canaries', c.get('principal').party.id, {
        records: r.canaries,
        accused: r.accused,
        suspects: r.tests,
      });
      return c.json(r as unknown as Record<string, unknown>, 200);
    },
  );
}
