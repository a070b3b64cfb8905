/** Trace over HTTP: investigate a leaked dump (regulator and platform keys only). */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { Custody } from '../custody/index.ts';
import { investigateDump } from '../trace/index.ts';
import { requireScope, type AuthEnv } from './auth.ts';
import { authErrors, badInput } from './schemas.ts';

/** A dump may hold up to this many characters (about 20,000 records). */
const MAX_DUMP = 4_000_000;

const accusation = z.object({
  party: z.string(),
  kind: z.string(),
  name: z.string(),
  channel: z.enum(['L1', 'L2', 'L3']),
  log10Bound: z.number().openapi({ description: 'log10 of the bound on this being an innocent party' }),
  evidence: z.record(z.string(), z.union([z.string(), z.number()])),
  proofs: z.array(z.object({ order: z.string(), index: z.number(), size: z.number(), leaf: z.string(), proof: z.array(z.string()) })),
});
const investigation = z
  .object({
    records: z.number(),
    mapped: z.object({ alias: z.number(), address: z.number(), time: z.number() }),
    epsilon: z.number(),
    candidates: z.number(),
    log10Threshold: z.number(),
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
  })
  .openapi('DumpInvestigation');

/** Adds the trace routes. */
export function addTraceRoutes(app: OpenAPIHono, custody: Custody): void {
  const a = app as unknown as OpenAPIHono<AuthEnv>;
  a.use('/api/v1/trace/*', requireScope(custody, 'trace'));
  a.use('/api/v1/trace/dump', bodyLimit({ maxSize: MAX_DUMP * 4, onError: (c) => c.json({ error: 'too_large' }, 413) }));
  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/trace/dump',
      summary: 'Investigate a leaked dump (CSV with a header, JSON lines or text): who leaked, through which channel, with what bound',
      security: [{ bearer: [] }],
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({
                dump: z.string().min(1).max(MAX_DUMP),
                epsilon: z.number().gt(0).max(0.01).optional(),
                investigation: z
                  .int()
                  .min(1)
                  .optional()
                  .openapi({ description: 'how many investigations this budget has run, for alpha-spending' }),
              }),
            },
          },
        },
      },
      responses: {
        200: { description: 'accused and suspects', content: { 'application/json': { schema: investigation } } },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await investigateDump(custody, b.dump, {
        ...(b.epsilon ? { epsilon: b.epsilon } : {}),
        ...(b.investigation ? { investigation: b.investigation } : {}),
      });
      return c.json(r, 200);
    },
  );
}
