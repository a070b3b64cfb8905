/** The ledger over HTTP: checkpoint, verifier key, inclusion and consistency proofs. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Custody } from '../custody/index.ts';
import { requireScope, type AuthEnv } from './auth.ts';
import { authErrors, badInput } from './schemas.ts';

const security = [{ bearer: [] }];
const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const proofSchema = z.array(z.string()).openapi({ description: 'base64 SHA-256 hashes, RFC 9162 order' });

/** Adds the ledger routes. */
export function addLedgerRoutes(app: OpenAPIHono, custody: Custody): void {
  const a = app as unknown as OpenAPIHono<AuthEnv>;
  a.use('/api/v1/ledger/*', requireScope(custody, 'ledger'));
  const { ledger } = custody;

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ledger/checkpoint',
      summary: 'The latest signed checkpoint (C2SP tlog-checkpoint signed note)',
      security,
      responses: { 200: { description: 'the note', content: { 'text/plain': { schema: z.string() } } }, ...authErrors },
    }),
    async (c) => c.text(await ledger.checkpoint(), 200),
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ledger/key',
      summary: 'The verifier key (C2SP note verifier key: name+hex key id+base64(0x01||public key))',
      security,
      responses: { 200: { description: 'the key', content: { 'text/plain': { schema: z.string() } } }, ...authErrors },
    }),
    (c) => c.text(`${ledger.verifierKey()}\n`, 200),
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ledger/inclusion',
      summary: 'Inclusion proof of an entry, with the entry and the checkpoint it leads to',
      security,
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
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await ledger.inclusion(q.index, q.size), 200);
    },
  );

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ledger/consistency',
      summary: 'Consistency proof between two tree sizes',
      security,
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
      security,
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
}
