/**
 * Supervision over HTTP (谁看过我的订单): a platform issues a consumer a token for one of its orders; the
 * consumer (anonymous, rate limited, the token in the JSON body, never in a URL) reads who received the
 * order's data with ledger proofs and flags rows; platforms and authorities read the flags in their reach.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { NotFoundError, type Custody } from '../custody/index.ts';
import {
  accessLink,
  publicBaseFrom,
  FLAG_REASONS,
  flagRow,
  issueAccessToken,
  listFlags,
  orderAccess,
  openToken,
  orderForToken,
  TOKEN_MINUTES,
  TOKEN_RE,
} from '../supervise/index.ts';
import { needs, newApi } from './api.ts';
import type { AuthEnv } from './auth.ts';
import type { Limiters } from './rate-limit.ts';
import { authErrors, badInput, jsonBody, notFound } from './schemas.ts';

const tooMany = { 429: { description: 'rate limited' } } as const;
const token = z.string().max(100).regex(TOKEN_RE, 'must be an access token (gko_…)');
const field = z.object({ field: z.string(), form: z.enum(['alias', 'virtual_number', 'masked', 'full', 'region', 'plain']) });
const row = z
  .object({
    entry: z.number(),
    party: z.object({ name: z.string(), kind: z.string() }),
    action: z.enum(['view', 'decrypt']),
    fields: z.array(field),
    at: z.string(),
    why: z.union([
      z.object({ role: z.string() }),
      z.object({
        decrypt: z.string(),
        ticket: z.boolean().openapi({ description: 'the decrypt named a ticket the order’s platform registered, which covers it' }),
        ticket_entry: z
          .object({ entry: z.number(), leaf: z.string(), proof: z.array(z.string()), opened_at: z.string() })
          .optional()
          .openapi({ description: 'that ticket’s ledger leaf (base64) and inclusion proof in the same checkpoint' }),
      }),
    ]),
    leaf: z.string().openapi({ description: 'the ledger leaf, base64' }),
    proof: z.array(z.string()).openapi({ description: 'RFC 9162 inclusion proof, base64 hashes' }),
    flagged: z.boolean(),
  })
  .openapi('AccessRow');
const flagView = z
  .object({
    id: z.string(),
    order_id: z.string(),
    platform_order_id: z.string(),
    platform_id: z.string(),
    party: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
    entry: z.number(),
    reason: z.string(),
    ledger_index: z.number(),
    created_at: z.string(),
    issued_by: z.string().nullable().describe('who issued the link the flag came through: the platform, or the operator'),
  })
  .openapi('ConsumerFlag');

/** The supervision routes: issuing needs `ingest` (a platform, for its own orders), reading flags `cases`. */
export function superviseApi(custody: Custody, limit: Limiters): OpenAPIHono<AuthEnv> {
  const a = newApi();
  const publicBase = publicBaseFrom(process.env.GATEKEEPER_PUBLIC_URL);

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/orders/{ref}/access-link',
      summary: "Issue the consumer of one of this platform's orders a short-lived link to who has seen it (token in the URL fragment)",
      ...needs(custody, 'ingest'),
      request: {
        params: z.object({ ref: z.string().max(64) }),
        ...jsonBody(z.strictObject({ ttl_minutes: z.int().min(TOKEN_MINUTES.min).max(TOKEN_MINUTES.max).optional() })),
      },
      responses: {
        201: {
          description: 'the link and token, shown only here',
          content: {
            'application/json': { schema: z.object({ link: z.string(), token: z.string(), order_id: z.string(), expires_at: z.string() }) },
          },
        },
        ...badInput,
        ...authErrors,
        ...notFound,
      },
    }),
    async (c) => {
      const issued = await issueAccessToken(custody, c.get('principal').party, c.req.valid('param').ref, c.req.valid('json').ttl_minutes);
      c.header('cache-control', 'no-store');
      return c.json({ link: accessLink(publicBase(c.req.url), issued.token), ...issued }, 201);
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/my-order',
      summary:
        'Who has received my order’s data (with the token a platform gave the consumer): rows in chain order, each with its ledger proof',
      middleware: [limit.lookup],
      request: jsonBody(
        z.strictObject({
          token,
          seen_size: z
            .number()
            .int()
            .min(1)
            .max(Number.MAX_SAFE_INTEGER)
            .optional()
            .describe('the size of the largest tree this device verified before: the answer then proves the log only grew since'),
        }),
      ),
      responses: {
        200: {
          description: 'the rows, the signed checkpoint they are proven against, the log’s verifier key, and each handover of that key',
          content: {
            'application/json': {
              schema: z.object({
                order: z.object({ platform: z.string(), platform_order_id: z.string(), ordered_at: z.string(), item: z.string() }),
                rows: z.array(row),
                chain: z
                  .object({
                    head: z.number().nullable(),
                    links: z.array(z.object({ entry: z.number(), leaf: z.string(), proof: z.array(z.string()) })),
                    truncated: z.boolean(),
                  })
                  .openapi({
                    description:
                      'the order’s chain of records: its latest record (`head`) and the records between the rows (repeated views) with their proofs, so the page can follow every record back to the first',
                  }),
                checkpoint: z.string(),
                verifier_key: z.string(),
                handovers: z.array(
                  z.object({ entry: z.number(), leaf: z.string(), proof: z.array(z.string()), checkpoint: z.string(), vkey: z.string() }),
                ),
                consistency: z.object({ from: z.number(), proof: z.array(z.string()) }).optional(),
              }),
            },
          },
        },
        ...badInput,
        ...notFound,
        ...tooMany,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const order = await orderForToken(custody, body.token);
      if (order === null) throw new NotFoundError('no such link, or it has expired');
      c.header('cache-control', 'no-store');
      return c.json(await orderAccess(custody, order, body.seen_size), 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/my-order/flags',
      summary:
        'Flag a row of who has seen my order ("I never dealt with this party"): stored, in the ledger, shown to the platform and regulators',
      middleware: [limit.submit],
      request: jsonBody(
        z.strictObject({ token, entry: z.int().min(0).max(Number.MAX_SAFE_INTEGER), reason: z.enum(FLAG_REASONS).default('never_dealt') }),
      ),
      responses: {
        201: {
          description: 'flagged',
          content: { 'application/json': { schema: z.object({ entry: z.number(), ledger_index: z.number(), created: z.boolean() }) } },
        },
        200: {
          description: 'already flagged',
          content: { 'application/json': { schema: z.object({ entry: z.number(), ledger_index: z.number(), created: z.boolean() }) } },
        },
        ...badInput,
        ...notFound,
        ...tooMany,
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const link = await openToken(custody, b.token);
      if (link === null) throw new NotFoundError('no such link, or it has expired');
      const r = await flagRow(custody, link.order, b.entry, b.reason, link.issuedBy);
      return c.json(r, r.created ? 201 : 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/supervision/flags',
      summary: "Consumers' flags on orders in the caller's reach (a platform's own orders, an authority's jurisdiction), newest first",
      ...needs(custody, 'cases'),
      request: {
        query: z.object({
          since: z.iso.datetime({ offset: true }).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
      responses: {
        200: { description: 'the flags', content: { 'application/json': { schema: z.object({ flags: z.array(flagView) }) } } },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const since = q.since === undefined ? undefined : new Date(q.since).toISOString();
      return c.json({ flags: await listFlags(custody, c.get('principal').party, { since, limit: q.limit }) }, 200);
    },
  );
  return a;
}
