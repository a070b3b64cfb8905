/** Trace over HTTP: investigate a leaked dump (regulator and platform keys only). */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  ForbiddenError,
  InputError,
  NotFoundError,
  UnavailableError,
  ordersInReach,
  reachOf,
  type Custody,
  type Party,
} from '../custody/index.ts';
import {
  cpcTriage,
  decodeDump,
  evidencePdf,
  investigateDumpInput,
  investigateReport,
  type DecodedDump,
  plantCanaries,
  plantSchema,
  recordCanaryHit,
  recordInvestigation,
  testCanaryOutcomes,
  testCanaryRegistry,
} from '../trace/index.ts';
import { needs, newApi } from './api.ts';
import { requireScope, type AuthEnv } from './auth.ts';
import { SerialQueue } from '../shared/serial.ts';
import { boundedForm } from './multipart.ts';
import type { Limiters } from './rate-limit.ts';
import { fieldIssues, isTooLarge } from './errors.ts';
import { authErrors, badInput, errorSchema, jsonBody } from './schemas.ts';

/** A dump may hold up to this many characters (about 20,000 records). */
const MAX_DUMP = 4_000_000;
/** A dump request may carry this many bytes (a UTF-8 Chinese character takes three, GBK and UTF-16 two). */
const MAX_DUMP_BYTES = MAX_DUMP * 4;

const accusation = z.object({
  party: z.string(),
  kind: z.string(),
  name: z.string(),
  channel: z.enum(['L1', 'L2', 'L3']),
  log10Bound: z.number().openapi({ description: 'log10 of the bound on this being an innocent party' }),
  log10Threshold: z.number().openapi({ description: 'log10 of the threshold of the test that named it' }),
  evidence: z.record(z.string(), z.union([z.string(), z.number()])),
  proofs: z.array(
    z.object({
      order: z.string(),
      index: z.number(),
      size: z.number(),
      leaf: z.string(),
      proof: z.array(z.string()),
      opening: z
        .object({ virtual_number: z.string(), salt: z.string() })
        .optional()
        .openapi({ description: "opens the leaf's vn commitment: base64url(SHA-256(hex-decoded salt || number)) after `c:`" }),
    }),
  ),
});
const dumpReport = z
  .object({
    encoding: z
      .enum(['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'mixed', 'text'])
      .openapi({ description: '`mixed`: lines in UTF-8 and lines in GB18030 (a merged file); `text`: the dump came as JSON text' }),
    bom: z.boolean(),
    format: z.enum(['csv', 'jsonl', 'json', 'text', 'empty', 'binary']),
    delimiter: z.string().optional(),
    header: z
      .object({
        line: z.number(),
        columns: z.array(
          z.object({ header: z.string(), field: z.string().nullable(), status: z.enum(['mapped', 'duplicate', 'ignored', 'unknown']) }),
        ),
      })
      .nullable(),
    records: z.number().openapi({ description: 'records read (header rows and title lines are not records)' }),
    mapped: z.number(),
    mappedBy: z.object({ alias: z.number(), address: z.number(), phone: z.number(), time: z.number() }),
    notMapped: z.number(),
    reasons: z.array(z.object({ reason: z.string(), count: z.number(), lines: z.array(z.number()) })).openapi({
      description: 'records not mapped, by reason, with the first line numbers of each',
    }),
    skipped: z.object({ header: z.number(), preamble: z.number() }),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  })
  .openapi('DumpReport');
const investigation = z
  .object({
    records: z.number(),
    orders: z.number().openapi({ description: 'distinct orders the mapped records name (repeats count once)' }),
    mapped: z.object({ alias: z.number(), address: z.number(), phone: z.number(), time: z.number() }),
    investigation: z.number().openapi({ description: 'this investigation’s number in the deployment (kept by the server)' }),
    investigationEntry: z
      .number()
      .openapi({ description: 'the ledger index of the `investigation` entry that took that number (entries are numbered 1, 2, …)' }),
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
    report: dumpReport,
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

/** The dump of a request: JSON `{dump}` text, or a multipart `file` whose bytes are decoded here. */
interface DumpRequest {
  input: DecodedDump | string;
  source?: string | undefined;
}

/** The JSON body of a dump request. */
const jsonDump = z.strictObject({ dump: z.string().min(1).max(MAX_DUMP) });

/** Text fields a multipart dump may carry beside its file (as the JSON body's, but sent as text). */
const formFields = z.strictObject({
  source: z.string().max(200).optional(),
});

/** An error answer naming one field. */
const fail = (c: Context, status: 400 | 413 | 415, error: string, field: string, message: string): Response =>
  c.json({ error, issues: [{ field, message }] }, status);

/** Reads a dump request, JSON or multipart, or answers it with the error (400, 413 or 415 naming the field). */
async function readDumpRequest(c: Context, withSource: boolean): Promise<DumpRequest | Response> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      // The file and the source, and room for a client's stray fields.
      form = await boundedForm(c, 8);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return fail(c, 400, 'invalid_multipart', '(body)', e.issues[0]?.message ?? 'not valid multipart/form-data');
    }
    const file = form.getAll('file');
    const one = file[0];
    if (file.length !== 1 || !(one instanceof File)) return fail(c, 400, 'invalid_input', 'file', 'exactly one file is required');
    if (one.size === 0) return fail(c, 400, 'invalid_input', 'file', 'the file is empty');
    const rest: Record<string, unknown> = {};
    for (const [k, v] of form.entries()) if (k !== 'file') rest[k] = v;
    const fields = (withSource ? formFields : formFields.omit({ source: true })).safeParse(rest);
    if (!fields.success) return c.json({ error: 'invalid_input', issues: fieldIssues(fields.error) }, 400);
    const decoded = await decodeDump(new Uint8Array(await one.arrayBuffer()));
    if (decoded.text.length > MAX_DUMP) return fail(c, 413, 'too_large', 'file', `more than ${MAX_DUMP} characters once decoded`);
    return { input: decoded, ...fields.data };
  }
  if (!type.startsWith('application/json'))
    return fail(c, 415, 'unsupported_media_type', '(body)', 'send application/json or multipart/form-data');
  const body = (withSource ? jsonDump.extend({ source: z.string().max(200).optional() }) : jsonDump).safeParse(await c.req.json());
  if (!body.success)
    return c.json(
      { error: isTooLarge(body.error) ? 'too_large' : 'invalid_input', issues: fieldIssues(body.error) },
      isTooLarge(body.error) ? 413 : 400,
    );
  const { dump, ...rest } = body.data;
  return { input: dump, ...rest };
}

/** The request body a dump route documents: JSON text, or the file's bytes. */
const dumpBody = (withSource: boolean) => {
  const source = withSource
    ? { source: z.string().max(200).optional().openapi({ description: 'where the dump came from (chain of custody)' }) }
    : {};
  return {
    required: true,
    content: {
      'application/json': { schema: jsonDump.extend(source) },
      'multipart/form-data': {
        schema: z.object({
          file: z.string().openapi({
            format: 'binary',
            description: `the dump file as it came (UTF-8, UTF-16 with a byte-order mark, GBK or GB18030; at most ${MAX_DUMP_BYTES} bytes)`,
          }),
          ...source,
        }),
      },
    },
  };
};

const tooLarge = {
  413: { description: 'the body or the decoded dump is too large', content: { 'application/json': { schema: errorSchema } } },
} as const;
const unsupported = {
  415: { description: 'neither JSON nor multipart/form-data', content: { 'application/json': { schema: errorSchema } } },
} as const;

/**
 * The trace routes. Investigating needs `trace` (rate limited per key) and sees only orders and parties the
 * caller reaches; planting canaries needs `ingest` and a platform; reporting a canary hit needs `trace`.
 */
export function traceApi(custody: Custody, limit: Limiters): OpenAPIHono<AuthEnv> {
  const a = newApi();
  const tracer = needs(custody, 'trace');
  const traceKey = requireScope(custody, 'trace');
  const investigator = { ...tracer, middleware: [traceKey, limit.trace] };
  /** Refuses orders of platforms the caller does not reach exactly as orders that do not exist. */
  const mustReach = async (p: Party, orders: readonly string[]): Promise<void> => {
    if (!(await ordersInReach(custody, p, orders))) throw new NotFoundError('no such order among those this key may trace');
  };
  // A large dump holds the event loop for seconds while it decodes: dumps are investigated one at a time, and
  // a few wait, so concurrent uploads cannot multiply the stall; beyond that, 503.
  const dumps = new SerialQueue(2, () => new UnavailableError('other dumps are being investigated: try again in a minute'));
  // Refused from Content-Length before the body is read; a chunked body is counted as it arrives.
  const dumpLimit = bodyLimit({ maxSize: MAX_DUMP_BYTES, onError: (c) => c.json({ error: 'too_large' }, 413) });
  a.openAPIRegistry.registerPath({
    method: 'post',
    path: '/api/v1/trace/dump',
    summary:
      'Investigate a leaked dump (CSV or TSV with a header in Chinese or English, JSON lines or text), sent as JSON text or as a file (multipart `file`): who leaked, through which channel, with what bound, and a report of how the dump was read and mapped',
    security: [{ bearer: [] }],
    request: { body: dumpBody(false) },
    responses: {
      200: { description: 'accused and suspects, and the mapping report', content: { 'application/json': { schema: investigation } } },
      ...badInput,
      ...authErrors,
      ...tooLarge,
      ...unsupported,
    },
  });
  /** Reads a dump request and investigates it within the caller's reach, recording the outcome (or answers the request's error). */
  const investigateRequest = async (
    c: Context<AuthEnv>,
    withSource: boolean,
  ): Promise<Response | { req: DumpRequest; inv: Awaited<ReturnType<typeof investigateDumpInput>> }> => {
    const req = await readDumpRequest(c, withSource);
    if (req instanceof Response) return req;
    return dumps.run(async () => {
      const inv = await investigateDumpInput(custody, req.input, {
        reach: reachOf(c.get('principal').party),
        by: c.get('principal').party.id,
      });
      await recordInvestigation(custody, 'dump', c.get('principal').party.id, inv);
      return { req, inv };
    });
  };
  a.post('/api/v1/trace/dump', traceKey, limit.trace, dumpLimit, async (c) => {
    const r = await investigateRequest(c, false);
    return r instanceof Response ? r : c.json(r.inv, 200);
  });

  a.openAPIRegistry.registerPath({
    method: 'post',
    path: '/api/v1/trace/dump-report',
    summary: 'The same investigation as a PDF evidence report in Chinese',
    security: [{ bearer: [] }],
    request: { body: dumpBody(true) },
    responses: {
      200: { description: 'the report', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } },
      ...badInput,
      ...authErrors,
      ...tooLarge,
      ...unsupported,
    },
  });
  a.post('/api/v1/trace/dump-report', traceKey, limit.trace, limit.pdf, dumpLimit, async (c) => {
    const r = await investigateRequest(c, true);
    if (r instanceof Response) return r;
    const { req, inv } = r;
    const pdf = await evidencePdf(inv, { ...(req.source ? { source: req.source } : {}), checkpoint: await custody.ledger.checkpoint() });
    return c.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': 'attachment; filename="evidence-report.pdf"',
    });
  });

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/trace/report',
      summary: 'L1 from one victim report: which handler of the victim’s order had an order number ending in the quoted digits',
      ...investigator,
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
      await mustReach(c.get('principal').party, [b.order]);
      const r = await investigateReport(
        custody,
        {
          order: b.order,
          ...(b.text ? { text: b.text } : {}),
          ...(b.alias_tail ? { aliasTail: b.alias_tail } : {}),
        },
        c.get('principal').party.id,
      );
      await recordInvestigation(custody, 'report', c.get('principal').party.id, { records: 1, accused: r.accused, suspects: r.suspects });
      return c.json(r as unknown as Record<string, unknown>, 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/trace/canaries',
      summary:
        "L3: records the hits the caller reports on the named canaries with the monitored number called (as the caller's), then the exact tests over every logged canary in the caller's reach, with hits from the ledger",
      ...investigator,
      request: jsonBody(
        z.strictObject({
          outcomes: z
            .array(
              z.strictObject({
                order: orderRef,
                hit: z.boolean(),
                number: z.string().max(32).optional().describe('the monitored number that was called: a hit is recorded only with it'),
              }),
            )
            .min(1)
            .max(100_000),
        }),
      ),
      responses: ok,
    }),
    async (c) => {
      const b = c.req.valid('json');
      await mustReach(
        c.get('principal').party,
        b.outcomes.map((o) => o.order),
      );
      const p = c.get('principal').party;
      const r = await testCanaryOutcomes(custody, b.outcomes, reachOf(p), p.id);
      await recordInvestigation(custody, 'canaries', p.id, { records: r.canaries, accused: r.accused, suspects: r.tests });
      return c.json(r as unknown as Record<string, unknown>, 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/trace/reports',
      summary: 'L4: CPC triage of the orders victims reported; ranks suspects, never accuses',
      ...investigator,
      request: jsonBody(z.strictObject({ orders: z.array(orderRef).min(1).max(100_000), alpha: z.number().gt(0).max(0.1).optional() })),
      responses: ok,
    }),
    async (c) => {
      const b = c.req.valid('json');
      await mustReach(c.get('principal').party, b.orders);
      return c.json((await cpcTriage(custody, b.orders, b.alpha ? { alpha: b.alpha } : {})) as unknown as Record<string, unknown>, 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/canaries',
      summary: 'Plant canary orders in an outlet, one per monitored number, routed uniformly at random to its stations and couriers',
      ...needs(custody, 'ingest'),
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
  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/canaries/hits',
      summary: 'A monitored canary number was called or texted (the first hit counts)',
      ...tracer,
      request: jsonBody(z.strictObject({ phone: z.string().max(40), source: z.string().max(100).default('monitor') })),
      responses: { 200: ok[200], ...badInput, ...authErrors, 404: { description: 'not a canary number' } },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json(
        (await recordCanaryHit(
          custody,
          b.phone,
          b.source,
          reachOf(c.get('principal').party),
          c.get('principal').party.id,
        )) as unknown as Record<string, unknown>,
        200,
      );
    },
  );
  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/trace/canaries/registry',
      summary:
        'L3 over the canary registry: the exact test over every logged canary planted (from `planted_since`, before `planted_before`), hit or not',
      ...investigator,
      request: jsonBody(
        z.strictObject({
          planted_since: z.iso.datetime({ offset: true }).optional(),
          planted_before: z.iso.datetime({ offset: true }).optional(),
        }),
      ),
      responses: ok,
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await testCanaryRegistry(custody, {
        reach: reachOf(c.get('principal').party),
        by: c.get('principal').party.id,
        ...(b.planted_since ? { plantedSince: new Date(b.planted_since).toISOString() } : {}),
        ...(b.planted_before ? { plantedBefore: new Date(b.planted_before).toISOString() } : {}),
      });
      await recordInvestigation(custody, 'canaries', c.get('principal').party.id, {
        records: r.canaries,
        accused: r.accused,
        suspects: r.tests,
      });
      return c.json(r as unknown as Record<string, unknown>, 200);
    },
  );
  return a;
}
