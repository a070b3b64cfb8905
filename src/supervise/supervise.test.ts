import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createParties,
  decryptOrder,
  ForbiddenError,
  InputError,
  NotFoundError,
  openTicket,
  releaseManifest,
  releaseView,
  rotateLedgerKey,
  type Party,
} from '../custody/index.ts';
import { buildWorld, type World } from '../custody/test-world.ts';
import { decodeEntry } from '../ledger/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { at, must } from '../shared/at.ts';
import {
  checkOrderAccess,
  flagCommitment,
  flagRow,
  followHandovers,
  followsFrom,
  issueAccessToken,
  listFlags,
  orderAccess,
  orderForToken,
  wellFormed,
  type OrderAccess,
} from './index.ts';

const flipB64 = (b64: string, at: number): string => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[at % bytes.length] = (bytes[at % bytes.length] as number) ^ 0x01;
  return bytes.toString('base64');
};

describe.each(BACKENDS)('who has seen my order on $name', ({ open }) => {
  let w: World;
  let order: string;
  let platformB: Party;
  beforeAll(async () => {
    w = await buildWorld(await open(), 4);
    order = w.orderIds[0] as string;
    [platformB] = (await createParties(w.c, { operator: 'test' }, [{ kind: 'platform', name: '乙平台' }])) as [Party];
    // The chain touches the order out of order; the answer lists it in chain order.
    await releaseView(w.c, w.courier, order);
    await releaseView(w.c, w.cs, order);
    await releaseView(w.c, w.merchant, order);
    await releaseView(w.c, w.merchant, order);
    await releaseView(w.c, w.staff, order);
    await releaseManifest(w.c, w.station, '2026-11-20');
    const ticket = await openTicket(w.c, w.platform, { order, ticket: 'CS-4471', agent_id: w.cs.id });
    await decryptOrder(w.c, w.cs, order, 'complaint', '工单 #4471', ticket.ticket);
    // A note typed into the decrypt is not a ticket.
    await decryptOrder(w.c, w.cs, order, 'refund', '工单 #4472');
    // Another consumer's order, seen by the same parties: none of it may show.
    await releaseView(w.c, w.merchant, w.orderIds[2] as string);
    await decryptOrder(w.c, w.cs, w.orderIds[2] as string, 'refund');
  });
  afterAll(async () => {
    await w.c.close();
  });

  it('issues a token only to the order’s own platform, by internal id or its own order number, for a bounded time', async () => {
    const t = await issueAccessToken(w.c, w.platform, order);
    expect(t.token).toMatch(/^gko_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(t.expires_at) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(await orderForToken(w.c, t.token)).toBe(order);
    expect((await issueAccessToken(w.c, w.platform, 'T00000000', 5)).order_id).toBe(order);
    expect((await issueAccessToken(w.c, { operator: 'test' }, order)).order_id).toBe(order);
    await expect(issueAccessToken(w.c, platformB, order)).rejects.toThrow(NotFoundError);
    await expect(issueAccessToken(w.c, platformB, 'T00000000')).rejects.toThrow(NotFoundError);
    await expect(issueAccessToken(w.c, w.merchant, order)).rejects.toThrow(NotFoundError);
    await expect(issueAccessToken(w.c, w.platform, order, 4)).rejects.toThrow(InputError);
    await expect(issueAccessToken(w.c, w.platform, order, 7 * 24 * 60 + 1)).rejects.toThrow(InputError);
    // Only the hash is kept.
    const stored = await w.c.store.db.selectFrom('order_access_tokens').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(t.token.slice(4));
  });

  it('reads a wrong, malformed or expired token as nothing', async () => {
    const t = await issueAccessToken(w.c, w.platform, order, 5);
    expect(await orderForToken(w.c, t.token, new Date(Date.now() + 6 * 60_000))).toBeNull();
    expect(await orderForToken(w.c, `${t.token.slice(0, -1)}${t.token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(await orderForToken(w.c, 'gko_short')).toBeNull();
    // The order's expired tokens are dropped when it gets a new one.
    await w.c.store.db
      .updateTable('order_access_tokens')
      .set({ expires_at: new Date(Date.now() - 1).toISOString() })
      .execute();
    await issueAccessToken(w.c, w.platform, order);
    expect(await w.c.store.db.selectFrom('order_access_tokens').select('order_id').execute()).toEqual([{ order_id: order }]);
  });

  it('lists every recipient in chain order, with fields, forms and reasons read from the ledger', async () => {
    const a = await orderAccess(w.c, order);
    expect(a.order).toMatchObject({ platform: '测试平台', platform_order_id: 'T00000000' });
    expect(a.rows.map((r) => `${r.party.kind}:${r.action}`)).toEqual([
      'merchant:view',
      'merchant_staff:view',
      'station:view',
      'courier:view',
      'cs_agent:view',
      'cs_agent:decrypt',
      'cs_agent:decrypt',
    ]);
    const courier = a.rows.find((r) => r.party.kind === 'courier');
    expect(courier?.party.name).toBe('快递员1');
    expect(courier?.fields).toContainEqual({ field: 'phone', form: 'virtual_number' });
    expect(courier?.fields).toContainEqual({ field: 'name', form: 'masked' });
    expect(courier?.fields).toContainEqual({ field: 'order_no', form: 'alias' });
    expect(courier?.fields).toContainEqual({ field: 'address', form: 'full' });
    expect(a.rows.find((r) => r.party.kind === 'cs_agent' && r.action === 'view')?.fields).toContainEqual({
      field: 'phone',
      form: 'masked',
    });
    const decrypts = a.rows.filter((r) => r.action === 'decrypt');
    expect(decrypts.map((r) => r.why)).toEqual([
      { decrypt: 'complaint', ticket: true, ticket_entry: expect.objectContaining({ entry: expect.any(Number) as unknown }) as unknown },
      { decrypt: 'refund', ticket: false },
    ]);
    const t = decrypts[0]?.why as { ticket_entry: { leaf: string; opened_at: string } };
    expect(decodeEntry(Buffer.from(t.ticket_entry.leaf, 'base64').toString('utf8'))).toMatchObject({
      t: 'ticket',
      party: w.platform.id,
      agent: w.cs.id,
      at: t.ticket_entry.opened_at,
    });
    expect(decrypts[0]?.fields).toEqual([
      { field: 'name', form: 'full' },
      { field: 'phone', form: 'full' },
      { field: 'address', form: 'full' },
    ]);
    // Every leaf is about this order only.
    const refs = new Set(a.rows.map((r) => (decodeEntry(Buffer.from(r.leaf, 'base64').toString('utf8')) as { order: string }).order));
    expect(refs.size).toBe(1);
    const body = JSON.stringify(a);
    expect(body).not.toContain(w.orderIds[2]);
    expect(body).not.toContain('测试用户');
    expect(body).not.toContain('13900000000');
  });

  it('verifies with WebCrypto against the log key, and fails a tampered leaf, proof, row or signature', async () => {
    const a = await orderAccess(w.c, order);
    const good = await checkOrderAccess(a, a.verifier_key);
    expect(good.checkpoint).toBe(true);
    expect([...good.rows.values()]).toEqual(a.rows.map(() => true));
    const copy = (): OrderAccess => JSON.parse(JSON.stringify(a)) as OrderAccess;

    const leaf = copy();
    const r0 = at(leaf.rows, 0);
    r0.leaf = Buffer.from(
      Buffer.from(r0.leaf, 'base64')
        .toString('utf8')
        .replace(/"at":"2/, '"at":"1'),
    ).toString('base64');
    const leafReport = await checkOrderAccess(leaf, a.verifier_key);
    expect(leafReport.rows.get(r0.entry)).toBe('other_time');
    expect([...leafReport.rows.values()].filter((v) => v === true)).toHaveLength(a.rows.length - 1);

    const proof = copy();
    const r1 = at(proof.rows, 1);
    r1.proof[0] = flipB64(r1.proof[0] as string, 7);
    expect((await checkOrderAccess(proof, a.verifier_key)).rows.get(r1.entry)).toBe('bad_proof');

    const said = copy();
    const r2 = at(said.rows, 2);
    r2.fields = r2.fields.map((f) => (f.field === 'phone' ? { ...f, form: 'masked' } : f));
    expect((await checkOrderAccess(said, a.verifier_key)).rows.get(r2.entry)).toBe('other_fields');

    const sig = copy();
    sig.checkpoint = sig.checkpoint.replace(/\n(\d+)\n/, (_m, n: string) => `\n${String(Number(n) + 1)}\n`);
    const sigReport = await checkOrderAccess(sig, a.verifier_key);
    expect(sigReport.checkpoint).toBe('bad_signature');
    expect([...sigReport.rows.values()].every((v) => v !== true)).toBe(true);

    const junk = copy();
    const r3 = at(junk.rows, 3);
    r3.leaf = Buffer.from('null').toString('base64');
    const junkReport = await checkOrderAccess(junk, a.verifier_key);
    expect(junkReport.rows.get(r3.entry)).toBe('bad_leaf');
    expect([...junkReport.rows.values()].filter((v) => v === true)).toHaveLength(a.rows.length - 1);

    // A ticket claimed without its leaf, a ticket leaf of another entry or order, or a wrong proof of it.
    const ticketed = a.rows.findIndex((r) => 'decrypt' in r.why && r.why.ticket);
    const claim = copy();
    const plain = at(
      claim.rows,
      a.rows.findIndex((r) => 'decrypt' in r.why && !r.why.ticket),
    );
    plain.why = { decrypt: 'refund', ticket: true };
    expect((await checkOrderAccess(claim, a.verifier_key)).rows.get(plain.entry)).toBe('bad_ticket');
    const moved = copy();
    const m = at(moved.rows, ticketed).why as { ticket_entry: { leaf: string; entry: number } };
    m.ticket_entry.leaf = Buffer.from(
      Buffer.from(m.ticket_entry.leaf, 'base64')
        .toString('utf8')
        .replace(/"order":"[^"]*"/, '"order":"another"'),
    ).toString('base64');
    expect((await checkOrderAccess(moved, a.verifier_key)).rows.get(at(a.rows, ticketed).entry)).toBe('bad_ticket');
    const wrongProof = copy();
    const wp = at(wrongProof.rows, ticketed).why as { ticket_entry: { proof: string[] } };
    wp.ticket_entry.proof[0] = flipB64(wp.ticket_entry.proof[0] as string, 3);
    expect((await checkOrderAccess(wrongProof, a.verifier_key)).rows.get(at(a.rows, ticketed).entry)).toBe('bad_ticket');
    const dropped = copy();
    const d = at(dropped.rows, ticketed);
    d.why = { decrypt: 'complaint', ticket: false };
    // Saying less than the leaf (no ticket) is allowed: the page then shows no ticket.
    expect((await checkOrderAccess(dropped, a.verifier_key)).rows.get(d.entry)).toBe(true);

    // A forged row given a genuine row's index, placed before it: a verdict is per index, so both fail.
    const twin = copy();
    const genuine = at(twin.rows, 0);
    twin.rows.unshift({ ...genuine, party: { name: '伪造方', kind: 'courier' }, fields: [] });
    const twinReport = await checkOrderAccess(twin, a.verifier_key);
    expect(twinReport.rows.get(genuine.entry)).toBe('other_index');
    expect([...twinReport.rows.values()].filter((v) => v !== true)).toHaveLength(1);

    const otherKey = a.verifier_key.replace(/\+[0-9a-f]{8}\+/, '+00000000+');
    expect((await checkOrderAccess(a, otherKey)).checkpoint).toBe('bad_key');
  });

  it('follows the order’s chain from its latest record to its first, and fails a gap, a hidden row, a fork or a foreign link', async () => {
    const a = await orderAccess(w.c, order);
    const copy = (): OrderAccess => JSON.parse(JSON.stringify(a)) as OrderAccess;
    const ref = (decodeEntry(Buffer.from(at(a.rows, 0).leaf, 'base64').toString('utf8')) as { order: string }).order;
    const all = (await w.c.store.db.selectFrom('ledger').select('leaf').orderBy('idx').execute())
      .map((r) => decodeEntry(r.leaf))
      .filter((e) => (e.t === 'release' || e.t === 'decrypt') && e.order === ref);
    const good = await checkOrderAccess(a, a.verifier_key);
    expect(good.chain).toEqual({
      ok: true,
      records: all.length,
      entries: all.map((e) => e.i).reverse(),
      latestAt: all[all.length - 1]?.at,
      unchained: 0,
      complete: true,
    });
    // The merchant's second view is not a row of its own: it comes as a link.
    expect(a.chain.links.length).toBe(all.length - a.rows.length);

    const gap = copy();
    gap.chain.links = [];
    expect((await checkOrderAccess(gap, a.verifier_key)).chain).toEqual({ ok: false, why: 'chain_gap' });
    const hidden = copy();
    hidden.rows = hidden.rows.filter((r) => r.party.kind !== 'courier');
    expect((await checkOrderAccess(hidden, a.verifier_key)).chain).toEqual({ ok: false, why: 'chain_gap' });
    // An older head with every later row kept: those rows are off the chain.
    const older = all[all.length - 2]?.i as number;
    const fork = copy();
    fork.chain.head = older;
    expect((await checkOrderAccess(fork, a.verifier_key)).chain).toEqual({ ok: false, why: 'chain_fork' });
    // An older head with the later rows left out too holds on a first visit (the page cannot know of them), but
    // the record this device saw last is not on it, which the page warns of.
    const stale = copy();
    stale.chain.head = older;
    stale.rows = stale.rows.filter((r) => r.entry <= older);
    stale.chain.links = stale.chain.links.filter((l) => l.entry <= older);
    const staleReport = (await checkOrderAccess(stale, a.verifier_key)).chain;
    expect(staleReport?.ok && staleReport.entries.includes(all[all.length - 1]?.i as number)).toBe(false);
    expect(staleReport?.ok).toBe(true);
    // Another order's record put at the head.
    const other = await orderAccess(w.c, w.orderIds[2] as string);
    const foreign = copy();
    const theirs = at(other.rows, 0);
    foreign.chain.head = theirs.entry;
    foreign.chain.links.push({ entry: theirs.entry, leaf: theirs.leaf, proof: theirs.proof });
    expect((await checkOrderAccess(foreign, a.verifier_key)).chain).toEqual({ ok: false, why: 'chain_other_order' });
    const badLink = copy();
    const l0 = at(badLink.chain.links, 0);
    l0.proof[0] = flipB64(l0.proof[0] as string, 5);
    expect((await checkOrderAccess(badLink, a.verifier_key)).chain).toEqual({ ok: false, why: 'chain_bad_link' });
    // A row moved into the links, as if it were a repeated view: a decrypt, or a party's only view.
    for (const kind of ['cs_agent', 'courier']) {
      const tucked = copy();
      const row = must(
        tucked.rows.find((r) => r.party.kind === kind && (kind === 'courier' || r.action === 'decrypt')),
        kind,
      );
      tucked.rows = tucked.rows.filter((r) => r !== row);
      tucked.chain.links.push({ entry: row.entry, leaf: row.leaf, proof: row.proof });
      expect((await checkOrderAccess(tucked, a.verifier_key)).chain).toEqual({ ok: false, why: 'chain_hidden_row' });
    }
    // A link given twice, and a malformed chain, fail the chain and not the page.
    const twice = copy();
    twice.chain.links.push(at(twice.chain.links, 0));
    expect((await checkOrderAccess(twice, a.verifier_key)).chain).toEqual({ ok: false, why: 'chain_bad_link' });
    const junk = copy();
    (junk.chain as unknown as { links: unknown }).links = [{ entry: 1, leaf: 7, proof: null }];
    expect((await checkOrderAccess(junk, a.verifier_key)).chain).toEqual({ ok: false, why: 'chain_bad_link' });
    // A chain that stops short without being longer than an answer carries is a gap, whatever it claims.
    const short = copy();
    short.chain.links = [];
    short.chain.truncated = true;
    expect((await checkOrderAccess(short, a.verifier_key)).chain).toEqual({ ok: false, why: 'chain_gap' });
  });

  it('reads the records from the chain, so a decrypt whose table row a database writer deleted is still shown', async () => {
    const before = await orderAccess(w.c, order);
    const decrypt = must(
      before.rows.find((r) => r.action === 'decrypt'),
      'a decrypt row',
    );
    await w.c.store.db.deleteFrom('order_decrypts').where('ledger_idx', '=', decrypt.entry).execute();
    const after = await orderAccess(w.c, order);
    expect(after.rows.map((r) => r.entry)).toEqual(before.rows.map((r) => r.entry));
    expect((await checkOrderAccess(after, after.verifier_key)).chain?.ok).toBe(true);
    // A head a database writer moves back leaves the later records off the chain: the server still lists
    // them from the tables, and the page fails the chain.
    const head = (await w.c.store.db.selectFrom('order_chain').select('head').where('order_id', '=', order).executeTakeFirstOrThrow()).head;
    const first = Math.min(...after.rows.map((r) => r.entry));
    await w.c.store.db.updateTable('order_chain').set({ head: first }).where('order_id', '=', order).execute();
    const moved = await orderAccess(w.c, order);
    // (The decrypt whose row was deleted is now reached by neither.)
    expect(moved.rows.map((r) => r.entry)).toEqual(after.rows.map((r) => r.entry).filter((e) => e !== decrypt.entry));
    expect((await checkOrderAccess(moved, moved.verifier_key)).chain).toEqual({ ok: false, why: 'chain_fork' });
    await w.c.store.db.updateTable('order_chain').set({ head }).where('order_id', '=', order).execute();
  });

  it('fails a row of the wrong shape alone instead of throwing', async () => {
    const a = await orderAccess(w.c, order);
    const odd = JSON.parse(JSON.stringify(a)) as OrderAccess;
    const r0 = at(odd.rows, 0);
    (r0 as unknown as { proof: unknown }).proof = 'AAAA';
    const r1 = at(odd.rows, 1);
    (r1 as unknown as { fields: unknown }).fields = 7;
    const report = await checkOrderAccess(odd, a.verifier_key);
    expect([report.rows.get(r0.entry), report.rows.get(r1.entry)]).toEqual(['bad_proof', 'other_fields']);
    expect([...report.rows.values()].filter((v) => v === true)).toHaveLength(a.rows.length - 2);
    // The order's reference is reported from verified rows only: a lone forged row names none.
    expect(report.order).toBe(
      (await w.c.store.db.selectFrom('orders').select('ref').where('id', '=', order).executeTakeFirstOrThrow()).ref,
    );
    const lone = { ...odd, rows: [r0] };
    expect((await checkOrderAccess(lone, a.verifier_key)).order).toBeUndefined();
    // The page reads nothing of an answer whose header or lists are not of their declared types.
    expect(wellFormed(a)).toBe(true);
    for (const bad of [
      { ...a, order: { ...a.order, platform_order_id: 2026112001 } },
      { ...a, order: { ...a.order, platform_order_id: ['T1'] } },
      { ...a, rows: {} },
      { ...a, chain: { ...a.chain, links: null } },
      { ...a, handovers: 'x' },
      { ...a, handovers: [null] },
      { ...a, rows: [null] },
      { ...a, rows: a.rows.map((r) => ({ ...r, fields: 'name' })) },
      // A decrypt row that also carries a view's role would render as the view.
      { ...a, rows: a.rows.map((r) => ('decrypt' in r.why ? { ...r, why: { ...r.why, role: 'courier' } } : r)) },
      { ...a, rows: a.rows.map((r) => ({ ...r, why: { role: 'courier', decrypt: 'refund', ticket: false } })) },
      null,
    ])
      expect(wellFormed(bad)).toBe(false);
    const mixed = JSON.parse(JSON.stringify(a)) as OrderAccess;
    const decrypt = must(
      mixed.rows.find((r) => 'decrypt' in r.why),
      'a decrypt row',
    );
    (decrypt.why as Record<string, unknown>).role = 'courier';
    expect((await checkOrderAccess(mixed, a.verifier_key)).rows.get(decrypt.entry)).toBe('other_kind');
    // An answer whose rows are not a list fails as a whole instead of throwing.
    const shapeless = { ...a, rows: {} } as unknown as OrderAccess;
    expect(await checkOrderAccess(shapeless, a.verifier_key)).toEqual({ checkpoint: 'bad_checkpoint', rows: new Map() });
  });

  it('stores a flag once, writes it to the ledger without personal data, and lists it to the platform and authorities in reach', async () => {
    const a = await orderAccess(w.c, order);
    const courier = a.rows.find((r) => r.party.kind === 'courier') as OrderAccess['rows'][number];
    const before = w.c.ledger.size;
    const f = await flagRow(w.c, order, courier.entry, 'never_dealt');
    expect(f.created).toBe(true);
    expect(w.c.ledger.size).toBe(before + 1);
    // Filed with the platform; the courier, its row and the order are only behind the commitment.
    const leaf = await w.c.store.db.selectFrom('ledger').select('leaf').where('idx', '=', f.ledger_index).executeTakeFirstOrThrow();
    const entry = decodeEntry(leaf.leaf) as { t: string; party: string; commitment: string };
    expect(entry).toMatchObject({ t: 'flag', party: w.platform.id });
    const ref = (await w.c.store.db.selectFrom('orders').select('ref').where('id', '=', order).executeTakeFirstOrThrow()).ref;
    for (const hidden of [order, ref, w.courier.id, '"entry"']) expect(leaf.leaf).not.toContain(hidden);
    const row = await w.c.store.db.selectFrom('order_flags').selectAll().executeTakeFirstOrThrow();
    expect(flagCommitment(row.salt, ref, courier.entry, w.courier.id, 'never_dealt')).toBe(entry.commitment);
    expect(flagCommitment(row.salt, ref, courier.entry, w.station.id, 'never_dealt')).not.toBe(entry.commitment);
    expect(await flagRow(w.c, order, courier.entry, 'never_dealt')).toEqual({ ...f, created: false });
    expect(w.c.ledger.size).toBe(before + 1);
    expect((await orderAccess(w.c, order)).rows.find((r) => r.entry === courier.entry)?.flagged).toBe(true);
    // A row of another order (or no row at all) cannot be flagged with this order's token.
    const other = await orderAccess(w.c, w.orderIds[2] as string);
    await expect(flagRow(w.c, order, other.rows[0]?.entry ?? 0, 'never_dealt')).rejects.toThrow(NotFoundError);
    await expect(flagRow(w.c, order, 0, 'never_dealt')).rejects.toThrow(NotFoundError);

    const mine = await listFlags(w.c, w.platform);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      order_id: order,
      platform_order_id: 'T00000000',
      entry: courier.entry,
      party: { name: '快递员1', kind: 'courier' },
    });
    expect(await listFlags(w.c, w.regulator)).toHaveLength(1);
    expect(await listFlags(w.c, platformB)).toEqual([]);
    expect(await listFlags(w.c, w.platform, { since: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    await expect(listFlags(w.c, w.courier)).rejects.toThrow(ForbiddenError);
  });

  it('proves the log grew from the tree the device saw before', async () => {
    const before = await orderAccess(w.c, order);
    const seen = {
      size: w.c.ledger.openCheckpoint(before.checkpoint).size,
      root: w.c.ledger.openCheckpoint(before.checkpoint).root.toString('base64'),
    };
    await releaseView(w.c, w.station, w.orderIds[3] as string);
    const after = await orderAccess(w.c, order, seen.size);
    const now = (await checkOrderAccess(after, after.verifier_key)).tree;
    expect(after.consistency?.from).toBe(seen.size);
    expect(now && (await followsFrom(seen, after, now))).toBe(true);
    // Another root at the size seen, or no proof, does not follow.
    expect(now && (await followsFrom({ ...seen, root: Buffer.alloc(32, 1).toString('base64') }, after, now))).toBe(false);
    const { consistency: _dropped, ...withoutProof } = after;
    expect(now && (await followsFrom(seen, withoutProof, now))).toBe(false);
  });

  it('computes the order’s ledger reference rather than reading the stored one', async () => {
    const before = await orderAccess(w.c, order);
    const mine = (await w.c.store.db.selectFrom('orders').select('ref').where('id', '=', order).executeTakeFirstOrThrow()).ref;
    await w.c.store.db
      .updateTable('orders')
      .set({ ref: '0'.repeat(32) })
      .where('id', '=', order)
      .execute();
    try {
      expect((await orderAccess(w.c, order)).rows.map((r) => r.entry)).toEqual(before.rows.map((r) => r.entry));
    } finally {
      await w.c.store.db.updateTable('orders').set({ ref: mine }).where('id', '=', order).execute();
    }
  });

  it('carries each handover of the ledger key, so a device that pinned an old key follows it to the new one', async () => {
    const first = await orderAccess(w.c, order);
    expect(first.handovers).toEqual([]);
    const k1 = first.verifier_key;
    const k2 = (await rotateLedgerKey(w.c, 'test')).vkey;
    const k3 = (await rotateLedgerKey(w.c, 'test')).vkey;
    const a = await orderAccess(w.c, order);
    expect(a.verifier_key).toBe(k3);
    expect(a.handovers.map((h) => h.vkey)).toEqual([k2, k3]);
    expect(await followHandovers(k1, a.handovers)).toBe(k3);
    expect(await followHandovers(k2, a.handovers)).toBe(k3);
    expect((await checkOrderAccess(a, k3)).checkpoint).toBe(true);
    // A key the log never handed to leads nowhere; a handover with a changed leaf or proof is not followed.
    const stranger = k1.replace(/\+[0-9a-f]{8}\+/, '+00000000+');
    expect(await followHandovers(stranger, a.handovers)).toBe(stranger);
    const copy = (): OrderAccess['handovers'] => JSON.parse(JSON.stringify(a.handovers)) as OrderAccess['handovers'];
    const proof = copy();
    at(proof, 0).proof[0] = flipB64(at(at(proof, 0).proof, 0), 3);
    expect(await followHandovers(k1, proof)).toBe(k1);
    const renamed = copy();
    at(renamed, 1).leaf = Buffer.from(Buffer.from(at(renamed, 1).leaf, 'base64').toString('utf8').replace(k3, stranger)).toString('base64');
    at(renamed, 1).vkey = stranger;
    expect(await followHandovers(k1, renamed)).toBe(k2);
  });
});
