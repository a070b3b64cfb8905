/** Custody over HTTP: parties, keys, order ingest (single and bulk NDJSON), views, manifests, decrypts. */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import {
  createApiKey,
  createParties,
  decryptOrder,
  DECRYPT_REASONS,
  ForbiddenError,
  ingestLines,
  MAX_LINE,
  ingestOrders,
  InputError,
  orderInputSchema,
  partyInputSchema,
  PARTY_KINDS,
  releaseManifest,
  releaseView,
  exchangeOwnKey,
  keyLabelSchema,
  listOwnKeys,
  openTicket,
  revokeApiKey,
  SCOPES,
  ticketIdSchema,
  ticketInputSchema,
  type Custody,
  type Party,
  type View,
} from '../custody/index.ts';
import { boundedLines } from '../shared/lines.ts';
import { needs, newApi } from './api.ts';
import { requireScope, type AuthEnv } from './auth.ts';
import type { Limiters } from './rate-limit.ts';
import { authErrors, badInput, jsonBody, notFound } from './schemas.ts';

const partySchema = z
  .object({
    id: z.string(),
    kind: z.enum(PARTY_KINDS),
    name: z.string(),
    parentId: z.string().nullable(),
    orgId: z.string(),
    erpId: z.string().nullable(),
  })
  .openapi('Party');
const field = z.union([z.string(), z.number()]).optional();
const viewSchema = z
  .object({
    order_no: z.string().openapi({ description: "this party's alias for the order" }),
    item: field,
    price: field,
    quantity: field,
    time: field,
    name: field,
    phone: field.openapi({ description: "this party's virtual number for the consumer" }),
    phone_masked: field,
    address: field,
    region: field,
    virtual_number_expires_at: z.string().optional(),
  })
  .openapi('View');
const ingestResult = z
  .object({
    index: z.number(),
    platform_order_id: z.string().optional(),
    id: z.string().optional(),
    status: z.enum(['created', 'exists']).optional(),
    error: z.string().optional(),
  })
  .openapi('IngestResult');

function onlyPlatform(p: Party): void {
  if (p.kind !== 'platform') throw new ForbiddenError('only a platform ingests orders');
}

/** One CSV cell; text a spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading quote (OWASP CSV injection). */
const csvCell = (v: unknown): string => {
  const raw = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
  const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** A manifest as CSV: a header of the fields present, one line per view. */
export function manifestCsv(views: View[]): string {
  const cols = [...new Set(views.flatMap((v) => Object.keys(v)))];
  return [cols.join(','), ...views.map((v) => cols.map((k) => csvCell((v as Record<string, unknown>)[k])).join(','))].join('\n') + '\n';
}

/**
 * The custody routes. Parties and keys need `registry` and reach only parties the caller manages; ingest
 * needs `ingest` and a platform; views and manifests need `release`, decrypts `decrypt`, each for orders
 * the calling party handles. Listing parties (GET) is the console's; see console-routes.ts.
 */
export function custodyApi(custody: Custody, limit: Limiters): OpenAPIHono<AuthEnv> {
  const a = newApi();
  const registry = needs(custody, 'registry');
  const ingest = needs(custody, 'ingest');
  const release = needs(custody, 'release');

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/parties',
      summary: 'Register a party (organisation or account) in the hierarchy',
      ...registry,
      request: jsonBody(partyInputSchema),
      responses: { 201: { description: 'created', content: { 'application/json': { schema: partySchema } } }, ...badInput, ...authErrors },
    }),
    async (c) => {
      const [party] = await createParties(custody, c.get('principal'), [c.req.valid('json')]);
      return c.json(party as Party, 201);
    },
  );

  // A new key, shown only in the answer that mints it.
  const newKey = {
    201: {
      description: 'created',
      content: { 'application/json': { schema: z.object({ id: z.string(), key: z.string(), scopes: z.array(z.string()) }) } },
    },
    ...badInput,
    ...authErrors,
  };

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/keys',
      summary: 'Create an API key for a party; the key is shown only in this response',
      ...registry,
      request: jsonBody(
        z.strictObject({
          party_id: z.string().max(40),
          scopes: z.array(z.enum(SCOPES)).min(1).optional(),
          label: keyLabelSchema.optional(),
        }),
      ),
      responses: newKey,
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json(await createApiKey(custody, c.get('principal'), b.party_id, { scopes: b.scopes, label: b.label }), 201);
    },
  );

  a.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/keys/{id}',
      summary: 'Revoke an API key',
      ...registry,
      request: { params: z.object({ id: z.string().regex(/^[0-9a-f]{12}$/) }) },
      responses: { 204: { description: 'revoked' }, ...notFound, ...authErrors },
    }),
    async (c) => {
      const ok = await revokeApiKey(custody, c.get('principal'), c.req.valid('param').id);
      return ok ? c.body(null, 204) : c.json({ error: 'not_found' }, 404);
    },
  );

  const ownKey = z
    .object({
      id: z.string(),
      label: z.string(),
      scopes: z.array(z.string()),
      created_at: z.string(),
      minted_by: z
        .string()
        .nullable()
        .openapi({ description: 'who minted it: a party id, operator:<name>, or null (no ledger entry names it)' }),
      exchanged: z.boolean().openapi({ description: 'minted by exchanging the key it replaced' }),
      seen_by: z
        .array(z.object({ id: z.string(), name: z.string() }))
        .openapi({ description: 'everyone but this party who held a key in its line: any of them could have minted it' }),
      revoked_at: z.string().nullable(),
    })
    .openapi('OwnKey');

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/keys/own',
      summary:
        "The keys in the caller's own name (the 100 most recent) with who minted each and who else held a key in its line, and the keys other parties were given with them: what is taken under a key names it",
      ...needs(custody),
      responses: {
        200: {
          description: 'the keys, and the keys of other parties minted with them',
          content: {
            'application/json': {
              schema: z.object({
                keys: z.array(ownKey),
                minted_with_mine: z
                  .array(
                    z.object({ id: z.string(), party_id: z.string(), created_at: z.string(), via: z.string(), exchanged: z.boolean() }),
                  )
                  .openapi({
                    description: 'keys of other parties minted with one of these keys (the 100 most recent), as their ledger entries say',
                  }),
              }),
            },
          },
        },
        ...authErrors,
      },
    }),
    async (c) => c.json(await listOwnKeys(custody, c.get('principal')), 200),
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/keys/own',
      summary:
        "Exchange the calling key for a new key in the caller's own name (by default with the same scopes); the calling key is revoked in the same step, and the new key is shown only in this response",
      ...needs(custody),
      request: jsonBody(z.strictObject({ scopes: z.array(z.enum(SCOPES)).min(1).optional(), label: keyLabelSchema.optional() })),
      responses: newKey,
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json(await exchangeOwnKey(custody, c.get('principal'), { scopes: b.scopes, label: b.label }), 201);
    },
  );

  a.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/keys/own/{id}',
      summary: "Revoke a key in the caller's own name (one a manager minted and may still hold, or the caller's own)",
      ...needs(custody),
      request: { params: z.object({ id: z.string().regex(/^[0-9a-f]{12}$/) }) },
      responses: { 204: { description: 'revoked' }, ...notFound, ...authErrors },
    }),
    async (c) => {
      const ok = await revokeApiKey(custody, c.get('principal'), c.req.valid('param').id, true);
      return ok ? c.body(null, 204) : c.json({ error: 'not_found' }, 404);
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/orders',
      summary: 'Ingest one order (idempotent on platform_order_id); name, phone and address are sealed at rest',
      ...ingest,
      request: jsonBody(orderInputSchema),
      responses: {
        201: { description: 'created', content: { 'application/json': { schema: ingestResult } } },
        200: { description: 'already held (same platform_order_id)', content: { 'application/json': { schema: ingestResult } } },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => {
      const p = c.get('principal').party;
      onlyPlatform(p);
      const [r] = await ingestOrders(custody, p, [c.req.valid('json')]);
      if (!r || 'error' in r) throw new InputError(r?.issues ?? []);
      return c.json(r, r.status === 'created' ? 201 : 200);
    },
  );

  // Registered by hand: the streamed body is not something zod validates as a whole.
  a.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/api/v1/orders/bulk',
      summary: 'Ingest orders as NDJSON, streamed: one result line per input line, written once its batch has committed',
      security: ingest.security,
      request: { body: { required: true, content: { 'application/x-ndjson': { schema: z.string() } } } },
      responses: {
        200: {
          description: 'NDJSON results `{line, id, status}` or `{line, error, issues}`',
          content: { 'application/x-ndjson': { schema: ingestResult } },
        },
        ...authErrors,
      },
    }),
  );
  a.post('/api/v1/orders/bulk', requireScope(custody, 'ingest'), (c) => {
    const p = c.get('principal').party;
    onlyPlatform(p);
    const body = c.req.raw.body;
    c.header('content-type', 'application/x-ndjson; charset=utf-8');
    return stream(c, async (out) => {
      if (!body) return;
      const lines = boundedLines(Readable.fromWeb(body as unknown as NodeReadableStream), MAX_LINE);
      await ingestLines(custody, p, lines, async (results) => {
        await out.write(results.map((r) => JSON.stringify(r)).join('\n') + '\n');
      });
    });
  });

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/orders/{ref}/view',
      summary: "This party's fingerprinted view of an order it handles (by order id or the party's alias); logged",
      ...release,
      request: { params: z.object({ ref: z.string().max(40) }) },
      responses: { 200: { description: 'the view', content: { 'application/json': { schema: viewSchema } } }, ...notFound, ...authErrors },
    }),
    async (c) => c.json(await releaseView(custody, c.get('principal'), c.req.valid('param').ref), 200),
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/manifest',
      summary: "A handler's daily manifest (Shanghai date) as NDJSON or CSV; every view and the export are logged (30 a minute per party)",
      security: release.security,
      middleware: [...release.middleware, limit.export],
      request: {
        query: z.object({
          day: z.iso.date('must be a calendar date, YYYY-MM-DD'),
          format: z.enum(['ndjson', 'csv']).default('ndjson'),
        }),
      },
      responses: {
        200: { description: 'the views', content: { 'application/x-ndjson': { schema: viewSchema }, 'text/csv': { schema: z.string() } } },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const views = await releaseManifest(custody, c.get('principal'), q.day);
      if (q.format === 'csv') return c.body(manifestCsv(views), 200, { 'content-type': 'text/csv; charset=utf-8' });
      return c.body(views.map((v) => JSON.stringify(v)).join('\n') + (views.length ? '\n' : ''), 200, {
        'content-type': 'application/x-ndjson; charset=utf-8',
      });
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/orders/{ref}/decrypt',
      summary:
        "A CS agent's full decrypt of an order, with a reason and optionally a ticket the platform registered for the order (`POST /api/v1/tickets`); logged in the ledger",
      ...needs(custody, 'decrypt'),
      request: {
        params: z.object({ ref: z.string().max(40) }),
        ...jsonBody(
          z.strictObject({
            reason: z.enum(DECRYPT_REASONS),
            note: z.string().max(200).optional(),
            ticket: ticketIdSchema.optional().openapi({ description: 'the platform’s ticket id; only a registered ticket counts as one' }),
          }),
        ),
      },
      responses: {
        200: {
          description: 'name, phone and full address',
          content: { 'application/json': { schema: z.object({ name: z.string(), phone: z.string(), address: z.string() }) } },
        },
        ...badInput,
        ...notFound,
        ...authErrors,
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json(await decryptOrder(custody, c.get('principal'), c.req.valid('param').ref, b.reason, b.note, b.ticket), 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/tickets',
      summary:
        'Register a CS ticket the platform opened for one of its orders (by id or platform order number), optionally assigned to one of its CS agents; a decrypt counts as ticketed only by naming a registered ticket',
      ...ingest,
      request: jsonBody(ticketInputSchema),
      responses: {
        201: { description: 'registered', content: { 'application/json': { schema: ticketSchema } } },
        200: { description: 'already registered (the first registration)', content: { 'application/json': { schema: ticketSchema } } },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => {
      const { created, ...t } = await openTicket(custody, c.get('principal').party, c.req.valid('json'));
      return created ? c.json(t, 201) : c.json(t, 200);
    },
  );
  return a;
}

const ticketSchema = z
  .object({ ticket: z.string(), order_id: z.string(), agent_id: z.string().nullable(), opened_at: z.string(), entry: z.number() })
  .openapi('Ticket');
