/** The HTTP application: API, OpenAPI description, and the built web page. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { except } from 'hono/combine';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import { ForbiddenError, InputError, NotFoundError, UnavailableError, type Custody } from '../custody/index.ts';
import { PdfBusyError } from '../shared/pdf-thread.ts';
import { accountabilityApi } from './accountability-routes.ts';
import { newApi } from './api.ts';
import type { AuthEnv } from './auth.ts';
import { caseApi } from './case-routes.ts';
import { checkApi } from './check-routes.ts';
import { consoleApi } from './console-routes.ts';
import { custodyApi } from './custody-routes.ts';
import { ledgerApi } from './ledger-routes.ts';
import { limiters, trustProxyFrom, type LimitKind, type TrustProxy } from './rate-limit.ts';
import { reputationApi } from './reputation-routes.ts';
import { superviseApi } from './supervise-routes.ts';
import { traceApi } from './trace-routes.ts';
import { verifyApi } from './verify-routes.ts';

/** Request bodies above this are refused before parsing (20,000 characters of CJK is about 60 kB). */
const MAX_BODY_BYTES = 256 * 1024;

/** Where `vite build` puts the web page. */
export const WEB_DIST = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** What the app serves from: a logger (one line per request: method, path, status, time) and the custody store. */
export interface AppOptions {
  log?: Logger | undefined;
  /** Without custody only the check endpoint is served (and it cannot cite the registry). */
  custody?: Custody | undefined;
  /** Requests per minute per client on the anonymous endpoints (defaults in rate-limit.ts). */
  limits?: Partial<Record<LimitKind, number>> | undefined;
  /** Where the built web pages are (default: dist/web). */
  webRoot?: string | undefined;
  /** Which proxies may name the client (default: from GATEKEEPER_TRUST_PROXY, none when unset). */
  trustProxy?: TrustProxy | undefined;
}

/** Builds the app. Logs carry method, path, status and time: never bodies or queries. */
export function createApp({ log, custody, limits, webRoot = WEB_DIST, trustProxy }: AppOptions = {}): OpenAPIHono<AuthEnv> {
  const app = newApi();
  // The pages load only their own scripts and talk only to this server; the console's key sits in the
  // tab's storage, so no third-party script may ever run beside it. Charts set inline styles.
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
    }),
  );
  app.use('*', async (c, next) => {
    const t0 = performance.now();
    await next();
    log?.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - t0) }, 'request');
  });
  const sizeLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: 'too_large' }, 413) });
  // The bulk ingest streams; it limits each line instead of the body.
  // The bulk ingest streams and limits each line; dumps and cases with evidence have their own, larger limits.
  app.use(
    '/api/*',
    except(
      ['/api/v1/orders/bulk', '/api/v1/trace/dump', '/api/v1/trace/dump-report', '/api/v1/cases', '/api/v1/cases/:id/evidence'],
      sizeLimit,
    ),
  );
  // No id, reference or query value holds a NUL; PostgreSQL refuses one in text, which must read as bad input.
  app.use('/api/*', async (c, next) => {
    if (/%00/i.test(c.req.url))
      return c.json({ error: 'invalid_input', issues: [{ field: '(url)', message: 'may not contain NUL characters' }] }, 400);
    await next();
  });
  app.get('/healthz', (c) => c.json({ ok: true }));
  // Keys rotated from the command line beside a running server are picked up before the request uses them.
  if (custody)
    app.use('/api/*', async (_c, next) => {
      await custody.sync();
      await next();
    });
  const rate = limiters(limits, trustProxy ?? trustProxyFrom(process.env.GATEKEEPER_TRUST_PROXY));
  app.route('/', checkApi(custody, rate.check));
  if (custody) {
    app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'gk_… API key' });
    for (const api of [
      custodyApi(custody, rate),
      ledgerApi(custody),
      traceApi(custody, rate),
      verifyApi(custody, rate),
      reputationApi(custody, rate),
      caseApi(custody, rate),
      consoleApi(custody),
      superviseApi(custody, rate),
      accountabilityApi(custody, rate),
    ])
      app.route('/', api);
  }
  app.doc('/api/openapi.json', {
    openapi: '3.0.0',
    info: { title: 'Gatekeeper API', version: '0.1.0', description: 'Gatekeeper (守门人): scam check, custody, trace, report' },
  });
  app.notFound((c) => c.json({ error: 'not_found' }, 404));
  app.onError((err, c) => {
    // The JSON validator's own refusal reads like every other bad body.
    if (err instanceof HTTPException && err.status === 400 && /malformed json/i.test(err.message))
      return c.json({ error: 'invalid_json', issues: [{ field: '(body)', message: 'body is not valid JSON' }] }, 400);
    if (err instanceof HTTPException) return c.json({ error: err.message || 'error' }, err.status);
    if (err instanceof InputError) return c.json({ error: 'invalid_input', issues: err.issues }, 400);
    if (err instanceof RangeError) return c.json({ error: 'invalid_input', message: err.message }, 400);
    if (err instanceof ForbiddenError) return c.json({ error: 'forbidden', message: err.message }, 403);
    if (err instanceof NotFoundError) return c.json({ error: 'not_found', message: err.message }, 404);
    if (err instanceof UnavailableError) return c.json({ error: 'unavailable', message: err.message }, 503);
    if (err instanceof PdfBusyError) return c.json({ error: 'busy', message: err.message }, 503, { 'retry-after': '5' });
    if (err instanceof SyntaxError)
      return c.json({ error: 'invalid_json', issues: [{ field: '(body)', message: 'body is not valid JSON' }] }, 400);
    // PostgreSQL refuses a NUL in text (22021) or a character it cannot store (22P05): the input was bad.
    const pgCode = (err as { code?: unknown }).code;
    if (pgCode === '22021' || pgCode === '22P05')
      return c.json({ error: 'invalid_input', issues: [{ field: '(body)', message: 'text may not contain NUL characters' }] }, 400);
    // The class and code say what failed; messages can quote input, so they stay out of the log.
    log?.error({ errorClass: err.name, ...(typeof pgCode === 'string' ? { errorCode: pgCode } : {}), path: c.req.path }, 'unhandled error');
    return c.json({ error: 'internal_error' }, 500);
  });
  if (existsSync(webRoot)) app.use('/*', serveStatic({ root: webRoot }));
  return app;
}
