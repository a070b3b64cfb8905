/** POST /api/v1/check, documented in the OpenAPI description. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { check, checkInputSchema } from '../check/index.ts';
import type { Custody } from '../custody/index.ts';
import { knowledgeFor } from '../verify/index.ts';
import { newApi } from './api.ts';
import type { AuthEnv } from './auth.ts';
import { errorSchema, jsonBody } from './schemas.ts';

const text2 = z.object({ zh: z.string(), en: z.string() });
const finding = text2.extend({ id: z.string() });

const checkResultSchema = z
  .object({
    risk: z.number().min(0).max(1),
    level: z.enum(['high', 'medium', 'low']),
    traps: z.array(finding),
    asks: z.array(finding.extend({ never: text2 })),
    types: z.array(finding),
    channel: z.array(finding),
    spans: z.array(z.object({ start: z.number(), end: z.number(), label: z.string(), group: z.string(), rule: z.string() })),
    entities: z.array(
      z.object({ type: z.string(), value: z.string(), start: z.number(), end: z.number(), tags: z.array(z.string()).optional() }),
    ),
    advice: z.object({ zh: z.array(z.string()), en: z.array(z.string()) }),
    text: z.string(),
  })
  .openapi('CheckResult');

const route = createRoute({
  method: 'post',
  path: '/api/v1/check',
  summary: 'Check a text, transcript, number or link for scam signs (检测)',
  request: jsonBody(checkInputSchema),
  responses: {
    200: { description: 'the verdict; spans index into `text`', content: { 'application/json': { schema: checkResultSchema } } },
    400: { description: 'invalid input, naming the field', content: { 'application/json': { schema: errorSchema } } },
    413: { description: 'text longer than 20,000 characters', content: { 'application/json': { schema: errorSchema } } },
    429: { description: 'rate limited' },
  },
});

/** The anonymous check route, rate limited per client; with custody the verdict cites the registry and reputation. */
export function checkApi(custody: Custody | undefined, limit: MiddlewareHandler): OpenAPIHono<AuthEnv> {
  const a = newApi();
  a.openapi({ ...route, middleware: [limit] }, async (c) => {
    const input = c.req.valid('json');
    return c.json(check(input, custody ? await knowledgeFor(custody, input) : undefined), 200);
  });
  return a;
}
