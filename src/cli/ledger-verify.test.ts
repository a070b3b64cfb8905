import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { releaseKeys, releaseMany, releaseView, rotateFingerprintKey } from '../custody/index.ts';
import { buildWorld, type World } from '../custody/test-world.ts';
import { verifyLedger } from '../ledger/index.ts';
import { BACKENDS } from '../store/test-stores.ts';

describe.each(BACKENDS)('release rows held to their ledger leaves on $name', ({ open }) => {
  let w: World;
  afterEach(async () => {
    await w.c.close();
  });

  const verify = async (): Promise<Awaited<ReturnType<typeof verifyLedger>>> => {
    await w.c.ledger.checkpoint();
    return verifyLedger(w.c.store, w.c.ledger.firstVerifierKey(), { releases: releaseKeys(w.c) });
  };

  it('names a release row re-targeted to another party, or given another order, number or alias', async () => {
    w = await buildWorld(await open(), 4);
    await releaseMany(w.c, w.station, w.orderIds);
    await releaseView(w.c, w.courier, w.orderIds[0] as string);
    const clean = await verify();
    expect(clean).toMatchObject({ ok: true, releases: 5 });
    const row = await w.c.store.db
      .selectFrom('releases')
      .selectAll()
      .where('party_id', '=', w.station.id)
      .where('order_id', '=', w.orderIds[1] as string)
      .executeTakeFirstOrThrow();
    const at = `release row of order ${row.order_id} for party`;

    // Re-targeting: an alias the station leaked would now point at the merchant.
    await sql`update releases set party_id = ${w.merchant.id} where ledger_idx = ${row.ledger_idx}`.execute(w.c.store.db);
    let r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      {
        kind: 'release',
        index: row.ledger_idx,
        message: `${at} ${w.merchant.id} (entry ${row.ledger_idx}): disagrees with its ledger leaf: the leaf names party ${w.station.id}; its virtual number does not open for this row`,
      },
    ]);
    await sql`update releases set party_id = ${w.station.id} where ledger_idx = ${row.ledger_idx}`.execute(w.c.store.db);
    expect((await verify()).ok).toBe(true);

    // Another virtual number, and an alias taken from another release.
    const other = await w.c.store.db
      .selectFrom('releases')
      .select('alias')
      .where('ledger_idx', '!=', row.ledger_idx)
      .executeTakeFirstOrThrow();
    await sql`update releases set virtual_number = '17000000001', alias = ${`${other.alias}x`} where ledger_idx = ${row.ledger_idx}`.execute(
      w.c.store.db,
    );
    r = await verify();
    expect(r.problems.map((p) => p.message)).toEqual([
      `${at} ${w.station.id} (entry ${row.ledger_idx}): disagrees with its ledger leaf: the leaf records another virtual number; its alias is not the one this entry gives`,
    ]);
  });

  it('accepts honest rows released before and after a fingerprint key rotation', async () => {
    w = await buildWorld(await open(), 3);
    await releaseMany(w.c, w.station, w.orderIds.slice(0, 2));
    await rotateFingerprintKey(w.c, 'test');
    await releaseMany(w.c, w.station, w.orderIds);
    await releaseView(w.c, w.courier, w.orderIds[0] as string);
    const r = await verify();
    expect(r).toMatchObject({ ok: true, releases: 4 });
    const versions = await w.c.store.db.selectFrom('releases').select('fp_version').distinct().orderBy('fp_version').execute();
    expect(versions.map((v) => v.fp_version)).toEqual([1, 2]);
  });

  it('names a release row pointed at another entry or at a missing one', async () => {
    w = await buildWorld(await open(), 2);
    await releaseMany(w.c, w.station, w.orderIds);
    const rows = await w.c.store.db.selectFrom('releases').select(['ledger_idx', 'order_id']).orderBy('ledger_idx').execute();
    const [a, b] = rows as [(typeof rows)[0], (typeof rows)[0]];
    // Point the first row at an ingest entry (entry 0 is a registry entry of the world).
    await sql`update releases set ledger_idx = 0 where ledger_idx = ${a.ledger_idx}`.execute(w.c.store.db);
    await sql`update releases set ledger_idx = 1000000 where ledger_idx = ${b.ledger_idx}`.execute(w.c.store.db);
    const r = await verify();
    const messages = r.problems.map((p) => p.message);
    expect(messages).toHaveLength(4);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^release row of order ${a.order_id} .* \\(entry 0\\): its ledger entry is an? \\w+ entry, not a release$`),
        ),
        expect.stringMatching(new RegExp(`^release row of order ${b.order_id} .* \\(entry 1000000\\): its ledger entry is missing$`)),
        expect.stringMatching(new RegExp(`^release entry ${String(a.ledger_idx)} .* has no release row`)),
        expect.stringMatching(new RegExp(`^release entry ${String(b.ledger_idx)} .* has no release row`)),
      ]),
    );
  });

  it('names release entries whose rows were deleted, which would hide a leaker from trace', async () => {
    w = await buildWorld(await open(), 3);
    await releaseMany(w.c, w.station, w.orderIds);
    await releaseView(w.c, w.station, w.orderIds[0] as string);
    expect(await verify()).toMatchObject({ ok: true });
    await sql`delete from releases where party_id = ${w.station.id}`.execute(w.c.store.db);
    const r = await verify();
    expect(r.ok).toBe(false);
    const missing = r.problems.filter((p) => p.message.includes('has no release row'));
    expect(missing).toHaveLength(3);
  });
});
