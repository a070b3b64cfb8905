/**
 * Accountability alerts: a platform or authority registers a webhook; a sweep files one event per lead at or
 * above the hook's threshold (per party and Beijing day) and per consumer flag in its reach, each once (the
 * event id is a hash of hook and subject, the idempotency key); delivery POSTs each event signed with the
 * hook's secret (HMAC-SHA256 over timestamp and body) and retries with backoff until the receiver answers 2xx.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { getParties, InputError, NotFoundError, openField, sealField, type Custody, type Party } from '../custody/index.ts';
import { must } from '../shared/at.ts';
import { beijingDayHour } from './accountability.ts';
import { accountabilityReach } from './activity.ts';
import { readAccountability } from './analysis-thread.ts';
import { listFlags } from './flags.ts';
import { keyUses } from './keys.ts';
import { LEADS_NOTICE } from './reasons.ts';
import { refusedHost, refusedTarget } from './webhook-target.ts';

/** Delivery attempts before an event is given up (backoff 1, 2, 4 … minutes: about four hours in all). */
export const MAX_ATTEMPTS = 8;
/** Active webhooks one party may hold. */
export const MAX_HOOKS = 5;
/** Active webhooks one organisation may hold, all its parties together (a platform can create parties at will). */
export const MAX_ORG_HOOKS = 20;
/** Hooks of one organisation served in one delivery round, so that many hooks of one tenant crowd out nobody. */
const ORG_HOOKS_PER_ROUND = 5;
const SECRET_AAD = 'alert_hooks.secret';

/** When an event that failed after `attempts` earlier tries is due again: 1, 2, 4 … minutes later. */
const retryAt = (now: Date, attempts: number): string => new Date(now.getTime() + 60_000 * 2 ** attempts).toISOString();
const DAY = 86_400_000;

/** Where a hook may point: https, or http to this machine when GATEKEEPER_WEBHOOK_INSECURE=1 (development). */
export const hookSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .refine((u) => u.startsWith('https://') || process.env.GATEKEEPER_WEBHOOK_INSECURE === '1', 'must be an https URL')
    .refine(
      (u) => refusedHost(u) === null,
      'must be a public host (not this machine or a private network), without a user name or password',
    ),
  threshold: z.number().min(0).max(1000).default(10),
});

/** A registered hook as its owner sees it (never the secret). */
export interface HookView {
  id: string;
  url: string;
  threshold: number;
  created_at: string;
}

/** Registers a hook for the caller's reach; the secret is returned only here. */
export async function addHook(c: Custody, me: Party, input: unknown): Promise<HookView & { secret: string }> {
  accountabilityReach(me);
  const parsed = hookSchema.safeParse(input);
  if (!parsed.success) throw new InputError(parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })));
  const id = `hook_${randomBytes(8).toString('hex')}`;
  const secret = `gkw_${randomBytes(32).toString('base64url')}`;
  const row = {
    id,
    party_id: me.id,
    url: parsed.data.url,
    secret_ct: sealField(c.keyring, secret, `${SECRET_AAD}|${id}`),
    threshold: parsed.data.threshold,
    created_at: new Date().toISOString(),
    revoked_at: null,
  };
  // Counted and inserted inside the ledger's write, which one writer holds at a time (across processes on
  // PostgreSQL): requests at once cannot all pass the count.
  await c.ledger.write(async (trx) => {
    const held = await trx
      .selectFrom('alert_hooks')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('party_id', '=', me.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    // Each hook costs an analysis every sweep, shared by every tenant: a party holds a few, an organisation a few more.
    if (Number(held.n) >= MAX_HOOKS)
      throw new InputError([{ field: 'url', message: `a party holds at most ${String(MAX_HOOKS)} webhooks` }]);
    const org = me.tenantId ?? me.id;
    const orgHeld = await trx
      .selectFrom('alert_hooks as h')
      .innerJoin('parties as p', 'p.id', 'h.party_id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('h.revoked_at', 'is', null)
      .where((eb) => eb.or([eb('p.tenant_id', '=', org), eb('p.id', '=', org)]))
      .executeTakeFirstOrThrow();
    if (Number(orgHeld.n) >= MAX_ORG_HOOKS)
      throw new InputError([{ field: 'url', message: `an organisation holds at most ${String(MAX_ORG_HOOKS)} webhooks` }]);
    await trx.insertInto('alert_hooks').values(row).execute();
  });
  return { id, url: row.url, threshold: row.threshold, created_at: row.created_at, secret };
}

/** The caller's own active hooks. */
export async function listHooks(c: Custody, me: Party): Promise<HookView[]> {
  accountabilityReach(me);
  return c.store.db
    .selectFrom('alert_hooks')
    .select(['id', 'url', 'threshold', 'created_at'])
    .where('party_id', '=', me.id)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

/** Revokes one of the caller's hooks (another's reads as absent); its pending events are no longer sent. */
export async function revokeHook(c: Custody, me: Party, id: string): Promise<void> {
  accountabilityReach(me);
  const r = await c.store.db
    .updateTable('alert_hooks')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('party_id', '=', me.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new NotFoundError('no such webhook');
}

const eventId = (hook: string, subject: string): string =>
  `evt_${createHash('sha256').update(`${hook}|${subject}`).digest('hex').slice(0, 32)}`;

/** Files the events due for every active hook at `now`; returns how many were new. */
export async function sweepAlerts(c: Custody, now = new Date()): Promise<number> {
  const hooks = await c.store.db.selectFrom('alert_hooks').selectAll().where('revoked_at', 'is', null).execute();
  const owners = await getParties(
    c,
    hooks.map((h) => h.party_id),
  );
  const at = now.toISOString();
  const { day } = beijingDayHour(now.getTime());
  let filed = 0;
  // One analysis per reach, whatever number of hooks share it.
  const byReach = new Map<string, ReturnType<typeof readAccountability>>();
  for (const h of hooks) {
    const me = owners.get(h.party_id);
    if (me === undefined) continue;
    const events: { id: string; kind: string; payload: string }[] = [];
    const reachKey = JSON.stringify(accountabilityReach(me));
    const analysis =
      byReach.get(reachKey) ?? readAccountability(c, me, { since: new Date(now.getTime() - 7 * DAY).toISOString(), until: at });
    byReach.set(reachKey, analysis);
    const acc = await analysis;
    for (const a of acc.anomalies)
      if (a.score >= h.threshold)
        events.push({
          // One alert per party and Beijing day: a lead that stays up is not sent again every minute.
          id: eventId(h.id, `lead|${a.party}|${day}`),
          kind: 'lead',
          payload: JSON.stringify({
            type: 'lead',
            party: { id: a.party, name: a.name, kind: a.kind },
            score: a.score,
            reasons: a.reasons,
            keys: keyUses(must(acc.profiles.get(a.party), 'a lead’s profile'), acc.mints),
            notice: LEADS_NOTICE,
          }),
        });
    for (const f of await listFlags(c, me, { since: h.created_at, limit: 1000 }))
      events.push({ id: eventId(h.id, `flag|${f.id}`), kind: 'flag', payload: JSON.stringify({ type: 'flag', flag: f }) });
    for (const e of events) {
      const r = await c.store.db
        .insertInto('alert_events')
        .values({ ...e, hook_id: h.id, created_at: at, attempts: 0, next_at: at, delivered_at: null, last_status: null })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (r !== undefined) filed++;
    }
  }
  return filed;
}

/** How an event is sent: the receiver checks `x-gatekeeper-signature` = `v1=` HMAC-SHA256(secret, `${timestamp}.${body}`) in hex. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Receivers contacted at once: a slow one holds up only its own events. */
const PARALLEL_HOOKS = 4;

/**
 * Sends the events due at `now` to active hooks, at most `limit` in all; returns how many were delivered.
 * Every hook with events due gets its share of the round (oldest first within it), hooks are served a few at
 * a time, and a receiver that cannot be reached (or times out) is not tried again until its next round, so one
 * tenant's dead or slow receiver delays nobody else's alerts.
 */
export async function deliverAlerts(c: Custody, now = new Date(), limit = 100): Promise<number> {
  const dueEvents = c.store.db
    .selectFrom('alert_events as e')
    .innerJoin('alert_hooks as h', 'h.id', 'e.hook_id')
    .where('e.delivered_at', 'is', null)
    .where('h.revoked_at', 'is', null)
    .where('e.attempts', '<', MAX_ATTEMPTS)
    .where('e.next_at', '<=', now.toISOString());
  const dueHooks = await dueEvents
    .innerJoin('parties as p', 'p.id', 'h.party_id')
    .select((eb) => ['e.hook_id', 'p.tenant_id', 'p.id as party', eb.fn.min('e.next_at').as('first')])
    .groupBy(['e.hook_id', 'p.tenant_id', 'p.id'])
    .orderBy('first')
    .execute();
  // Oldest first, but at most a few hooks of one organisation a round: a tenant with many hooks that fail
  // (their events stay due) waits its turn instead of filling every round.
  const perOrg = new Map<string, number>();
  const hooks = dueHooks
    .filter((h) => {
      const org = h.tenant_id ?? h.party;
      const n = perOrg.get(org) ?? 0;
      perOrg.set(org, n + 1);
      return n < ORG_HOOKS_PER_ROUND;
    })
    .slice(0, limit);
  if (hooks.length === 0) return 0;
  const share = Math.max(1, Math.floor(limit / hooks.length));
  const serve = async (hookId: string): Promise<number> => {
    const due = await dueEvents
      .select(['e.id', 'e.hook_id', 'e.payload', 'e.attempts', 'h.url', 'h.secret_ct'])
      .where('e.hook_id', '=', hookId)
      .orderBy('e.next_at')
      .limit(share)
      .execute();
    let delivered = 0;
    for (const e of due) {
      const status = await send(c, e, now);
      if (status >= 200 && status < 300) delivered++;
      if (status === 0) {
        // An unreachable receiver waits out its backoff with all its events, so that it is not the oldest again next round.
        const until = retryAt(now, e.attempts);
        await c.store.db
          .updateTable('alert_events')
          .set({ next_at: until })
          .where('hook_id', '=', hookId)
          .where('delivered_at', 'is', null)
          .where('next_at', '<', until)
          .execute();
        break;
      }
    }
    return delivered;
  };
  let delivered = 0;
  for (let i = 0; i < hooks.length; i += PARALLEL_HOOKS)
    for (const n of await Promise.all(hooks.slice(i, i + PARALLEL_HOOKS).map((h) => serve(h.hook_id)))) delivered += n;
  return delivered;
}

/** Sends one event and records the attempt; returns the receiver's status (0 when it was not reached). */
async function send(
  c: Custody,
  e: { id: string; hook_id: string; payload: string; attempts: number; url: string; secret_ct: string },
  now: Date,
): Promise<number> {
  const secret = openField(c.keyring, e.secret_ct, `${SECRET_AAD}|${e.hook_id}`).toString('utf8');
  const timestamp = String(Math.floor(now.getTime() / 1000));
  // A receiver that cannot be reached counts as status 0 and is retried like any other failure; so does a
  // name that now resolves to an internal address, which is not contacted at all.
  const status =
    (await refusedTarget(e.url)) !== null
      ? 0
      : await fetch(e.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-gatekeeper-event': e.id,
            'x-gatekeeper-timestamp': timestamp,
            'x-gatekeeper-signature': signature(secret, timestamp, e.payload),
          },
          body: e.payload,
          redirect: 'error',
          signal: AbortSignal.timeout(5000),
        }).then(
          (r) => r.status,
          () => 0,
        );
  const ok = status >= 200 && status < 300;
  await c.store.db
    .updateTable('alert_events')
    .set({
      attempts: e.attempts + 1,
      last_status: status,
      delivered_at: ok ? now.toISOString() : null,
      next_at: retryAt(now, e.attempts),
    })
    .where('id', '=', e.id)
    .execute();
  return status;
}

/** An event as the console's feed shows it. */
export interface AlertView {
  id: string;
  kind: string;
  payload: unknown;
  created_at: string;
  attempts: number;
  delivered_at: string | null;
  last_status: number | null;
}

/** The caller's alerts, newest first (its own hooks' events). */
export async function listAlerts(c: Custody, me: Party, limit = 100): Promise<AlertView[]> {
  accountabilityReach(me);
  const rows = await c.store.db
    .selectFrom('alert_events as e')
    .innerJoin('alert_hooks as h', 'h.id', 'e.hook_id')
    .select(['e.id', 'e.kind', 'e.payload', 'e.created_at', 'e.attempts', 'e.delivered_at', 'e.last_status'])
    .where('h.party_id', '=', me.id)
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
}
