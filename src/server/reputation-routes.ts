/** Reputation over HTTP: anonymous lookups, reports and appeals; reviewers list entries and decide appeals. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { authenticate, blindIndex, ForbiddenError, hasScope, reachOf, type Custody, type Party } from '../custody/index.ts';
import { REPUTATION_KINDS } from '../check/index.ts';
import {
  appealForReviewer,
  appealInputSchema,
  appealStatus,
  canonicalIdentifier,
  decideAppeal,
  identifierSchema,
  listAppeals,
  lookupIdentifier,
  openAppeal,
  reportIdentifiers,
  topSubjects,
} from '../verify/index.ts';
import { needs, newApi } from './api.ts';
import type { AuthEnv } from './auth.ts';
import type { Limiters } from './rate-limit.ts';
import { authErrors, badInput, jsonBody, notFound } from './schemas.ts';

const tooMany = { 429: { description: 'rate limited' } } as const;
const json = (description: string) => ({ description, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } });
const asRecord = (v: unknown): Record<string, unknown> => v as Record<string, unknown>;
const bearer = (h: string | undefined): string | undefined => /^Bearer (\S+)$/.exec(h ?? '')?.[1];

/**
 * Who a signed-in report comes from: an all-reach authority as itself, any other party as its platform's
 * tree (so one platform's many keys are one reporter and one voucher).
 */
function partyReporter(p: Party): { reporter: string; voucher: string } {
  if (reachOf(p) === '*') return { reporter: `party:${p.id}`, voucher: `authority:${p.id}` };
  const org = p.tenantId ?? p.id;
  return { reporter: `org:${org}`, voucher: `org:${org}` };
}

/**
 * The reputation routes. Lookups, reports, appeals and an appeal's status are open to anyone, rate limited per
 * client (`limit`); listing entries and appeals and deciding appeals need `reputation`, and deciding only
 * an authority with national reach.
 */
export function reputationApi(custody: Custody, limit: Limiters): OpenAPIHono<AuthEnv> {
  const a = newApi();
  const reviewer = needs(custody, 'reputation');

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/reputation/lookup',
      summary: 'What is known about a number, receiving account or domain',
      middleware: [limit.lookup],
      request: jsonBody(identifierSchema),
      responses: { 200: json('reports, decayed score, level and appeal status'), ...badInput, ...tooMany },
    }),
    async (c) => {
      const q = c.req.valid('json');
      return c.json(asRecord(await lookupIdentifier(custody, q.kind, q.value)), 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/reputation/reports',
      summary: 'Report a scam number, account or domain (anonymous: one count per client; with a key: weighted as the party)',
      middleware: [limit.submit],
      request: jsonBody(z.strictObject({ items: z.array(identifierSchema).min(1).max(20) })),
      responses: { 200: json('what was counted (a repeat by the same reporter is not)'), ...badInput, ...tooMany },
    }),
    async (c) => {
      const token = bearer(c.req.header('authorization'));
      const key = token?.startsWith('gk_') ? await authenticate(custody, token) : null;
      // Only a key meant for reputation speaks for its organisation; any other key (a courier's) reports as anyone does.
      const p = key && hasScope(key, 'reputation') ? key : null;
      const who = p
        ? { ...partyReporter(p.party), source: 'party' as const }
        : { reporter: `ip:${blindIndex(custody.keyring, 'reporter-ip', limit.clientOf(c))}`, source: 'anonymous' as const };
      return c.json({ results: await reportIdentifiers(custody, c.req.valid('json').items, who) }, 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/reputation/appeals',
      summary: 'The owner of a reported number or account appeals; returns the appeal id and a token (shown once) to follow it',
      middleware: [limit.submit],
      request: jsonBody(appealInputSchema),
      responses: { 201: json('the appeal id and token'), ...badInput, ...notFound, ...tooMany },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const kind = z.enum(REPUTATION_KINDS).safeParse(b.kind);
      const value = kind.success ? canonicalIdentifier(kind.data, b.value) : undefined;
      if (!kind.success)
        return c.json({ error: 'invalid_input', issues: [{ field: 'kind', message: `one of ${REPUTATION_KINDS.join(', ')}` }] }, 400);
      if (!value) return c.json({ error: 'invalid_input', issues: [{ field: 'value', message: `not a valid ${kind.data}` }] }, 400);
      return c.json(await openAppeal(custody, kind.data, value, b.reason, b.contact), 201);
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reputation/appeals/{id}',
      summary: 'An appeal’s status, for its owner (Authorization: Bearer gka_… token) or a reviewer key',
      security: [{ bearer: [] }],
      middleware: [limit.lookup],
      request: { params: z.object({ id: z.string().max(40) }) },
      responses: { 200: json('the appeal'), ...notFound, ...tooMany },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const token = bearer(c.req.header('authorization')) ?? '';
      if (token.startsWith('gk_')) {
        const p = await authenticate(custody, token);
        // Appeals carry the owner's reason and contact: reviewers are authorities, not platforms.
        if (p && hasScope(p, 'reputation') && reachOf(p.party) === '*') return c.json(asRecord(await appealForReviewer(custody, id)), 200);
      }
      return c.json(asRecord(await appealStatus(custody, id, token)), 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reputation',
      summary: 'The most reported identifiers (masked), for reviewers',
      ...reviewer,
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }) },
      responses: { 200: json('entries by decayed score'), ...authErrors },
    }),
    async (c) => {
      // Entries gather every platform's victims' reports: they are for the reviewers with national reach.
      if (reachOf(c.get('principal').party) !== '*')
        throw new ForbiddenError('the reputation list is reviewed by a regulator or the police with national reach');
      return c.json({ entries: await topSubjects(custody, c.req.valid('query').limit ?? 50) }, 200);
    },
  );
  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reputation/appeals',
      summary: 'Appeals for reviewers, with the owner’s reason',
      ...reviewer,
      request: { query: z.object({ status: z.enum(['open', 'upheld', 'rejected']).optional() }) },
      responses: { 200: json('appeals, newest first'), ...authErrors },
    }),
    async (c) => {
      if (reachOf(c.get('principal').party) !== '*')
        throw new ForbiddenError('appeals are reviewed by a regulator or the police with national reach');
      return c.json({ appeals: await listAppeals(custody, c.req.valid('query').status) }, 200);
    },
  );
  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/reputation/appeals/{id}/decision',
      summary: 'Decide an appeal: upheld clears the entry, rejected keeps it; recorded in the ledger',
      ...reviewer,
      request: {
        params: z.object({ id: z.string().max(40) }),
        ...jsonBody(z.strictObject({ decision: z.enum(['upheld', 'rejected']), note: z.string().min(1).max(1000) })),
      },
      responses: { 200: json('the decided appeal'), ...badInput, ...authErrors, ...notFound },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const p = c.get('principal').party;
      // Reputation is shared by every platform's consumers: only an authority over all of them may clear it.
      if (reachOf(p) !== '*') throw new ForbiddenError('only a regulator or the police with national reach decide appeals');
      return c.json(asRecord(await decideAppeal(custody, p, c.req.valid('param').id, b.decision, b.note)), 200);
    },
  );
  return a;
}
