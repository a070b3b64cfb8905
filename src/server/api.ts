/** What every resource's sub-app shares: how refused input reads, and how a route declares the scope it needs. */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Custody, Scope } from '../custody/index.ts';
import { requireScope, type AuthEnv } from './auth.ts';
import { fieldIssues, isTooLarge } from './errors.ts';

/** A resource's sub-app: a body, query or path that fails its schema answers 400 naming the field (413 when too large). */
export function newApi(): OpenAPIHono<AuthEnv> {
  return new OpenAPIHono<AuthEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      if (isTooLarge(result.error)) return c.json({ error: 'too_large', issues: fieldIssues(result.error) }, 413);
      return c.json({ error: 'invalid_input', issues: fieldIssues(result.error) }, 400);
    },
  });
}

/**
 * A route's authorization, spread into its `createRoute`: the bearer key it documents and the scope check that
 * runs before its input is validated (without a scope, any valid key). Which targets the caller may reach is checked by the capability code
 * (custody/tenancy.ts) with the principal this sets.
 */
export function needs(custody: Custody, scope?: Scope) {
  return { security: [{ bearer: [] }], middleware: [requireScope(custody, scope)] };
}
