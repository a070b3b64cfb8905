/** Bearer-key authentication and scope checks for the non-consumer endpoints. */
import type { MiddlewareHandler } from 'hono';
import { authenticate, hasScope, type Custody, type Principal, type Scope } from '../custody/index.ts';

/** Hono variables set by `requireScope`. */
export interface AuthEnv {
  Variables: { principal: Principal };
}

/** 401 without a valid key, 403 when the key lacks `scope` (any valid key does without one); otherwise sets `principal`. */
export function requireScope(custody: Custody, scope?: Scope): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const m = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '');
    const principal = m ? await authenticate(custody, m[1] as string) : null;
    if (!principal)
      return c.json({ error: 'unauthorized', message: 'an API key is required: Authorization: Bearer gk_…' }, 401, {
        'www-authenticate': 'Bearer',
      });
    if (scope && !hasScope(principal, scope)) return c.json({ error: 'forbidden', message: `this key lacks the ${scope} scope` }, 403);
    c.set('principal', principal);
    await next();
  };
}
