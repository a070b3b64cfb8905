/** The ledger over HTTP: checkpoint, verifier key, inclusion and consistency proofs. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { needs, newApi } from './api.ts';
import { getParty, isAuthority, NotFoundError, reaches, reachOf, type Custody, type Party } from '../custody/index.ts';
import type { AuthEnv } from './auth.ts';
import { authErrors, badInput, notFound } from './schemas.ts';

const size = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a whole number')
  .transform(Number)
  .openapi({ type: 'integer', minimum: 0 });

/**
 * Whether a caller may read the entry an index holds: its own; for a platform or an authority, one about a
 * party of its tree or jurisdiction; for all-reach authorities, also one about no party (a case, the operator).
 * Other parties of the same tree may not: a leaf carries its party's aliases and virtual numbers, with which a
 * station's courier could forge a dump that frames the station.
 */
async function mayRead(custody: Custody, me: Party, index: number): Promise<boolean> {
  const row = await custody.store.db.selectFrom('ledger').select('party').where('idx', '=', index).executeTakeFirst();
  if (!row) return true;
  if (row.party === me.id || reachOf(me) === '*') return true;
  if (me.kind !== 'platform' && !isAuthority(me)) return false;
  const about = await getParty(custody, row.party);
  return about !== null && reaches(me, about.tenantId);
}
const proofSchema = z.array(z.string()).openapi({ description: 'base64 SHA-256 hashes, RFC 9162 order' });

/** The ledger's routes; every one needs the `ledger` scope, and proofs of entries only for entries the caller may read. */
export function ledgerApi(custody: Custody): OpenAPIHono<AuthEnv> {
  const a = newApi();
  const auth = needs(custody, 'ledger');
  const { ledger } = custody;

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ledger/checkpoint',
      summary: 'The latest signed checkpoint (C2SP tlog-checkpoint signed note)',
      ...auth,
      responses: { 200: { description: 'the note', content: { 'text/plain': { schema: z.string() } } }, ...authErrors },
    }),
    async (c) => c.text(await ledger.checkpoint(), 200),
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ledger/key',
      summary: 'The verifier key (C2SP note verifier key: name+hex key id+base64(0x01||public key))',
      ...auth,
      responses: { 200: { description: 'the key', content: { 'text/plain': { schema: z.string() } } }, ...authErrors },
    }),
    (c) => c.text(`${ledger.verifierKey()}\n`, 200),
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ledger/inclusion',
      summary: 'Inclusion proof of an entry, with the entry and the checkpoint it leads to',
      ...auth,
      request: { query: z.object({ index: size, size: size.optional() }) },
      responses: {
        200: {
          description: 'the proof',
          content: {
            'application/json': {
              schema: z.object({ index: z.number(), size: z.number(), leaf: z.string(), proof: proofSchema, checkpoint: z.string() }),
            },
          },
        },
        ...badInput,
        ...authErrors,
        ...notFound,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      // The leaf names other parties' aliases and virtual numbers: it is shown only to who may read it.
      if (!(await mayRead(custody, c.get('principal').party, q.index)))
        throw new NotFoundError('no such entry among those this key may read');
      return c.json(await ledger.inclusion(q.index, q.size), 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ledger/consistency',
      summary: 'Consistency proof between two tree sizes',
      ...auth,
      request: { query: z.object({ first: size, second: size.optional() }) },
      responses: {
        200: {
          description: 'the proof',
          content: {
            'application/json': { schema: z.object({ first: z.number(), second: z.number(), proof: proofSchema, checkpoint: z.string() }) },
          },
        },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await ledger.consistency(q.first, q.second), 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ledger/mine',
      summary: "The caller's own ledger entries, each with its inclusion proof in the latest checkpoint (self-audit)",
      ...auth,
      request: { query: z.object({ from: size.default(0), limit: z.coerce.number().int().min(1).max(1000).default(100) }) },
      responses: {
        200: {
          description: 'entries and the checkpoint they are proven against',
          content: {
            'application/json': {
              schema: z.object({
                checkpoint: z.string(),
                entries: z.array(z.object({ index: z.number(), leaf: z.string(), proof: proofSchema })),
              }),
            },
          },
        },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await ledger.entriesOf(c.get('principal').party.id, q.from, q.limit), 200);
    },
  );
  return a;
}
