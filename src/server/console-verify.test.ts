import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, custodyOn, releaseView, rotateDataKey, type Custody } from '../custody/index.ts';
import { buildWorld, type World } from '../custody/test-world.ts';
import { openStore } from '../store/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { createApp } from './app.ts';

describe.each(BACKENDS)('the console’s full verification on $name', ({ open }) => {
  let w: World;
  let other: Custody;
  beforeAll(async () => {
    w = await buildWorld(await open(), 2);
    const at = w.c.store.location;
    if (!at) throw new Error('the test store has no location');
    // A second server process on the same store, as in a deployment with several instances.
    other = await custodyOn(await openStore(at), w.master);
  });
  afterAll(async () => {
    await other.close();
    await w.c.close();
  });

  it('runs with the keys, synced first, so a data key another process rotated in reads as no tampering', async () => {
    const regulator = (await createApiKey(w.c, { operator: 'test' }, w.regulator.id)).key;
    await rotateDataKey(other, 'test');
    await releaseView(other, w.courier, w.orderIds[0] as string);
    const res = await createApp({ custody: w.c }).request('/api/v1/ledger/status', { headers: { authorization: `Bearer ${regulator}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { verify: { ok: boolean; problems: unknown[] } };
    expect(body.verify).toMatchObject({ ok: true, problems: [] });
  });
});
