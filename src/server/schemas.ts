/** Shared OpenAPI schemas for responses. */
import { z } from '@hono/zod-openapi';
import type { ZodType } from 'zod';

/** Every error body: a code, and the fields at fault (never their values). */
export const errorSchema = z
  .object({
    error: z.string(),
    message: z.string().optional(),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Error');

/** Error responses shared by authenticated routes. */
export const authErrors = {
  401: { description: 'no valid API key', content: { 'application/json': { schema: errorSchema } } },
  403: { description: 'the key lacks the scope, or the party may not do this', content: { 'application/json': { schema: errorSchema } } },
} as const;

/** A 400 response naming fields. */
export const badInput = {
  400: { description: 'invalid input, naming the field', content: { 'application/json': { schema: errorSchema } } },
} as const;

/** A 404 response. */
export const notFound = {
  404: { description: 'not found (or not this party’s)', content: { 'application/json': { schema: errorSchema } } },
} as const;

/** A required JSON request body with this schema. */
export function jsonBody<T extends ZodType>(schema: T) {
  return { body: { required: true, content: { 'application/json': { schema } } } } as const;
}
