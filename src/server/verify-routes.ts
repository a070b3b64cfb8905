/** Verify over HTTP: the public directory and caller checks, contact-record buckets, channel and contact registration. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Custody } from '../custody/index.ts';
import {
  bucketEntries,
  bucketQuerySchema,
  callerVerdict,
  contactInputSchema,
  directory,
  recordContacts,
  register,
  registrationSchema,
  unregister,
} from '../verify/index.ts';
import { needs, newApi } from './api.ts';
import type { AuthEnv } from './auth.ts';
import type { Limiters } from './rate-limit.ts';
import { authErrors, badInput, jsonBody, notFound } from './schemas.ts';

const tooMany = { 429: { description: 'rate limited' } } as const;
const json = (description: string) => ({ description, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } });

const channel = z.object({ id: z.string(), kind: z.string(), value: z.string(), label: z.string() });
const directoryEntry = z
  .object({
    party: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
    channels: z.array(channel),
    never: z.array(z.string()),
  })
  .openapi('DirectoryEntry');

/**
 * The verify routes. The directory and the caller checks are anonymous and rate limited per client (`limit`);
 * channels need `registry` and contacts `contacts`, each within the caller's own organisation.
 */
export function verifyApi(custody: Custody, limit: Limiters): OpenAPIHono<AuthEnv> {
  const a = newApi();

  a.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/directory',
      summary: 'The public directory of registered official channels and never-do policies',
      middleware: [limit.lookup],
      responses: {
        200: { description: 'every registered organisation', content: { 'application/json': { schema: z.array(directoryEntry) } } },
        ...tooMany,
      },
    }),
    async (c) => c.json(await directory(custody), 200),
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/verify/number',
      summary: 'Is this number registered as an official channel, by whom, what do they never do, and has it been reported?',
      middleware: [limit.lookup],
      request: jsonBody(z.strictObject({ number: z.string().min(1).max(40) })),
      responses: { 200: json('the public half of verifying a caller'), ...badInput, ...tooMany },
    }),
    async (c) => c.json((await callerVerdict(custody, c.req.valid('json').number)) as unknown as Record<string, unknown>, 200),
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/verify/contacts',
      summary:
        'k-anonymity lookup of contact records: every entry in one hash-prefix bucket and time window, each sealed for whoever knows both numbers',
      description:
        'The client computes PBKDF2-SHA256 over its own phone and the number that called, under the salt that `POST /api/v1/verify/number` returns in `lookup` (see src/verify/contact-crypto.ts), sends the first `lookup.bits` bits as an integer, and opens locally the entries whose tag matches. The server never learns the phone; docs/verify-privacy.md says what it does learn.',
      middleware: [limit.bucket],
      request: jsonBody(bucketQuerySchema),
      responses: {
        200: {
          description: 'the bucket',
          content: { 'application/json': { schema: z.object({ entries: z.array(z.object({ tag: z.string(), payload: z.string() })) }) } },
        },
        ...badInput,
        ...tooMany,
      },
    }),
    async (c) => c.json({ entries: await bucketEntries(custody, c.req.valid('json')) }, 200),
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/channels',
      summary: 'Register official channels (phone, SMS sender, account, domain, name) and the never-do policy',
      ...needs(custody, 'registry'),
      request: jsonBody(registrationSchema),
      responses: {
        200: { description: 'the organisation’s entry', content: { 'application/json': { schema: directoryEntry } } },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => c.json(await register(custody, c.get('principal').party, c.req.valid('json')), 200),
  );
  a.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/channels/{id}',
      summary: 'Remove a registered channel',
      ...needs(custody, 'registry'),
      request: { params: z.object({ id: z.string().max(40) }) },
      responses: { 204: { description: 'removed' }, ...authErrors, ...notFound },
    }),
    async (c) => {
      await unregister(custody, c.get('principal').party, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  a.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/contacts',
      summary: 'File outbound contacts (all or none): agent, order or consumer, channel, registered number used, time, reason',
      ...needs(custody, 'contacts'),
      request: jsonBody(z.strictObject({ contacts: z.array(contactInputSchema).min(1).max(1000) })),
      responses: {
        201: {
          description: 'filed (a contact filed before is kept once)',
          content: { 'application/json': { schema: z.object({ ids: z.array(z.string()), added: z.number() }) } },
        },
        ...badInput,
        ...authErrors,
      },
    }),
    async (c) => c.json(await recordContacts(custody, c.get('principal').party, c.req.valid('json').contacts), 201),
  );
  return a;
}
