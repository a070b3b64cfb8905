/**
 * Case intake: one transaction writes the sealed facts, the evidence, the victim's token, the ledger
 * entries and the reputation reports, so a failure leaves nothing behind. Identical resubmissions merge.
 */
import { createHash, randomBytes } from 'node:crypto';
import { canonicalPhone, type ReputationKind } from '../check/index.ts';
import {
  blindIndex,
  FIELD_AAD,
  InputError,
  NotFoundError,
  openField,
  phoneIndex,
  sealField,
  type Custody,
  type IndexRebuilder,
} from '../custody/index.ts';
import type { LedgerWriter } from '../ledger/index.ts';
import type { Database } from '../store/index.ts';
import { canonicalDomain, canonicalIdentifier, reportIdentifiers } from '../verify/index.ts';
import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import { checkEvidence, MAX_CASE_BYTES, MAX_CASE_FILES, type CheckedFile, type Upload } from './evidence.ts';
import { caseInputSchema, type CaseInput } from './schema.ts';

/**
 * What the victim gets back: the case number and, once, the token that opens the case. A resubmission that
 * merges into an existing case gets no token and adds no files: knowing a case's facts must not open or change it.
 */
export interface CaseReceipt {
  id: string;
  token: string | null;
  merged: boolean;
  evidence: { sha256: string; mime: string; size: number; ledgerIndex: number }[];
  ledgerIndex: number;
}

/** A case as its victim or the police see it. */
export interface CaseRecord {
  id: string;
  status: string;
  createdAt: string;
  lossYuan: number;
  orderId: string | null;
  ledgerIndex: number;
  commitment: string;
  facts: CaseInput;
  evidence: { id: string; name: string; mime: string; size: number; sha256: string; ledgerIndex: number; createdAt: string }[];
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const tokenHash = (t: string): string => createHash('sha256').update(t).digest('hex');

function caseNumber(now: Date): string {
  const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  const r = randomBytes(6);
  let s = '';
  for (const b of r) s += CROCKFORD.charAt(b & 31);
  return `GK${day}-${s}`;
}

/** The scammer's identifiers a case reports, in canonical form, for reputation. */
export function reportedIdentifiers(f: CaseInput): { kind: ReputationKind; value: string }[] {
  const out = new Map<string, { kind: ReputationKind; value: string }>();
  const put = (kind: ReputationKind, value: string | undefined): void => {
    if (value) out.set(`${kind}:${value}`, { kind, value });
  };
  for (const n of f.scammer.numbers) put('phone', canonicalPhone(n));
  for (const a of f.scammer.accounts) put(a.kind, canonicalIdentifier(a.kind, a.value));
  for (const t of f.transfers) if (t.to) put(t.to.kind, canonicalIdentifier(t.to.kind, t.to.value));
  for (const l of f.scammer.links) put('domain', canonicalDomain(l));
  return [...out.values()];
}

const canonicalJson = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

/** The blind index that merges identical resubmissions of a case. */
const caseDedup = (c: Custody, facts: CaseInput): string => blindIndex(c.keyring, 'case', canonicalJson(facts));

/** The victim's blind index, which makes one victim one reporter of each identifier however many cases they file. */
const victimIndex = (c: Custody, facts: CaseInput): string | undefined =>
  facts.victim.phone ? blindIndex(c.keyring, 'victim', canonicalPhone(facts.victim.phone) ?? '') : undefined;

/**
 * The order a case names, when the victim's phone is that order's: an order number alone could be any
 * platform's (or one a tenant registered to catch other platforms' cases), so without the phone nothing links.
 */
async function linkOrder(c: Custody, db: Kysely<Database>, f: CaseInput): Promise<{ id: string; platformId: string } | null> {
  if (!f.order) return null;
  const victim = f.victim.phone ? canonicalPhone(f.victim.phone)?.replace(/^\+86/, '') : undefined;
  if (!victim) return null;
  // Another tenant can ingest a copy of a leaked order (same number, same phone) to pull the victim's case
  // away from its platform; the copy is always ingested after the order it was leaked from, so the first wins.
  const first = await db
    .selectFrom('orders')
    .select(['id', 'platform_id'])
    .where('platform_order_id', '=', f.order.platform_order_id)
    .where('phone_bidx', '=', phoneIndex(c.keyring, victim))
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  return first ? { id: first.id, platformId: first.platform_id } : null;
}

async function storeEvidence(
  c: Custody,
  trx: Transaction<Database>,
  log: LedgerWriter,
  caseId: string,
  files: readonly CheckedFile[],
  at: string,
): Promise<CaseReceipt['evidence']> {
  const out: CaseReceipt['evidence'] = [];
  for (const f of files) {
    const had = await trx
      .selectFrom('evidence')
      .select('ledger_idx')
      .where('case_id', '=', caseId)
      .where('sha256', '=', f.sha256)
      .executeTakeFirst();
    if (had) {
      out.push({ sha256: f.sha256, mime: f.mime, size: f.bytes.length, ledgerIndex: had.ledger_idx });
      continue;
    }
    const id = `ev_${randomBytes(8).toString('hex')}`;
    const idx = log.add({ t: 'evidence', at, party: 'consumer', case: caseId, sha256: f.sha256, size: f.bytes.length, mime: f.mime });
    await trx
      .insertInto('evidence')
      .values({
        id,
        case_id: caseId,
        sha256: f.sha256,
        mime: f.mime,
        size: f.bytes.length,
        name_ct: sealField(c.keyring, f.name.slice(0, 200), FIELD_AAD.evidenceName({ id })),
        blob_ct: sealField(c.keyring, f.bytes, FIELD_AAD.evidenceBlob({ id })),
        ledger_idx: idx,
        created_at: at,
      })
      .execute();
    out.push({ sha256: f.sha256, mime: f.mime, size: f.bytes.length, ledgerIndex: idx });
  }
  return out;
}

/** Takes a case with its evidence. Bad input throws InputError naming the field; nothing is written then. */
export async function createCase(c: Custody, input: unknown, uploads: readonly Upload[] = []): Promise<CaseReceipt> {
  const parsed = caseInputSchema.safeParse(input);
  if (!parsed.success) throw InputError.fromZod(parsed.error);
  const facts = parsed.data;
  const files = await checkEvidence(uploads);
  const now = new Date();
  const at = now.toISOString();
  const token = `gkc_${randomBytes(32).toString('base64url')}`;
  return c.ledger.write(async (trx, log) => {
    // Indexes are computed here, under the ledger's lock, which an index-key rotation holds while it runs.
    await c.keyring.syncIndex(trx);
    const dedup = caseDedup(c, facts);
    const linked = await linkOrder(c, trx, facts);
    const victimKey = victimIndex(c, facts);
    const existing = await trx.selectFrom('cases').select(['id', 'ledger_idx']).where('dedup', '=', dedup).executeTakeFirst();
    const id = existing?.id ?? caseNumber(now);
    let ledgerIndex = existing?.ledger_idx ?? -1;
    if (!existing) {
      const salt = randomBytes(32).toString('hex');
      const sealedFacts = JSON.stringify({ salt, facts });
      const commitment = createHash('sha256').update(sealedFacts).digest('hex');
      ledgerIndex = log.add({ t: 'case', at, party: 'consumer', case: id, commitment });
      await trx
        .insertInto('cases')
        .values({
          id,
          status: 'received',
          dedup,
          facts_ct: sealField(c.keyring, sealedFacts, FIELD_AAD.caseFacts({ id })),
          commitment,
          order_id: linked?.id ?? null,
          loss_cents: Math.round(facts.transfers.reduce((s, t) => s + t.amount_yuan, 0) * 100),
          ledger_idx: ledgerIndex,
          created_at: at,
        })
        .execute();
      // A case vouches for what it reports only through a matched order, and then as that order's platform.
      await reportIdentifiers(
        c,
        reportedIdentifiers(facts),
        { reporter: `case:${victimKey ?? id}`, source: 'case', caseId: id, voucher: linked ? `org:${linked.platformId}` : undefined },
        trx,
      );
    }
    if (!existing)
      await trx
        .insertInto('case_tokens')
        .values({ hash: tokenHash(token), case_id: id, created_at: at })
        .execute();
    // Files reach an existing case only with its token (the evidence route): knowing its facts is not enough.
    const evidence = existing ? [] : await storeEvidence(c, trx, log, id, files, at);
    return { id, token: existing ? null : token, merged: existing !== undefined, evidence, ledgerIndex };
  });
}

/**
 * Index-key rotation's rebuilder for cases: each case's dedup index and, for a victim who gave a phone, the
 * reporter name their reputation reports carry (`case:<victim index>`), both from the sealed facts.
 */
export const reindexCases: IndexRebuilder = async (c, trx, tick) => {
  let after = '';
  let done = 0;
  for (;;) {
    const rows = await trx.selectFrom('cases').select(['id', 'facts_ct']).where('id', '>', after).orderBy('id').limit(500).execute();
    if (rows.length === 0) return done;
    for (const r of rows) {
      const { facts } = JSON.parse(openField(c.keyring, r.facts_ct, FIELD_AAD.caseFacts(r)).toString('utf8')) as { facts: CaseInput };
      await trx
        .updateTable('cases')
        .set({ dedup: caseDedup(c, facts) })
        .where('id', '=', r.id)
        .execute();
      const victim = victimIndex(c, facts);
      if (victim)
        await trx
          .updateTable('rep_reports')
          .set({ reporter: `case:${victim}` })
          .where('case_id', '=', r.id)
          .where('reporter', 'like', 'case:%')
          .execute();
    }
    after = (rows[rows.length - 1] as { id: string }).id;
    done += rows.length;
    tick(rows.length);
  }
};

/** Adds evidence to an existing case. */
export async function addEvidence(c: Custody, caseId: string, uploads: readonly Upload[]): Promise<CaseReceipt['evidence']> {
  if (uploads.length === 0) throw new InputError([{ field: 'evidence', message: 'no file was sent' }]);
  const files = await checkEvidence(uploads);
  const at = new Date().toISOString();
  return c.ledger.write(async (trx, log) => {
    const has = await trx.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
    if (!has) throw new NotFoundError('no such case');
    const held = await trx
      .selectFrom('evidence')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.sum<number | string | null>('size').as('bytes')])
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
    if (Number(held.n) + files.length > MAX_CASE_FILES || Number(held.bytes ?? 0) + bytes > MAX_CASE_BYTES)
      throw new InputError([
        {
          field: 'evidence',
          message: `a case holds at most ${String(MAX_CASE_FILES)} files of ${String(MAX_CASE_BYTES / 1048576)} MB in all`,
        },
      ]);
    return storeEvidence(c, trx, log, caseId, files, at);
  });
}

/** The case a victim token opens, or undefined. */
export async function caseForToken(c: Custody, token: string): Promise<string | undefined> {
  const row = await c.store.db.selectFrom('case_tokens').select('case_id').where('hash', '=', tokenHash(token)).executeTakeFirst();
  return row?.case_id;
}

/** A case with its facts opened. */
export async function getCase(c: Custody, id: string): Promise<CaseRecord> {
  const r = await c.store.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError('no such case');
  const { facts } = JSON.parse(openField(c.keyring, r.facts_ct, FIELD_AAD.caseFacts({ id })).toString('utf8')) as { facts: CaseInput };
  const ev = await c.store.db
    .selectFrom('evidence')
    .select(['id', 'name_ct', 'mime', 'size', 'sha256', 'ledger_idx', 'created_at'])
    .where('case_id', '=', id)
    .orderBy('ledger_idx')
    .execute();
  return {
    id,
    status: r.status,
    createdAt: r.created_at,
    lossYuan: r.loss_cents / 100,
    orderId: r.order_id,
    ledgerIndex: r.ledger_idx,
    commitment: r.commitment,
    facts,
    evidence: ev.map((e) => ({
      id: e.id,
      name: openField(c.keyring, e.name_ct, FIELD_AAD.evidenceName(e)).toString('utf8'),
      mime: e.mime,
      size: e.size,
      sha256: e.sha256,
      ledgerIndex: e.ledger_idx,
      createdAt: e.created_at,
    })),
  };
}

/** One evidence file's bytes, checked against the hash the ledger holds. */
export async function evidenceFile(c: Custody, caseId: string, evidenceId: string): Promise<{ mime: string; bytes: Buffer }> {
  const e = await c.store.db
    .selectFrom('evidence')
    .select(['blob_ct', 'mime', 'sha256'])
    .where('id', '=', evidenceId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  if (!e) throw new NotFoundError('no such evidence');
  const bytes = openField(c.keyring, e.blob_ct, FIELD_AAD.evidenceBlob({ id: evidenceId }));
  if (createHash('sha256').update(bytes).digest('hex') !== e.sha256) throw new Error('evidence does not match its recorded hash');
  return { mime: e.mime, bytes };
}

/** Case summaries for the police and regulator, newest first (no personal data). */
export async function listCases(
  c: Custody,
  limit = 100,
  reach: '*' | readonly string[] = '*',
): Promise<{ id: string; status: string; createdAt: string; lossYuan: number; linkedOrder: boolean; evidence: number }[]> {
  const rows = await inReach(c.store.db.selectFrom('cases').selectAll(), reach).orderBy('created_at', 'desc').limit(limit).execute();
  const counts = new Map<string, number>();
  if (rows.length > 0)
    for (const e of await c.store.db
      .selectFrom('evidence')
      .select(['case_id'])
      .where(
        'case_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute())
      counts.set(e.case_id, (counts.get(e.case_id) ?? 0) + 1);
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    createdAt: r.created_at,
    lossYuan: r.loss_cents / 100,
    linkedOrder: r.order_id !== null,
    evidence: counts.get(r.id) ?? 0,
  }));
}

/** Narrows a query on `cases` to those a reach sees: all, or those linked to an order of its platforms. */
export function inReach<O>(
  q: SelectQueryBuilder<Database, 'cases', O>,
  reach: '*' | readonly string[],
): SelectQueryBuilder<Database, 'cases', O> {
  if (reach === '*') return q;
  if (reach.length === 0) return q.where(sql<boolean>`1 = 0`);
  return q.where('order_id', 'in', (eb) => eb.selectFrom('orders').select('id').where('platform_id', 'in', reach));
}

/** The platform whose order a case is linked to: null for a case linked to none, undefined for no such case. */
export async function casePlatform(c: Custody, id: string): Promise<string | null | undefined> {
  const row = await c.store.db
    .selectFrom('cases')
    .leftJoin('orders', 'orders.id', 'cases.order_id')
    .select('orders.platform_id')
    .where('cases.id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : (row.platform_id ?? null);
}

/** Where a case stands: received on filing; the police accept it, investigate it, close it. */
export const CASE_STATUSES = ['received', 'accepted', 'investigating', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Sets a case's status (police, regulator, platform); the change and a hash of the note go into the ledger. */
export async function setCaseStatus(c: Custody, actor: string, id: string, status: CaseStatus, note: string): Promise<void> {
  const at = new Date().toISOString();
  await c.ledger.write(async (trx, log) => {
    const r = await trx.updateTable('cases').set({ status }).where('id', '=', id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new NotFoundError('no such case');
    log.add({
      t: 'registry',
      at,
      party: actor,
      action: `case.${status}`,
      subject: `${id}/${createHash('sha256').update(note).digest('hex')}`,
    });
  });
}
