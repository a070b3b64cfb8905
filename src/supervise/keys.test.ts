import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  createApiKey,
  decryptOrder,
  InputError,
  keyMints,
  listOwnKeys,
  MAX_LIVE_KEYS,
  NotFoundError,
  releaseManifest,
  releaseView,
  revokeApiKey,
  type Principal,
} from '../custody/index.ts';
import { buildWorld, type World } from '../custody/test-world.ts';
import { must } from '../shared/at.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { keyUses, readAccountability, type StoreAccountability } from './index.ts';

describe.each(BACKENDS)('activity by API key on $name', ({ open }) => {
  let w: World;
  let carrierAdmin: Principal;
  let minted: { id: string; key: string };
  let own: { id: string; key: string };
  let csKey: { id: string; key: string };
  let acc: StoreAccountability;
  let window: { since: string; until: string };

  beforeAll(async () => {
    w = await buildWorld(await open(), 6);
    const since = new Date(Date.now() - 60_000).toISOString();
    // The carrier holds `registry` over its couriers: it mints a key in courier 1's name and keeps the secret.
    const carrierKey = await createApiKey(w.c, { operator: 'test' }, w.carrier.id, { scopes: ['release', 'ledger', 'registry'] });
    carrierAdmin = { keyId: carrierKey.id, party: w.carrier, scopes: ['release', 'ledger', 'registry'] };
    minted = await createApiKey(w.c, carrierAdmin, w.courier.id);
    // Courier 1 mints its own key with the key it was handed.
    const handed = (await authenticate(w.c, minted.key)) as Principal;
    own = await createApiKey(w.c, handed, w.courier.id, { scopes: handed.scopes });
    const ownP = (await authenticate(w.c, own.key)) as Principal;
    csKey = await createApiKey(w.c, { operator: 'ops' }, w.cs.id);

    const mine = w.orderIds.filter((_, i) => i % 2 === 0);
    const others = w.orderIds.filter((_, i) => i % 2 === 1);
    // Under the carrier-minted key: two views of courier 1's orders and three tries at courier 2's.
    for (const id of mine.slice(0, 2)) await releaseView(w.c, { party: w.courier, keyId: minted.id }, id);
    for (const id of others) await expect(releaseView(w.c, { party: w.courier, keyId: minted.id }, id)).rejects.toThrow(NotFoundError);
    // Under its own key: one view and the day's manifest.
    await releaseView(w.c, ownP, mine[2] as string);
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await releaseManifest(w.c, ownP, day);
    await decryptOrder(w.c, { party: w.cs, keyId: csKey.id }, w.orderIds[0] as string, 'complaint', 'T-1');
    // From the command line: no key.
    await releaseView(w.c, w.courier2, others[0] as string);
    window = { since, until: new Date(Date.now() + 60_000).toISOString() };
    acc = await readAccountability(w.c, w.regulator, window);
  });
  afterAll(async () => {
    await w.c.close();
  });

  it('names the key in release, decrypt and export leaves, and none from the command line', async () => {
    const leaves = (await w.c.store.db.selectFrom('ledger').select('leaf').orderBy('idx').execute()).map(
      (r) => JSON.parse(r.leaf) as { t: string; party: string; key?: string },
    );
    const courier1 = leaves.filter((e) => e.party === w.courier.id && (e.t === 'release' || e.t === 'export'));
    expect(courier1.filter((e) => e.key === minted.id)).toHaveLength(2);
    expect(courier1.filter((e) => e.key === own.id).map((e) => e.t)).toContain('export');
    expect(leaves.find((e) => e.t === 'decrypt')?.key).toBe(csKey.id);
    const cli = leaves.filter((e) => e.party === w.courier2.id && e.t === 'release');
    expect(cli.length).toBeGreaterThan(0);
    for (const e of cli) expect(e).not.toHaveProperty('key');
  });

  it('counts each key’s entries and refused tries, and names a minter other than the holder', () => {
    const p = must(acc.profiles.get(w.courier.id), 'courier 1');
    expect(p.keys.get(minted.id)).toBe(5);
    expect(p.refused).toBe(3);
    const uses = keyUses(p, acc.mints);
    const byOther = uses.find((u) => u.id === minted.id);
    expect(byOther).toMatchObject({ minted_by: w.carrier.id, minted_by_name: w.carrier.name, minted_by_holder: false, entries: 5 });
    expect(byOther?.zh).toContain(w.carrier.name);
    expect(byOther?.en).toContain('may be the minter');
    expect(uses.find((u) => u.id === own.id)).toMatchObject({ minted_by: w.courier.id, minted_by_holder: true });
    expect(keyUses(must(acc.profiles.get(w.cs.id), 'the CS agent'), acc.mints)).toMatchObject([
      { id: csKey.id, minted_by: 'operator:ops', minted_by_holder: false },
    ]);
    // The lead on courier 1 (tries at orders never routed to it) carries the key and its minter.
    expect(acc.anomalies.find((a) => a.party === w.courier.id)?.reasons.map((r) => r.code)).toContain('refused_attempts');
    expect(acc.profiles.get(w.courier2.id)?.keys.size).toBe(0);
  });

  it('lets a party list the keys in its name and revoke one a manager minted, but no other party’s', async () => {
    const me = (await authenticate(w.c, own.key)) as Principal;
    const keys = await listOwnKeys(w.c, me);
    expect(keys.map((k) => [k.id, k.created_by, k.minted_by_self])).toEqual([
      [minted.id, w.carrier.id, false],
      [own.id, w.courier.id, true],
    ]);
    expect(JSON.stringify(keys)).not.toContain(minted.key.slice(16));
    const other = await createApiKey(w.c, { operator: 'test' }, w.courier2.id);
    expect(await revokeApiKey(w.c, me, other.id, true)).toBe(false);
    expect(await authenticate(w.c, other.key)).not.toBeNull();
    expect(await revokeApiKey(w.c, me, minted.id, true)).toBe(true);
    expect(await authenticate(w.c, minted.key)).toBeNull();
    // The own-keys path reaches only keys in the caller's own name, even for a manager.
    expect(await revokeApiKey(w.c, carrierAdmin, other.id, true)).toBe(false);
  });

  it('reads each minter from the key’s ledger entry, not from the keys table a database writer can edit', async () => {
    await w.c.store.db.updateTable('api_keys').set({ created_by: w.courier.id }).where('id', '=', minted.id).execute();
    expect((await keyMints(w.c, [minted.id])).get(minted.id)?.mintedBy).toBe(w.carrier.id);
    // Pointing a key at another key's entry, or at none, leaves its minter unknown.
    const ownIdx = (await w.c.store.db.selectFrom('api_keys').select('ledger_idx').where('id', '=', own.id).executeTakeFirstOrThrow())
      .ledger_idx;
    await w.c.store.db.updateTable('api_keys').set({ ledger_idx: ownIdx }).where('id', '=', csKey.id).execute();
    await w.c.store.db.updateTable('api_keys').set({ ledger_idx: null }).where('id', '=', minted.id).execute();
    const mints = await keyMints(w.c, [csKey.id, minted.id, own.id]);
    expect([mints.get(csKey.id)?.mintedBy, mints.get(minted.id)?.mintedBy, mints.get(own.id)?.mintedBy]).toEqual([
      null,
      null,
      w.courier.id,
    ]);
    expect(keyUses(must(acc.profiles.get(w.cs.id), 'the CS agent'), mints)[0]?.en).toContain('minter is unknown');
  });

  it('holds a party to a bounded number of live keys', async () => {
    const me = (await authenticate(w.c, own.key)) as Principal;
    const live = (await listOwnKeys(w.c, me)).filter((k) => k.revoked_at === null).length;
    for (let i = live; i < MAX_LIVE_KEYS; i++) await createApiKey(w.c, me, w.courier.id, { scopes: me.scopes });
    const err = await createApiKey(w.c, me, w.courier.id, { scopes: me.scopes }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).issues[0]?.field).toBe('party_id');
  });
});
