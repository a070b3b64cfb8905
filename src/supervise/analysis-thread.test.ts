import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { releaseView } from '../custody/index.ts';
import { buildWorld, type World } from '../custody/test-world.ts';
import { openStore } from '../store/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { analyseAccountability } from './activity.ts';
import { analysesOffThread, readAccountability } from './index.ts';

const window = (): { since: string; until: string } => ({
  since: new Date(Date.now() - 3_600_000).toISOString(),
  until: new Date(Date.now() + 60_000).toISOString(),
});

describe.each(BACKENDS)('accountability analysed on a worker thread on $name', ({ open }) => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(await open(), 8);
    for (const id of w.orderIds) await releaseView(w.c, w.station, id);
    for (const id of w.orderIds.slice(0, 3)) await releaseView(w.c, w.merchant, id);
  });
  afterAll(async () => {
    await w.c.close();
  });

  it('answers what the calling thread computes, from the worker’s own connection', async () => {
    const win = window();
    const off = await readAccountability(w.c, w.regulator, win);
    expect(analysesOffThread(w.c)).toBe(1);
    const here = await analyseAccountability(w.c, w.regulator, win);
    expect(off.profiles).toEqual(here.profiles);
    expect(off.anomalies).toEqual(here.anomalies);
    expect(off.profiles.get(w.station.id)?.views).toBe(8);
  });

  it('sees what was written after the worker started, and refuses a non-reader before any thread runs', async () => {
    for (const id of w.orderIds.slice(3)) await releaseView(w.c, w.merchant, id);
    const off = await readAccountability(w.c, w.platform, window());
    expect(off.profiles.get(w.merchant.id)?.views).toBe(8);
    await expect(readAccountability(w.c, w.courier, window())).rejects.toThrow('only a platform or an authority');
    expect(analysesOffThread(w.c)).toBe(2);
  });

  it('counts an entry by its own time when a writer’s clock was behind the one before it', async () => {
    const t = Date.now();
    await releaseView(w.c, w.courier, w.orderIds[0] as string);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(t - 120_000);
    try {
      await releaseView(w.c, w.courier2, w.orderIds[1] as string);
    } finally {
      vi.useRealTimers();
    }
    const before = await readAccountability(w.c, w.regulator, {
      since: new Date(t - 600_000).toISOString(),
      until: new Date(t - 1_000).toISOString(),
    });
    const after = await readAccountability(w.c, w.regulator, {
      since: new Date(t - 1_000).toISOString(),
      until: new Date(t + 600_000).toISOString(),
    });
    expect([before.profiles.get(w.courier2.id)?.views, after.profiles.get(w.courier2.id)?.views]).toEqual([1, 0]);
    expect(after.profiles.get(w.courier.id)?.views).toBe(1);
  });

  it('attributes a leaf to the party it names, and refuses to answer when a row of the window was edited or deleted', async () => {
    const row = await w.c.store.db
      .selectFrom('ledger')
      .select(['idx', 'leaf'])
      .where('party', '=', w.merchant.id)
      .orderBy('idx', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    // The party column is only an index: moving it does not move the entry.
    await w.c.store.db.updateTable('ledger').set({ party: w.station.id }).where('idx', '=', row.idx).execute();
    const moved = await readAccountability(w.c, w.platform, window());
    expect([moved.profiles.get(w.merchant.id)?.views, moved.profiles.get(w.station.id)?.views]).toEqual([8, 8]);
    await w.c.store.db
      .updateTable('ledger')
      .set({ leaf: row.leaf.replace(w.merchant.id, w.station.id) })
      .where('idx', '=', row.idx)
      .execute();
    await expect(readAccountability(w.c, w.platform, window())).rejects.toThrow('do not match the signed tree');
    await w.c.store.db.updateTable('ledger').set({ leaf: row.leaf }).where('idx', '=', row.idx).execute();
    await w.c.store.db
      .deleteFrom('ledger')
      .where('idx', '=', row.idx - 1)
      .execute();
    await expect(readAccountability(w.c, w.platform, window())).rejects.toThrow('do not match the signed tree');
  });
});

describe('accountability of an in-memory store', () => {
  it('is analysed on the calling thread (no other thread can open it)', async () => {
    const w = await buildWorld(await openStore({ url: ':memory:' }), 2);
    try {
      await releaseView(w.c, w.station, w.orderIds[0] as string);
      expect((await readAccountability(w.c, w.regulator, window())).profiles.get(w.station.id)?.views).toBe(1);
      expect(analysesOffThread(w.c)).toBe(0);
    } finally {
      await w.c.close();
    }
  });
});
