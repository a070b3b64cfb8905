import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerIndexesOf, parsePool } from '../fingerprint/index.ts';
import { decodeEntry, openNote, parseVerifierKey, signNote, verifyLedger } from '../ledger/index.ts';
import { openStore } from '../store/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { createApiKey, authenticate, hasScope, revokeApiKey } from './api-keys.ts';
import { custodyOn } from './context.ts';
import { commitTo, entrySalt, leafBinds } from './commitments.ts';
import { ForbiddenError, InputError, NotFoundError, UnavailableError } from './errors.ts';
import { Keyring } from './keyring.ts';
import { MasterKeyError } from './master-key.ts';
import { openNumber } from './numbers.ts';
import { ingestOrders } from './orders.ts';
import { createParties } from './parties.ts';
import { decryptOrder, releaseManifest, releaseMany, releaseView } from './release.ts';
import { rotateDataKey, rotateFingerprintKey, rotateLedgerKey, rotateMasterKey } from './rotate.ts';
import { open as openSealed, seal, SealError } from './seal.ts';
import { buildWorld, sampleOrder, type World } from './test-world.ts';

describe.each(BACKENDS)('custody on $name', ({ open }) => {
  let w: World;
  afterEach(async () => {
    await w.c.close();
  });

  it('seals PII at rest, binds each ciphertext to its row, and ingests idempotently', async () => {
    w = await buildWorld(await open(), 4);
    const rows = await w.c.store.db.selectFrom('orders').selectAll().execute();
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(JSON.stringify(r)).not.toMatch(/测试用户|1390000|文三路/);
    const again = await ingestOrders(w.c, w.platform, [sampleOrder(w, 0), sampleOrder(w, 99)]);
    expect(again.map((r) => ('status' in r ? r.status : r.error))).toEqual(['exists', 'created']);
    expect(again[0] && 'id' in again[0] ? again[0].id : '').toBe(w.orderIds[0]);
    // Moving a ciphertext to another row must not open there: the address (with the name) that handlers'
    // views open, and the name alone that a CS agent's view opens.
    const [a, b, d] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    await w.c.store.db.updateTable('orders').set({ address_ct: a.address_ct }).where('id', '=', b.id).execute();
    await expect(releaseView(w.c, w.station, b.id)).rejects.toThrow(SealError);
    await w.c.store.db.updateTable('orders').set({ name_ct: a.name_ct }).where('id', '=', d.id).execute();
    await expect(releaseView(w.c, w.cs, d.id)).rejects.toThrow(SealError);
    await expect(releaseView(w.c, w.station, d.id)).resolves.toHaveProperty('name');
  });

  it('rejects invalid orders naming the field, writing nothing for them', async () => {
    w = await buildWorld(await open(), 1);
    const size = w.c.ledger.size;
    const bad = sampleOrder(w, 7) as { recipient: { phone: string } };
    bad.recipient.phone = '12345';
    const wrongRoute = { ...sampleOrder(w, 8), station_id: w.courier.id };
    const res = await ingestOrders(w.c, w.platform, [bad, wrongRoute, { platform_order_id: 'x' }]);
    expect(res.map((r) => ('issues' in r ? r.issues.map((i) => i.field) : []))).toEqual([
      ['recipient.phone'],
      ['station_id', 'courier_id'],
      expect.arrayContaining(['merchant_id', 'recipient', 'item']),
    ]);
    expect(JSON.stringify(res)).not.toContain('12345');
    expect(w.c.ledger.size).toBe(size);
    expect(await w.c.store.db.selectFrom('orders').select('id').execute()).toHaveLength(1);
  });

  it('releases each role only its fields, fingerprinted per party, the same every time, each access in the ledger', async () => {
    w = await buildWorld(await open(), 2);
    const id = w.orderIds[0] as string;
    const before = w.c.ledger.size;
    const courier = await releaseView(w.c, w.courier, id);
    expect(Object.keys(courier).sort()).toEqual(['address', 'item', 'name', 'order_no', 'phone', 'time', 'virtual_number_expires_at']);
    expect(courier.order_no).toMatch(/^2\d{18}$/);
    expect(String(courier.phone).replaceAll(' ', '')).toMatch(/^170\d{8}$/);
    expect(String(courier.name)).toMatch(/^测[*＊]{1,2}$/);
    expect(await releaseView(w.c, w.courier, id)).toEqual(courier);
    expect(await releaseView(w.c, w.courier, courier.order_no)).toEqual(courier);
    const station = await releaseView(w.c, w.station, id);
    expect(station.order_no).not.toBe(courier.order_no);
    expect(station.phone).not.toBe(courier.phone);
    const cs = await releaseView(w.c, w.cs, id);
    expect(Object.keys(cs).sort()).toEqual(['item', 'name', 'order_no', 'phone_masked', 'price', 'quantity', 'region', 'time']);
    expect(String(cs.phone_masked).replaceAll(' ', '')).toBe('139****0000');
    expect(w.c.ledger.size).toBe(before + 5);
    const leaves = await w.c.store.db.selectFrom('ledger').select('leaf').where('idx', '>=', before).execute();
    for (const l of leaves) {
      expect(decodeEntry(l.leaf).t).toBe('release');
      expect(l.leaf).not.toMatch(/测试用户|13900000000|文三路|o_[0-9a-f]{28}/);
    }
  });

  it('prepares a large release on a worker thread exactly as this thread prepares one view', async () => {
    w = await buildWorld(await open(), 300, randomBytes(32), 1);
    await w.c.workers.start();
    const views = await releaseMany(w.c, w.station, w.orderIds);
    expect(new Set(views.map((v) => v.order_no)).size).toBe(300);
    expect(w.c.workers.offloaded).toBe(3);
    // A single view is prepared on this thread; the party must see exactly what the worker rendered.
    for (const i of [0, 150, 299])
      expect(JSON.stringify(await releaseView(w.c, w.station, w.orderIds[i] as string))).toBe(JSON.stringify(views[i]));
  });

  it('fails a large release whose order does not open, with the real error, writing nothing; the worker carries on', async () => {
    w = await buildWorld(await open(), 300, randomBytes(32), 1);
    await w.c.workers.start();
    // The last order, in the last chunk: the worker answers in order, so the earlier chunks have been counted.
    const [a, b] = [w.orderIds[0], w.orderIds[299]] as [string, string];
    const sealed = async (id: string): Promise<string> =>
      (await w.c.store.db.selectFrom('orders').select('address_ct').where('id', '=', id).executeTakeFirstOrThrow()).address_ct;
    const own = await sealed(b);
    await w.c.store.db
      .updateTable('orders')
      .set({ address_ct: await sealed(a) })
      .where('id', '=', b)
      .execute();
    const size = w.c.ledger.size;
    await expect(releaseMany(w.c, w.station, w.orderIds)).rejects.toThrow(SealError);
    expect(w.c.ledger.size).toBe(size);
    expect(await w.c.store.db.selectFrom('releases').select('order_id').execute()).toEqual([]);
    await w.c.store.db.updateTable('orders').set({ address_ct: own }).where('id', '=', b).execute();
    const offloaded = w.c.workers.offloaded;
    expect(await releaseMany(w.c, w.station, w.orderIds)).toHaveLength(300);
    expect(w.c.workers.offloaded).toBe(offloaded + 3);
  });

  it('keeps views first released under an older fingerprint key, and gives new views the new key', async () => {
    w = await buildWorld(await open(), 300, randomBytes(32), 1);
    await w.c.workers.start();
    const before = await releaseMany(w.c, w.station, w.orderIds);
    const from = w.c.ledger.size;
    expect(await rotateFingerprintKey(w.c, 'test')).toEqual({ from: 1, to: 2, kept: 300 });
    expect(JSON.stringify(await releaseMany(w.c, w.station, w.orderIds))).toBe(JSON.stringify(before));
    await releaseMany(w.c, w.outlet, w.orderIds);
    const entries = (await w.c.store.db.selectFrom('ledger').select('leaf').where('idx', '>=', from).orderBy('idx').execute()).map((r) =>
      decodeEntry(r.leaf),
    );
    const fp = (party: string): number[] => [...new Set(entries.flatMap((e) => (e.t === 'release' && e.party === party ? [e.fp] : [])))];
    expect(fp(w.station.id)).toEqual([1]);
    expect(fp(w.outlet.id)).toEqual([2]);
    expect(entries[0]).toMatchObject({ t: 'key_rotation', purpose: 'fingerprint', from: 1, to: 2, rows: 0 });
  });

  it('binds one consumer to a virtual number once at a time, and frees it when the binding expires', async () => {
    w = await buildWorld(await open(), 1);
    const id = w.orderIds[0] as string;
    const pool = parsePool('17000000000-17000000002');
    const numbers = [];
    for (const p of [w.courier, w.station, w.outlet]) numbers.push(String((await releaseView(w.c, p, id, pool)).phone).replaceAll(' ', ''));
    expect(new Set(numbers).size).toBe(3);
    await expect(releaseView(w.c, w.carrier, id, pool)).rejects.toThrow(UnavailableError);
    await w.c.store.db
      .updateTable('releases')
      .set({ vn_expires_at: '2026-01-01T00:00:00.000Z' })
      .where('party_id', '=', w.station.id)
      .execute();
    const carrier = await releaseView(w.c, w.carrier, id, pool);
    expect(String(carrier.phone).replaceAll(' ', '')).toBe(numbers[1]);
  });

  it('records in each release entry the number and key version its view carries, when the number had to move and when the view was given before', async () => {
    w = await buildWorld(await open(), 12);
    // Two numbers for twelve consumers: some of the outlet's first numbers are the station's, so they move.
    const pool = parsePool('17000000000-17000000001');
    for (let round = 0; round < 2; round++) for (const p of [w.station, w.outlet]) await releaseMany(w.c, p, w.orderIds, pool);
    const rows = await w.c.store.db.selectFrom('releases').selectAll().execute();
    expect(rows).toHaveLength(24);
    const firsts = new Set<number>();
    for (const r of rows) {
      const leaf = await w.c.store.db.selectFrom('ledger').select('leaf').where('idx', '=', r.ledger_idx).executeTakeFirstOrThrow();
      const e = decodeEntry(leaf.leaf) as { vn: string };
      expect(e).toMatchObject({ t: 'release', party: r.party_id, fp: r.fp_version });
      // Neither the row nor the leaf shows the number; the leaf binds it.
      const vn = openNumber(w.c.keyring, r);
      expect(r.virtual_number).not.toContain(vn);
      expect(leaf.leaf).not.toContain(vn);
      expect(e.vn).toBe(commitTo(entrySalt(w.c.keyring, r.ledger_idx), vn));
      firsts.add(r.ledger_idx);
    }
    // The second round's entries name the numbers the first round bound.
    const entries = await w.c.store.db
      .selectFrom('ledger')
      .select(['idx', 'leaf'])
      .where('party', 'in', [w.station.id, w.outlet.id])
      .execute();
    expect(entries).toHaveLength(48);
    const bound = new Map(rows.map((r) => [`${r.party_id}|${r.order_id}`, openNumber(w.c.keyring, r)]));
    const byRef = new Map((await w.c.store.db.selectFrom('orders').select(['id', 'ref']).execute()).map((o) => [o.ref, o.id]));
    for (const e of entries.filter((x) => !firsts.has(x.idx))) {
      const d = decodeEntry(e.leaf) as { party: string; order: string; vn: string };
      expect(leafBinds(w.c.keyring, e.idx, d.vn, bound.get(`${d.party}|${byRef.get(d.order) ?? ''}`) ?? '')).toBe(true);
    }
    await w.c.ledger.checkpoint();
    expect((await verifyLedger(w.c.store, w.c.ledger.firstVerifierKey())).ok).toBe(true);
  });

  it('gives two views of one consumer in one release different numbers, or fails the release when the pool has one', async () => {
    w = await buildWorld(await open(), 1);
    // Order 10000 goes to the same phone as order 0.
    const [made] = await ingestOrders(w.c, w.platform, [sampleOrder(w, 10000)]);
    const ids = [w.orderIds[0] as string, made && 'id' in made ? made.id : ''];
    const size = w.c.ledger.size;
    await expect(releaseMany(w.c, w.courier, ids, parsePool('17000000000-17000000000'))).rejects.toThrow(UnavailableError);
    expect(w.c.ledger.size).toBe(size);
    const views = await releaseMany(w.c, w.courier, ids, parsePool('17000000000-17000000001'));
    expect(new Set(views.map((v) => String(v.phone).replaceAll(' ', ''))).size).toBe(2);
  });

  it('finds a release by its alias, which deciphers to its first ledger entry, and by an alias given before that scheme', async () => {
    w = await buildWorld(await open(), 2);
    const [first, second] = w.orderIds as [string, string];
    const view = await releaseView(w.c, w.courier, first);
    const row = await w.c.store.db
      .selectFrom('releases')
      .selectAll()
      .where('party_id', '=', w.courier.id)
      .where('order_id', '=', first)
      .executeTakeFirstOrThrow();
    // The row keeps no copy of the alias: it is computed from the index.
    expect(row.alias).toBe('');
    expect(ledgerIndexesOf(w.c.keyring.key('fingerprint'), [view.order_no])).toEqual([row.ledger_idx]);
    const size = w.c.ledger.size;
    expect(await releaseView(w.c, w.courier, view.order_no)).toEqual(view);
    expect(w.c.ledger.size).toBe(size + 1);
    // Only the party the alias was given to can use it.
    await expect(releaseView(w.c, w.courier2, view.order_no)).rejects.toThrow(NotFoundError);
    // An alias drawn at random before migration 007 is found through release_aliases, and kept.
    const old = await releaseView(w.c, w.station, second);
    const legacy = '2000000000000000042';
    const [idx] = ledgerIndexesOf(w.c.keyring.key('fingerprint'), [old.order_no]) as [number];
    await w.c.store.db.updateTable('releases').set({ alias: legacy }).where('ledger_idx', '=', idx).execute();
    await w.c.store.db.insertInto('release_aliases').values({ alias: legacy, ledger_idx: idx }).execute();
    expect((await releaseView(w.c, w.station, legacy)).order_no).toBe(legacy);
    await expect(releaseView(w.c, w.station, '2000000000000000043')).rejects.toThrow(NotFoundError);
    await w.c.ledger.checkpoint();
    expect((await verifyLedger(w.c.store, w.c.ledger.verifierKey())).ok).toBe(true);
  });

  it('hands the ledger signing key over with a checkpoint signed by both keys, which verify follows', async () => {
    w = await buildWorld(await open(), 2);
    const [first, second] = w.orderIds as [string, string];
    await releaseView(w.c, w.courier, first);
    const stale = await custodyOn(w.c.store, w.master);
    const old = w.c.ledger.verifierKey();
    const r = await rotateLedgerKey(w.c, 'test');
    expect(r).toMatchObject({ from: 1, to: 2 });
    expect(r.vkey).not.toBe(old);
    expect([w.c.ledger.verifierKey(), w.c.ledger.firstVerifierKey()]).toEqual([r.vkey, old]);
    expect(openNote(r.handover, parseVerifierKey(old))).toBe(openNote(r.handover, parseVerifierKey(r.vkey)));
    await releaseView(w.c, w.courier2, second);
    const later = await w.c.ledger.checkpoint();
    expect(() => openNote(later, parseVerifierKey(r.vkey))).not.toThrow();
    expect(() => openNote(later, parseVerifierKey(old))).toThrow('no signature from the trusted key');
    expect(await verifyLedger(w.c.store, old)).toMatchObject({ ok: true, checkpoints: 3 });
    // A process that loaded the old key takes the new one over before it signs past the rotation (never the
    // old key alone), as does one loaded after.
    await releaseView(stale, w.courier, first);
    const adopted = await stale.ledger.checkpoint();
    expect(() => openNote(adopted, parseVerifierKey(r.vkey))).not.toThrow();
    expect(() => openNote(adopted, parseVerifierKey(old))).toThrow('no signature from the trusted key');
    expect(stale.ledger.verifierKey()).toBe(r.vkey);
    const fresh = await custodyOn(w.c.store, w.master);
    expect(fresh.ledger.verifierKey()).toBe(r.vkey);
    // A checkpoint after the handover signed by the old key alone does not verify.
    const text = openNote(later, parseVerifierKey(r.vkey));
    const forged = signNote(text, { name: w.c.ledger.origin, ...w.c.keyring.ledgerKeys(1) });
    await w.c.store.db.updateTable('checkpoints').set({ note: forged }).where('note', '=', later).execute();
    const report = await verifyLedger(w.c.store, old);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toEqual(['bad_checkpoint']);
  });

  it('completes a ledger key handover that a crash interrupted before its checkpoint', async () => {
    w = await buildWorld(await open(), 1);
    const old = w.c.ledger.verifierKey();
    const r = await rotateLedgerKey(w.c, 'test');
    // As if the process had died after the rotation committed, before it signed the handover checkpoint.
    await w.c.store.db.deleteFrom('checkpoints').where('note', '=', r.handover).execute();
    const next = await (await custodyOn(w.c.store, w.master)).ledger.checkpoint();
    expect(openNote(next, parseVerifierKey(old))).toBe(openNote(next, parseVerifierKey(r.vkey)));
    expect((await verifyLedger(w.c.store, old)).ok).toBe(true);
  });

  it('refuses views of orders a party did not handle, and to parties without views', async () => {
    w = await buildWorld(await open(), 2);
    await expect(releaseView(w.c, w.courier, w.orderIds[1] as string)).rejects.toBeInstanceOf(NotFoundError);
    await expect(releaseView(w.c, w.courier2, w.orderIds[1] as string)).resolves.toHaveProperty('order_no');
    await expect(releaseView(w.c, w.regulator, w.orderIds[0] as string)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(releaseView(w.c, w.courier, 'o_0000000000000000000000000000')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets the operator create an authority for named platforms only, naming a bad one', async () => {
    w = await buildWorld(await open(), 1);
    const [police] = await createParties(w.c, { operator: 'test' }, [
      { kind: 'police', name: '某市公安局', jurisdiction: [w.platform.id] },
    ]);
    expect(police?.jurisdiction).toEqual([w.platform.id]);
    await expect(
      createParties(w.c, { operator: 'test' }, [{ kind: 'police', name: '某区分局', jurisdiction: [w.merchant.id] }]),
    ).rejects.toThrow(/jurisdiction.0/);
    await expect(
      createParties(w.c, { operator: 'test' }, [{ kind: 'police', name: '某区分局', jurisdiction: [w.platform.id, '*'] }]),
    ).rejects.toThrow(/stands alone/);
  });

  it('has ledger verify name a party whose name or kind was changed in the database (an accusation names parties by their row)', async () => {
    w = await buildWorld(await open(), 1);
    await w.c.ledger.checkpoint();
    expect((await verifyLedger(w.c.store, w.c.ledger.firstVerifierKey())).ok).toBe(true);
    // Swap the names of the station and the outlet, and make the courier a station.
    await w.c.store.db.updateTable('parties').set({ name: w.outlet.name }).where('id', '=', w.station.id).execute();
    await w.c.store.db.updateTable('parties').set({ name: w.station.name }).where('id', '=', w.outlet.id).execute();
    await w.c.store.db.updateTable('parties').set({ kind: 'station' }).where('id', '=', w.courier.id).execute();
    const r = await verifyLedger(w.c.store, w.c.ledger.firstVerifierKey());
    expect(r.ok).toBe(false);
    const named = r.problems.filter((p) => p.kind === 'party').map((p) => p.message);
    expect(named).toHaveLength(3);
    expect(named.join('\n')).toContain(`party ${w.station.id}`);
    expect(named.join('\n')).toContain(`party ${w.outlet.id}`);
    expect(named.join('\n')).toContain(`party ${w.courier.id} (created at entry`);
    expect(named.join('\n')).toContain('its kind is station but it was created a courier');
  });

  it('gives two accounts of one merchant the same organisation-level variants', async () => {
    w = await buildWorld(await open(), 1);
    const id = w.orderIds[0] as string;
    const a = await releaseView(w.c, w.staff, id);
    const b = await releaseView(w.c, w.staff2, id);
    expect([a.address, a.item]).toEqual([b.address, b.item]);
    expect(a.order_no).not.toBe(b.order_no);
  });

  it('serves a station its daily manifest with an export entry', async () => {
    w = await buildWorld(await open(), 6);
    const views = await releaseManifest(w.c, w.station, '2026-11-20');
    expect(views).toHaveLength(6);
    const last = await w.c.store.db.selectFrom('ledger').select('leaf').orderBy('idx', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(decodeEntry(last.leaf)).toMatchObject({ t: 'export', orders: 6, party: w.station.id });
    expect(await releaseManifest(w.c, w.station, '2026-11-21')).toHaveLength(0);
    const many = await releaseMany(w.c, w.courier, [w.orderIds[0] as string, w.orderIds[2] as string]);
    const one = await releaseView(w.c, w.courier, w.orderIds[2] as string);
    expect(many[1]).toEqual(one);
    expect(one.order_no).not.toBe((views[2] as { order_no: string }).order_no);
  });

  it('lets a CS agent decrypt with a reason, logged, and nobody else', async () => {
    w = await buildWorld(await open(), 1);
    const id = w.orderIds[0] as string;
    const full = await decryptOrder(w.c, w.cs, id, 'complaint', 'ticket 123');
    expect(full).toEqual({ name: '测试用户', phone: '13900000000', address: '浙江省杭州市西湖区文三路0号 1 1 101' });
    const last = await w.c.store.db.selectFrom('ledger').select('leaf').orderBy('idx', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(decodeEntry(last.leaf)).toMatchObject({ t: 'decrypt', reason: 'complaint', party: w.cs.id });
    expect(last.leaf).not.toContain('ticket');
    await expect(decryptOrder(w.c, w.courier, id, 'complaint')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('opens rows sealed before the name joined the address detail, and the data-key rotation moves it in', async () => {
    w = await buildWorld(await open(), 2);
    const [id] = w.orderIds as [string];
    const view = await releaseView(w.c, w.courier, id);
    const row = await w.c.store.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const key = w.c.keyring.key('data', row.key_version);
    const where = `orders|address|${id}|${String(row.key_version)}`;
    const detail = JSON.parse(openSealed(key, row.address_ct, where).toString('utf8')) as Record<string, unknown>;
    expect(detail.name).toBe('测试用户');
    // The layout rows had before: the detail without the name.
    const { name: _name, ...older } = detail;
    await w.c.store.db
      .updateTable('orders')
      .set({ address_ct: seal(key, JSON.stringify(older), where) })
      .where('id', '=', id)
      .execute();
    // The name comes from its own column then, and the view is the same.
    expect(await releaseView(w.c, w.courier, id)).toEqual(view);
    await rotateDataKey(w.c, 'test');
    const after = await w.c.store.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const moved = JSON.parse(
      openSealed(
        w.c.keyring.key('data', after.key_version),
        after.address_ct,
        `orders|address|${id}|${String(after.key_version)}`,
      ).toString('utf8'),
    ) as Record<string, unknown>;
    expect(moved).toEqual(detail);
    expect((await releaseView(w.c, w.station, id)).name).toMatch(/^测/);
  });

  it('rotates the data key in batches and still opens every order', async () => {
    w = await buildWorld(await open(), 7);
    const seen: number[] = [];
    const r = await rotateDataKey(w.c, w.platform.id, { batch: 3, onProgress: (d) => seen.push(d) });
    expect(r).toEqual({ from: 1, to: 2, rows: 7, values: 0, unopened: 0 });
    expect(seen).toEqual([3, 6, 7]);
    const versions = await w.c.store.db.selectFrom('orders').select('key_version').distinct().execute();
    expect(versions.map((v) => v.key_version)).toEqual([2]);
    await expect(releaseView(w.c, w.courier, w.orderIds[0] as string)).resolves.toHaveProperty('order_no');
    await w.c.ledger.checkpoint();
    expect((await verifyLedger(w.c.store, w.c.ledger.verifierKey())).ok).toBe(true);
  });

  it('re-wraps the keyring under a new master key in one logged transaction; a process on the old key adds no key', async () => {
    w = await buildWorld(await open(), 2);
    const id = w.orderIds[0] as string;
    const before = await releaseView(w.c, w.courier, id);
    const stale = await custodyOn(w.c.store, w.master);
    const next = randomBytes(32);
    const follower = await custodyOn(w.c.store, w.master, undefined, 0, () => [randomBytes(32), next]);
    // A rotation that fails before it commits (say the new key file could not be saved) changes nothing.
    const size = w.c.ledger.size;
    await expect(
      rotateMasterKey(w.c, 'test', next, () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect([await Keyring.opens(w.c.store, w.master), await Keyring.opens(w.c.store, next), w.c.ledger.size]).toEqual([true, false, size]);
    const r = await rotateMasterKey(w.c, 'test', next);
    expect(r).toEqual({ from: 1, to: 2, keys: 4 });
    expect([await Keyring.opens(w.c.store, w.master), await Keyring.opens(w.c.store, next)]).toEqual([false, true]);
    await expect(Keyring.load(w.c.store, w.master)).rejects.toThrow(MasterKeyError);
    const fresh = await custodyOn(w.c.store, next);
    expect(await releaseView(fresh, w.courier, id)).toEqual(before);
    // Nothing sealed changed: the data keys are the same keys, wrapped differently.
    expect(fresh.keyring.key('data')).toEqual(w.c.keyring.key('data'));
    // A process still on the old key would wrap a new key version under it: it refuses, and writes nothing.
    await expect(rotateFingerprintKey(stale, 'test')).rejects.toThrow('the master key was rotated by another process');
    expect(await w.c.store.db.selectFrom('keyring').select('version').where('purpose', '=', 'fingerprint').execute()).toHaveLength(1);
    // The rotating process goes on under the new key: a key it adds opens for a process started afterwards.
    expect(await rotateDataKey(w.c, 'test')).toMatchObject({ from: 1, to: 2, rows: 2 });
    const after = await Keyring.load(w.c.store, next);
    expect(after.key('data', 2)).toEqual(w.c.keyring.key('data', 2));
    // A running process on the old key follows: with the new key at hand (the key file as it is now) it takes
    // it over; without, it keeps serving what it holds and answers 503 naming the restart for the new version.
    await stale.sync(true);
    expect(() => stale.keyring.key('data', 2)).toThrow(UnavailableError);
    expect(() => stale.keyring.key('data', 2)).toThrow('restart it with the new master key');
    expect(stale.keyring.key('data', 1)).toEqual(w.c.keyring.key('data', 1));
    await follower.sync(true);
    expect(follower.keyring.key('data', 2)).toEqual(w.c.keyring.key('data', 2));
    expect(await releaseView(follower, w.courier, id)).toEqual(before);
    const masters = await w.c.store.db.selectFrom('keyring').select('master_version').distinct().execute();
    expect(masters.map((m) => m.master_version)).toEqual([2]);
    const leaves = await w.c.store.db.selectFrom('ledger').select('leaf').orderBy('idx').execute();
    const rotations = leaves.map((l) => decodeEntry(l.leaf)).filter((e) => e.t === 'key_rotation');
    expect(rotations[0]).toMatchObject({ purpose: 'master', from: 1, to: 2, rows: 4, party: 'test' });
    expect(JSON.stringify(leaves)).not.toContain(next.toString('hex'));
    await w.c.ledger.checkpoint();
    expect((await verifyLedger(w.c.store, w.c.ledger.verifierKey())).ok).toBe(true);
  });

  it('issues keys shown once, stored hashed, scoped, revocable', async () => {
    w = await buildWorld(await open(), 0);
    const k = await createApiKey(w.c, { operator: 'test' }, w.courier.id);
    const row = await w.c.store.db.selectFrom('api_keys').selectAll().where('id', '=', k.id).executeTakeFirstOrThrow();
    expect(k.key.slice(16)).toHaveLength(43);
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.hash).not.toContain(k.key.slice(16));
    const p = await authenticate(w.c, k.key);
    expect(p?.party.id).toBe(w.courier.id);
    expect(p && hasScope(p, 'release')).toBe(true);
    expect(p && hasScope(p, 'ingest')).toBe(false);
    expect(await authenticate(w.c, `${k.key.slice(0, -1)}${k.key.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    await expect(createApiKey(w.c, { operator: 'test' }, w.courier.id, { scopes: ['admin'] })).rejects.toBeInstanceOf(InputError);
    expect(await revokeApiKey(w.c, { operator: 'test' }, k.id)).toBe(true);
    expect(await authenticate(w.c, k.key)).toBeNull();
  });

  it('checks the party hierarchy', async () => {
    w = await buildWorld(await open(), 0);
    await expect(createParties(w.c, { operator: 'test' }, [{ kind: 'courier', name: 'x', parent_id: w.outlet.id }])).rejects.toThrow(
      'parent_id: must name an existing station',
    );
    await expect(createParties(w.c, { operator: 'test' }, [{ kind: 'merchant', name: 'x', parent_id: w.platform.id }])).rejects.toThrow(
      'has no parent',
    );
  });
});

describe('master key', () => {
  it('refuses a store opened with another master key, naming the problem', async () => {
    const file = `${tmpdir()}/gk-mk-${randomBytes(4).toString('hex')}.db`;
    const first = await custodyOn(await openStore({ url: file }), randomBytes(32));
    await first.close();
    const again = await openStore({ url: file });
    await expect(custodyOn(again, randomBytes(32))).rejects.toBeInstanceOf(MasterKeyError);
    await again.close();
    rmSync(file, { force: true });
  });
});
