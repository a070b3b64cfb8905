/**
 * Reputation of numbers, receiving accounts and domains: reports weighted by who made them, one per
 * reporter, decaying with a half-life; owners can appeal, and an upheld appeal clears what came before.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import {
  entitiesOf,
  reputationKey,
  reputationQueries,
  KNOWN_SCAM_SCORE,
  type CheckInput,
  type Knowledge,
  type Reputation,
  type ReputationKind,
} from '../check/index.ts';
import {
  blindIndex,
  FIELD_AAD,
  InputError,
  NotFoundError,
  openField,
  sealField,
  type Custody,
  type IndexRebuilder,
  type Party,
} from '../custody/index.ts';
import type { Database, RepSubjectsTable } from '../store/index.ts';
import { brands } from './channels.ts';
import { maskIdentifier } from './identifiers.ts';

/** A report's weight by who made it: an anonymous consumer, a victim's case, or an authenticated party. */
export const REPORT_WEIGHTS = { anonymous: 1, case: 2, party: 3 } as const;
export type ReportSource = keyof typeof REPORT_WEIGHTS;

/** Scores halve every HALF_LIFE_DAYS without new reports. */
export const HALF_LIFE_DAYS = 30;
const DAY = 86_400_000;

/** A score decayed from `at` to `now`. */
export function decayed(score: number, at: string, now: number): number {
  return score * 2 ** (-(now - Date.parse(at)) / (HALF_LIFE_DAYS * DAY));
}

type Db = Kysely<Database> | Transaction<Database>;

/** The public view of a reputation entry. */
export interface ReputationView {
  kind: ReputationKind;
  display: string;
  score: number;
  reports: number;
  firstAt: string | null;
  lastAt: string | null;
  level: 'known_scam' | 'reported' | 'none';
  status: 'active' | 'under_appeal' | 'cleared';
}

const bidxOf = (c: Custody, kind: ReputationKind, value: string): string => blindIndex(c.keyring, `rep|${kind}`, value);

async function inTransaction<T>(c: Custody, db: Db | undefined, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db ? fn(db) : c.store.db.transaction().execute(fn);
}

/** Records one reporter's report of each identifier; a repeat by the same reporter changes nothing. */
export async function reportIdentifiers(
  c: Custody,
  items: ReadonlyArray<{ kind: ReputationKind; value: string }>,
  who: { reporter: string; source: ReportSource; caseId?: string; voucher?: string | undefined },
  db?: Db,
): Promise<{ kind: ReputationKind; display: string; counted: boolean }[]> {
  const now = Date.now();
  const at = new Date(now).toISOString();
  const weight = REPORT_WEIGHTS[who.source];
  return inTransaction(c, db, async (trx) => {
    await c.keyring.syncIndex(trx);
    const out: { kind: ReputationKind; display: string; counted: boolean }[] = [];
    for (const it of items) {
      const bidx = bidxOf(c, it.kind, it.value);
      const id = `rs_${randomBytes(8).toString('hex')}`;
      const display = maskIdentifier(it.kind, it.value);
      await trx
        .insertInto('rep_subjects')
        .values({
          id,
          kind: it.kind,
          bidx,
          value_ct: sealField(c.keyring, it.value, FIELD_AAD.reputationValue({ kind: it.kind, bidx })),
          display,
          score: 0,
          score_at: at,
          reports: 0,
          first_at: at,
          last_at: at,
          cleared_at: null,
          vouched: 0,
        })
        .onConflict((oc) => oc.columns(['kind', 'bidx']).doNothing())
        .execute();
      let q = trx.selectFrom('rep_subjects').selectAll().where('kind', '=', it.kind).where('bidx', '=', bidx);
      if (c.store.dialect === 'postgres') q = q.forUpdate();
      const s = await q.executeTakeFirstOrThrow();
      const ins = await trx
        .insertInto('rep_reports')
        .values({
          id: `rr_${randomBytes(8).toString('hex')}`,
          subject_id: s.id,
          reporter: who.reporter,
          source: who.source,
          case_id: who.caseId ?? null,
          weight,
          at,
          voucher: who.voucher ?? null,
        })
        .onConflict((oc) => oc.columns(['subject_id', 'reporter']).doNothing())
        .executeTakeFirst();
      const counted = Number(ins.numInsertedOrUpdatedRows ?? 0) > 0;
      if (counted)
        await trx
          .updateTable('rep_subjects')
          .set({
            score: decayed(s.score, s.score_at, now) + weight,
            score_at: at,
            reports: s.reports + 1,
            last_at: at,
            vouched: who.voucher === undefined ? s.vouched : await vouchersOf(trx, s.id),
          })
          .where('id', '=', s.id)
          .execute();
      out.push({ kind: it.kind, display, counted });
    }
    return out;
  });
}

/**
 * Index-key rotation's rebuilder for reputation subjects: each value opened, indexed under the current key,
 * and sealed again, since its additional data names the index.
 */
export const reindexSubjects: IndexRebuilder = async (c, trx, tick) => {
  let after = '';
  let done = 0;
  for (;;) {
    const rows = await trx
      .selectFrom('rep_subjects')
      .select(['id', 'kind', 'bidx', 'value_ct'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(500)
      .execute();
    if (rows.length === 0) return done;
    for (const r of rows) {
      const value = openField(c.keyring, r.value_ct, FIELD_AAD.reputationValue(r)).toString('utf8');
      const bidx = bidxOf(c, r.kind as ReputationKind, value);
      await trx
        .updateTable('rep_subjects')
        .set({ bidx, value_ct: sealField(c.keyring, value, FIELD_AAD.reputationValue({ kind: r.kind, bidx })) })
        .where('id', '=', r.id)
        .execute();
    }
    after = (rows[rows.length - 1] as { id: string }).id;
    done += rows.length;
    tick(rows.length);
  }
};

/**
 * Distinct vouchers of a subject's reports, an all-reach authority counting two. A voucher is the platform of
 * the matched order behind a victim's case or of the signed-in party that reported, so one platform's whole
 * tree, with the cases on its own orders, counts once.
 */
async function vouchersOf(db: Db, subjectId: string): Promise<number> {
  const rows = await db
    .selectFrom('rep_reports')
    .select('voucher')
    .distinct()
    .where('subject_id', '=', subjectId)
    .where('voucher', 'is not', null)
    .execute();
  return rows.length + (rows.some((r) => r.voucher?.startsWith('authority:')) ? 1 : 0);
}

/**
 * A subject's score decayed to `now`, rounded to cents; vouched for by fewer than two (one platform alone,
 * or anonymous reports and unmatched cases, which anyone can send) it stays below a known scam.
 */
function scoreOf(s: Pick<RepSubjectsTable, 'score' | 'score_at' | 'vouched'>, now: number): number {
  const score = Math.round(decayed(s.score, s.score_at, now) * 100) / 100;
  return s.vouched >= 2 ? score : Math.min(score, KNOWN_SCAM_SCORE - 0.01);
}

function levelOf(score: number): ReputationView['level'] {
  if (score >= KNOWN_SCAM_SCORE) return 'known_scam';
  return score > 0 ? 'reported' : 'none';
}

async function openAppealSubjects(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('appeals').select('subject_id').where('subject_id', 'in', ids).where('status', '=', 'open').execute();
  return new Set(rows.map((r) => r.subject_id));
}

/**
 * The registered official channels as reputation identifiers: every organisation's phones and SMS senders, and
 * its domains. Reports of those are mostly spoofed caller ids and look-alike claims, and anyone can file one:
 * they never make an official channel a known scam, and the check does not warn about them (the registry
 * speaks there).
 */
async function officialIdentifiers(c: Custody): Promise<Array<{ kind: ReputationKind; value: string }>> {
  return (await brands(c)).flatMap((b) => [
    ...[...b.phones].map((value) => ({ kind: 'phone' as const, value })),
    ...b.domains.map((value) => ({ kind: 'domain' as const, value })),
  ]);
}

async function isOfficial(c: Custody, kind: ReputationKind, value: string): Promise<boolean> {
  return (await officialIdentifiers(c)).some((o) => o.kind === kind && o.value === value);
}

/** A known scam that is an official channel, read as reported: its score held just below a known scam. */
const capOfficial = (view: ReputationView): ReputationView =>
  view.level === 'known_scam' ? { ...view, score: KNOWN_SCAM_SCORE - 0.01, level: 'reported' } : view;

/** What is known about one identifier (a view with zero score when nobody reported it). */
export async function lookupIdentifier(c: Custody, kind: ReputationKind, value: string): Promise<ReputationView> {
  await c.keyring.syncIndex(c.store.db);
  const s = await c.store.db
    .selectFrom('rep_subjects')
    .selectAll()
    .where('kind', '=', kind)
    .where('bidx', '=', bidxOf(c, kind, value))
    .executeTakeFirst();
  if (!s)
    return {
      kind,
      display: maskIdentifier(kind, value),
      score: 0,
      reports: 0,
      firstAt: null,
      lastAt: null,
      level: 'none',
      status: 'active',
    };
  const view = viewOf(s, Date.now(), (await openAppealSubjects(c.store.db, [s.id])).has(s.id));
  return view.level === 'known_scam' && (await isOfficial(c, kind, value)) ? capOfficial(view) : view;
}

/** A stored subject as the public sees it, its score decayed to `now`. */
function viewOf(s: RepSubjectsTable, now: number, appealed: boolean): ReputationView {
  const score = scoreOf(s, now);
  return {
    kind: s.kind as ReputationKind,
    display: s.display,
    score,
    reports: s.reports,
    firstAt: s.first_at,
    lastAt: s.last_at,
    level: levelOf(score),
    status: appealed ? 'under_appeal' : s.cleared_at && s.score === 0 ? 'cleared' : 'active',
  };
}

/** Reputation for everything in a check input, keyed as `Knowledge` wants it. */
export async function reputationFor(c: Custody, input: CheckInput): Promise<Map<string, Reputation>> {
  const { entities, caller } = entitiesOf(input);
  const qs = reputationQueries(entities, caller).slice(0, 200);
  const out = new Map<string, Reputation>();
  if (qs.length === 0) return out;
  await c.keyring.syncIndex(c.store.db);
  const byBidx = new Map(qs.map((q) => [bidxOf(c, q.kind, q.value), q]));
  const rows = await c.store.db
    .selectFrom('rep_subjects')
    .selectAll()
    .where('bidx', 'in', [...byBidx.keys()])
    .execute();
  const now = Date.now();
  for (const r of rows) {
    const q = byBidx.get(r.bidx);
    if (!q || q.kind !== r.kind || (await isOfficial(c, q.kind, q.value))) continue;
    const score = scoreOf(r, now);
    if (score <= 0.05) continue;
    out.set(reputationKey(q.kind, q.value), { kind: q.kind, value: q.value, score, reports: r.reports, lastAt: r.last_at });
  }
  return out;
}

/** Everything the check engine should know about this input: the registry and the reputation of its identifiers. */
export async function knowledgeFor(c: Custody, input: CheckInput): Promise<Knowledge> {
  return { brands: await brands(c), reputation: await reputationFor(c, input) };
}

/** An owner's appeal. */
export const appealInputSchema = z.strictObject({
  kind: z.string().max(20),
  value: z.string().min(1).max(200),
  reason: z.string().min(10, 'say why (at least 10 characters)').max(2000),
  contact: z.string().max(100).optional().describe('how the reviewer can reach the owner'),
});

const tokenHash = (t: string): string => createHash('sha256').update(t).digest('hex');

/** Open appeals one identifier may have at once. */
const MAX_OPEN_APPEALS = 5;

/** Opens an appeal against an entry; returns its id and the token that shows its status (shown once). */
export async function openAppeal(
  c: Custody,
  kind: ReputationKind,
  value: string,
  reason: string,
  contact = '',
): Promise<{ id: string; token: string }> {
  await c.keyring.syncIndex(c.store.db);
  const s = await c.store.db
    .selectFrom('rep_subjects')
    .select('id')
    .where('kind', '=', kind)
    .where('bidx', '=', bidxOf(c, kind, value))
    .executeTakeFirst();
  if (!s) throw new NotFoundError('nobody has reported this identifier');
  // Anyone may appeal, so one open appeal must not shut the owner out: a few may wait side by side.
  // PostgreSQL returns a count as a string.
  const open = await c.store.db
    .selectFrom('appeals')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('subject_id', '=', s.id)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  if (Number(open.n) >= MAX_OPEN_APPEALS)
    throw new InputError([{ field: 'value', message: `${String(MAX_OPEN_APPEALS)} appeals are already open for it` }]);
  const id = `ap_${randomBytes(6).toString('hex')}`;
  const token = `gka_${randomBytes(24).toString('base64url')}`;
  await c.store.db
    .insertInto('appeals')
    .values({
      id,
      subject_id: s.id,
      status: 'open',
      reason_ct: sealField(c.keyring, JSON.stringify({ reason, contact }), FIELD_AAD.appealReason({ id })),
      token_hash: tokenHash(token),
      opened_at: new Date().toISOString(),
      decided_at: null,
      decided_by: null,
      decision: null,
    })
    .execute();
  return { id, token };
}

/** An appeal as its owner or a reviewer sees it. */
export interface AppealView {
  id: string;
  kind: string;
  display: string;
  status: 'open' | 'upheld' | 'rejected';
  openedAt: string;
  decidedAt: string | null;
  decision: string | null;
  /** Only for reviewers. */
  reason?: string;
  contact?: string;
}

function appealQuery(db: Kysely<Database>) {
  return db
    .selectFrom('appeals')
    .innerJoin('rep_subjects', 'rep_subjects.id', 'appeals.subject_id')
    .select([
      'appeals.id',
      'appeals.status',
      'appeals.reason_ct',
      'appeals.token_hash',
      'appeals.opened_at',
      'appeals.decided_at',
      'appeals.decision',
      'rep_subjects.kind',
      'rep_subjects.display',
    ]);
}

type AppealRow = Awaited<ReturnType<ReturnType<typeof appealQuery>['executeTakeFirstOrThrow']>>;

function appealView(c: Custody, r: AppealRow, reviewer: boolean): AppealView {
  const v: AppealView = {
    id: r.id,
    kind: r.kind,
    display: r.display,
    status: r.status as AppealView['status'],
    openedAt: r.opened_at,
    decidedAt: r.decided_at,
    decision: r.decision,
  };
  if (reviewer) {
    const p = JSON.parse(openField(c.keyring, r.reason_ct, FIELD_AAD.appealReason(r)).toString('utf8')) as {
      reason: string;
      contact: string;
    };
    v.reason = p.reason;
    v.contact = p.contact;
  }
  return v;
}

/** The owner's view of an appeal; a wrong token is the same 404 as a missing appeal. */
export async function appealStatus(c: Custody, id: string, token: string): Promise<AppealView> {
  const r = await appealQuery(c.store.db).where('appeals.id', '=', id).executeTakeFirst();
  if (!r || r.token_hash !== tokenHash(token)) throw new NotFoundError('no such appeal');
  return appealView(c, r, false);
}

/** One appeal for a reviewer. */
export async function appealForReviewer(c: Custody, id: string): Promise<AppealView> {
  const r = await appealQuery(c.store.db).where('appeals.id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError('no such appeal');
  return appealView(c, r, true);
}

/** Appeals for reviewers, newest first. */
export async function listAppeals(c: Custody, status?: AppealView['status'], limit = 100): Promise<AppealView[]> {
  let q = appealQuery(c.store.db).orderBy('appeals.opened_at', 'desc').limit(limit);
  if (status) q = q.where('appeals.status', '=', status);
  return (await q.execute()).map((r) => appealView(c, r, true));
}

/** A reviewer's decision. Upheld clears the entry: earlier reports stop counting, later ones count afresh. */
export async function decideAppeal(
  c: Custody,
  actor: Party,
  id: string,
  decision: 'upheld' | 'rejected',
  note: string,
): Promise<AppealView> {
  const now = new Date().toISOString();
  await c.ledger.write(async (trx, log) => {
    const a = await trx.selectFrom('appeals').select(['subject_id', 'status']).where('id', '=', id).executeTakeFirst();
    if (!a) throw new NotFoundError('no such appeal');
    if (a.status !== 'open') throw new InputError([{ field: 'decision', message: `the appeal is already ${a.status}` }]);
    await trx
      .updateTable('appeals')
      .set({ status: decision, decided_at: now, decided_by: actor.id, decision: note })
      .where('id', '=', id)
      .execute();
    if (decision === 'upheld') {
      await trx.updateTable('rep_subjects').set({ score: 0, score_at: now, cleared_at: now }).where('id', '=', a.subject_id).execute();
      // The entry is cleared: the other appeals waiting on it have what they asked for.
      await trx
        .updateTable('appeals')
        .set({ status: 'upheld', decided_at: now, decided_by: actor.id, decision: `cleared by appeal ${id}` })
        .where('subject_id', '=', a.subject_id)
        .where('status', '=', 'open')
        .execute();
    }
    log.add({ t: 'registry', at: now, party: actor.id, action: `appeal.${decision}`, subject: id });
  });
  const r = await appealQuery(c.store.db).where('appeals.id', '=', id).executeTakeFirstOrThrow();
  return appealView(c, r, true);
}

/** The most reported identifiers (decayed score), for the console. */
export async function topSubjects(c: Custody, limit = 50): Promise<ReputationView[]> {
  const rows = await c.store.db.selectFrom('rep_subjects').selectAll().orderBy('last_at', 'desc').limit(2000).execute();
  const now = Date.now();
  const open = await openAppealSubjects(
    c.store.db,
    rows.map((r) => r.id),
  );
  // Registered official channels are capped below a known scam here too, as in every lookup.
  await c.keyring.syncIndex(c.store.db);
  const official = new Set((await officialIdentifiers(c)).map((o) => `${o.kind}|${bidxOf(c, o.kind, o.value)}`));
  return rows
    .map((s) => {
      const view = viewOf(s, now, open.has(s.id));
      return official.has(`${s.kind}|${s.bidx}`) ? capOfficial(view) : view;
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}
