/**
 * Cases over HTTP. A victim files a case (JSON, or multipart with evidence files) without an account and
 * gets the case number and a token; the token, or a key with the cases scope (police, regulator, platform),
 * opens the case, its evidence and its PDF.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import {
  addEvidence,
  caseForToken,
  CASE_STATUSES,
  caseInputSchema,
  casePdf,
  casePlatform,
  casesInReach,
  createCase,
  evidenceFile,
  getCase,
  listCases,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
  setCaseStatus,
  traceCase,
  type Upload,
} from '../cases/index.ts';
import { authenticate, hasScope, InputError, NotFoundError, reachOf, reaches, type Custody } from '../custody/index.ts';
import { cpcTriage, recordInvestigation } from '../trace/index.ts';
import { needs, newApi } from './api.ts';
import { requireScope, type AuthEnv } from './auth.ts';
import { boundedForm } from './multipart.ts';
import type { Limiters } from './rate-limit.ts';
import { authErrors, badInput, errorSchema, jsonBody, notFound } from './schemas.ts';

/** A case sent as JSON (no files) may be this large. */
const MAX_CASE_JSON = 128 * 1024;

/** A multipart case may carry this much: the files plus the JSON. */
export const MAX_CASE_BODY = MAX_EVIDENCE_FILES * MAX_EVIDENCE_BYTES + 1024 * 1024;

const security = [{ bearer: [] }];
const json = (description: string) => ({ description, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } });
const asRecord = (v: unknown): Record<string, unknown> => v as Record<string, unknown>;
const receipt = z
  .object({
    id: z.string().openapi({ description: 'the case number' }),
    token: z.string().openapi({ description: 'opens the case; shown once' }),
    merged: z.boolean(),
    ledgerIndex: z.number(),
    evidence: z.array(z.object({ sha256: z.string(), mime: z.string(), size: z.number(), ledgerIndex: z.number() })),
  })
  .openapi('CaseReceipt');
const multipart = z.object({
  case: z.string().openapi({ description: 'the case as JSON (schema CaseInput)' }),
  evidence: z.array(z.string().openapi({ format: 'binary' })).optional(),
});

/** The uploads and the JSON of a request, whether JSON or multipart. */
async function readSubmission(c: Context): Promise<{ body: unknown; files: Upload[] }> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) return { body: await c.req.json(), files: [] };
  // The files, the case, and room for a client's stray fields; more parts than that is not a case.
  const form = await boundedForm(c, MAX_EVIDENCE_FILES + 4);
  const files: Upload[] = [];
  for (const [i, f] of form.getAll('evidence').entries()) {
    if (typeof f === 'string') throw new InputError([{ field: `evidence.${i}`, message: 'must be a file' }]);
    files.push({ name: f.name, type: f.type, bytes: Buffer.from(await f.arrayBuffer()) });
  }
  const text = form.get('case') ?? undefined;
  if (text === undefined) return { body: undefined, files };
  if (typeof text !== 'string') throw new InputError([{ field: 'case', message: 'must be JSON text' }]);
  if (text.length > MAX_CASE_JSON) throw new HTTPException(413, { message: 'too_large' });
  try {
    return { body: JSON.parse(text) as unknown, files };
  } catch {
    throw new InputError([{ field: 'case', message: 'is not valid JSON' }]);
  }
}

/** The victim's token for this case, or a key with the cases scope; otherwise 401/404. */
function caseAccess(custody: Custody): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const token = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token)
      return c.json({ error: 'unauthorized', message: 'the case token or an API key is required' }, 401, { 'www-authenticate': 'Bearer' });
    const id = c.req.param('id') ?? '';
    if (token.startsWith('gkc_')) {
      if ((await caseForToken(custody, token)) !== id) return c.json({ error: 'not_found' }, 404);
      return next();
    }
    const p = await authenticate(custody, token);
    if (!p) return c.json({ error: 'unauthorized', message: 'invalid key' }, 401, { 'www-authenticate': 'Bearer' });
    if (!hasScope(p, 'cases')) return c.json({ error: 'forbidden', message: 'this key lacks the cases scope' }, 403);
    // A case outside the key's platform or jurisdiction reads exactly like one that does not exist.
    const platform = await casePlatform(custody, id);
    if (platform === undefined || !reaches(p.party, platform)) return c.json({ error: 'not_found' }, 404);
    c.set('principal', p);
    return next();
  };
}

/**
 * The case routes. Filing is anonymous and rate limited per client; a case, its evidence and its PDF open with
 * the victim's token or a `cases` key that reaches the case's platform; listing and status need `cases`;
 * tracing from cases needs `trace`.
 */
export function caseApi(custody: Custody, limit: Limiters): OpenAPIHono<AuthEnv> {
  const a = newApi();
  const big = bodyLimit({
    maxSize: MAX_CASE_BODY,
    onError: (c) => c.json({ error: 'too_large', message: 'at most 5 files of 10 MB' }, 413),
  });
  // Files come only as multipart; a JSON case is small, and is refused before it is parsed when it is not.
  const small = bodyLimit({
    maxSize: MAX_CASE_JSON,
    onError: (c) => c.json({ error: 'too_large', message: 'a case as JSON is at most 128 kB' }, 413),
  });
  const sized: MiddlewareHandler = (c, next) =>
    (c.req.header('content-type') ?? '').startsWith('multipart/form-data') ? big(c, next) : small(c, next);
  const opener = { security, middleware: [caseAccess(custody)] };
  const staff = needs(custody, 'cases');
  const tracer = { security, middleware: [requireScope(custody, 'trace'), limit.trace] };

  a.openAPIRegistry.registerPath({
    method: 'post',
    path: '/api/v1/cases',
    summary:
      'File a case (报案): JSON, or multipart/form-data with a `case` JSON field and up to 5 `evidence` files (images, audio, PDF; 10 MB each)',
    request: {
      body: {
        required: true,
        content: { 'application/json': { schema: caseInputSchema }, 'multipart/form-data': { schema: multipart } },
      },
    },
    responses: {
      201: {
        description: 'the case number and token (an identical resubmission returns the same case, merged)',
        content: { 'application/json': { schema: receipt } },
      },
      400: { description: 'invalid input or a refused file, naming the field', content: { 'application/json': { schema: errorSchema } } },
      413: { description: 'too large', content: { 'application/json': { schema: errorSchema } } },
      429: { description: 'rate limited' },
    },
  });
  a.post('/api/v1/cases', limit.submit, sized, async (c) => {
    const { body, files } = await readSubmission(c);
    return c.json(await createCase(custody, body, files), 201);
  });

  a.openAPIRegistry.registerPath({
    method: 'post',
    path: '/api/v1/cases/{id}/evidence',
    summary: 'Add evidence files to a case (multipart `evidence` files)',
    security,
    request: {
      params: z.object({ id: z.string() }),
      body: { required: true, content: { 'multipart/form-data': { schema: multipart.omit({ case: true }) } } },
    },
    responses: { 201: json('the stored files with their ledger entries'), ...badInput, ...authErrors, ...notFound },
  });
  a.post('/api/v1/cases/:id/evidence', limit.submit, big, caseAccess(custody), async (c) => {
    const { files } = await readSubmission(c);
    return c.json({ evidence: await addEvidence(custody, c.req.param('id'), files) }, 201);
  });

  const idParam = { params: z.object({ id: z.string().max(40) }) };
  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cases/{id}',
      summary: 'The case (victim token or a key with the cases scope)',
      ...opener,
      request: idParam,
      responses: { 200: json('facts, evidence list, ledger index'), ...authErrors, ...notFound },
    }),
    async (c) => c.json(asRecord(await getCase(custody, c.req.valid('param').id)), 200),
  );
  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cases/{id}/report.pdf',
      summary: 'The police-ready case report in Chinese, with evidence hashes and ledger proofs',
      security,
      middleware: [limit.pdf, caseAccess(custody)],
      request: idParam,
      responses: {
        200: { description: 'the PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } },
        ...authErrors,
        ...notFound,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const pdf = await casePdf(custody, id);
      return c.body(new Uint8Array(pdf), 200, {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="${id}.pdf"`,
      });
    },
  );
  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cases/{id}/evidence/{evidence}',
      summary: 'One evidence file, checked against its recorded SHA-256',
      ...opener,
      request: { params: z.object({ id: z.string().max(40), evidence: z.string().max(40) }) },
      responses: { 200: { description: 'the file' }, ...authErrors, ...notFound },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const f = await evidenceFile(custody, p.id, p.evidence);
      return c.body(new Uint8Array(f.bytes), 200, { 'content-type': f.mime, 'content-disposition': 'attachment' });
    },
  );
  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/cases/{id}/status',
      summary: 'Set a case’s status (accepted, investigating, closed); recorded in the ledger with a hash of the note',
      security,
      middleware: [requireScope(custody, 'cases'), caseAccess(custody)],
      request: { ...idParam, ...jsonBody(z.strictObject({ status: z.enum(CASE_STATUSES), note: z.string().max(1000).default('') })) },
      responses: { 204: { description: 'set' }, ...badInput, ...authErrors, ...notFound },
    }),
    async (c) => {
      const b = c.req.valid('json');
      await setCaseStatus(custody, c.get('principal').party.id, c.req.valid('param').id, b.status, b.note);
      return c.body(null, 204);
    },
  );
  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cases',
      summary: 'Case summaries for the police, regulator and platform (no personal data)',
      ...staff,
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }) },
      responses: { 200: json('cases, newest first'), ...authErrors },
    }),
    async (c) => c.json({ cases: await listCases(custody, c.req.valid('query').limit ?? 100, reachOf(c.get('principal').party)) }, 200),
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/trace/case/{id}',
      summary: 'Trace from one case: which handler of the linked order had an order number ending in the digits the scammer quoted',
      ...tracer,
      request: idParam,
      responses: { 200: json('the report investigation'), ...badInput, ...authErrors, ...notFound },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const platform = await casePlatform(custody, id);
      if (platform === undefined || !reaches(c.get('principal').party, platform)) throw new NotFoundError('no such case');
      const r = await traceCase(custody, id, c.get('principal').party.id);
      await recordInvestigation(custody, 'case', c.get('principal').party.id, { records: 1, accused: r.accused, suspects: r.suspects });
      return c.json(asRecord(r), 200);
    },
  );
  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/trace/cases',
      summary: 'L4 from the stream of cases: CPC triage over the orders cases are linked to (ranks suspects, never accuses)',
      ...tracer,
      request: { query: z.object({ since: z.iso.datetime({ offset: true }).optional() }) },
      responses: { 200: json('the CPC triage'), ...authErrors },
    }),
    async (c) => {
      const since = c.req.valid('query').since ?? '1970-01-01T00:00:00Z';
      const rows = await casesInReach(custody.store.db.selectFrom('cases').select('order_id'), reachOf(c.get('principal').party))
        .where('order_id', 'is not', null)
        .where('created_at', '>=', new Date(since).toISOString())
        .execute();
      const orders = rows.map((r) => r.order_id as string);
      if (orders.length === 0) return c.json({ reports: 0, suspects: [] }, 200);
      return c.json(asRecord(await cpcTriage(custody, orders)), 200);
    },
  );
  return a;
}
