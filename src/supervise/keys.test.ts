import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  createApiKey,
  createParties,
  decryptOrder,
  exchangeOwnKey,
  InputError,
  keyMints,
  listOwnKeys,
  MAX_KEYS_A_DAY,
  MAX_LIVE_KEYS,
  NotFoundError,
  releaseManifest,
  releaseView,
  revokeApiKey,
  type Party,
  type Principal,
} from '../custody/index.ts';
import { buildWorld, type World } from '../custody/test-world.ts';
import { must } from '../shared/at.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { keyUses, readAccountability, type StoreAccountability } from './index.ts';

const ids = (hs: readonly { id: string }[]): string[] => hs.map((h) => h.id);

describe.each(BACKENDS)('activity by API key on $name', ({ open }) => {
  let w: World;
  let carrierAdmin: Principal;
  let minted: { id: string; key: string };
  let own: { id: string; key: string };
  let csKey: { id: string; key: string };
  let acc: StoreAccountability;

  beforeAll(async () => {
    w = await buildWorld(await open(), 6);
    const since = new Date(Date.now() - 60_000).toISOString();
    // The carrier holds `registry` over its couriers: it mints a key in courier 1's name and keeps the secret.
    const carrierKey = await createApiKey(w.c, { operator: 'test' }, w.carrier.id, { scopes: ['release', 'ledger', 'registry'] });
    carrierAdmin = { keyId: carrierKey.id, party: w.carrier, scopes: ['release', 'ledger', 'registry'] };
    minted = await createApiKey(w.c, carrierAdmin, w.courier.id);
    // Courier 1 exchanges the key it was handed for one of its own.
    own = await exchangeOwnKey(w.c, must(await authenticate(w.c, minted.key), 'the handed key'));
    const ownP = must(await authenticate(w.c, own.key), 'the exchanged key');
    csKey = await createApiKey(w.c, { operator: 'ops' }, w.cs.id);

    const mine = w.orderIds.filter((_, i) => i % 2 === 0);
    const others = w.orderIds.filter((_, i) => i % 2 === 1);
    // Under the carrier-minted key (before the exchange, as the carrier could): two views and three refused tries.
    for (const id of mine.slice(0, 2)) await releaseView(w.c, { party: w.courier, keyId: minted.id }, id);
    for (const id of others) await expect(releaseView(w.c, { party: w.courier, keyId: minted.id }, id)).rejects.toThrow(NotFoundError);
    // Under its own key: one view, the day's manifest, and a second try at an order already tried that day.
    await releaseView(w.c, ownP, mine[2] as string);
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await releaseManifest(w.c, ownP, day);
    await expect(releaseView(w.c, ownP, others[0] as string)).rejects.toThrow(NotFoundError);
    await decryptOrder(w.c, { party: w.cs, keyId: csKey.id }, w.orderIds[0] as string, 'complaint', 'T-1');
    // From the command line: no key.
    await releaseView(w.c, w.courier2, others[0] as string);
    acc = await readAccountability(w.c, w.regulator, { since, until: new Date(Date.now() + 60_000).toISOString() });
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

  it('counts a refused order and day once whatever keys tried it, and gives each key its share', () => {
    const p = must(acc.profiles.get(w.courier.id), 'courier 1');
    expect(p.refused).toBe(3);
    expect(p.keys.get(minted.id)).toBe(5);
    expect(p.keys.get(own.id)).toBeGreaterThanOrEqual(3);
  });

  it('names everyone who held a key in each key’s line, the exchanged key included', () => {
    const uses = keyUses(must(acc.profiles.get(w.courier.id), 'courier 1'), acc.mints);
    const handed = must(
      uses.find((u) => u.id === minted.id),
      'the handed key',
    );
    expect(handed).toMatchObject({ minted_by: w.carrier.id, minted_by_name: w.carrier.name, exchanged: false, complete: true, entries: 5 });
    expect(ids(handed.seen_by)).toEqual([w.carrier.id]);
    expect(handed.zh).toContain(w.carrier.name);
    expect(handed.en).toContain('may be theirs');
    // Exchanged by courier 1 with the carrier's key: the carrier could have made that exchange.
    const exchanged = must(
      uses.find((u) => u.id === own.id),
      'the exchanged key',
    );
    expect(exchanged).toMatchObject({ minted_by: w.courier.id, exchanged: true, complete: true });
    expect(ids(exchanged.seen_by)).toEqual([w.carrier.id]);
    expect(exchanged.en).toContain('exchanged by the party');
    const cs = keyUses(must(acc.profiles.get(w.cs.id), 'the CS agent'), acc.mints);
    expect(cs).toMatchObject([{ id: csKey.id, minted_by: 'operator:ops', seen_by: [], complete: true }]);
    expect(cs[0]?.en).toContain('no other party held a key');
    expect(acc.profiles.get(w.courier2.id)?.keys.size).toBe(0);
  });

  it('revokes the key an exchange was made with, so a manager that exchanges a handed key cuts the holder off', async () => {
    expect(await authenticate(w.c, minted.key)).toBeNull();
    const handed = await createApiKey(w.c, carrierAdmin, w.courier2.id);
    const taken = await exchangeOwnKey(w.c, must(await authenticate(w.c, handed.key), 'courier 2’s key'));
    expect(await authenticate(w.c, handed.key)).toBeNull();
    const m = (await keyMints(w.c, [taken.id])).get(taken.id);
    expect(m).toMatchObject({ mintedBy: w.courier2.id, exchanged: true });
    expect(ids(m?.seenBy ?? [])).toContain(w.carrier.id);
  });

  it('follows a line through a key a platform minted for a carrier and revoked after using it', async () => {
    const platform = must(await authenticate(w.c, (await createApiKey(w.c, { operator: 'test' }, w.platform.id)).key), 'the platform key');
    const forCarrier = must(
      await authenticate(w.c, (await createApiKey(w.c, platform, w.carrier.id, { scopes: ['release', 'registry'] })).key),
      'the carrier key',
    );
    const forCourier = await createApiKey(w.c, forCarrier, w.courier.id, { scopes: ['release'] });
    expect(await revokeApiKey(w.c, platform, forCarrier.keyId)).toBe(true);
    const m = must((await keyMints(w.c, [forCourier.id])).get(forCourier.id), 'the courier key');
    expect(m.mintedBy).toBe(w.carrier.id);
    expect(ids(m.seenBy)).toEqual([w.carrier.id, w.platform.id]);
    expect(m.root?.id).toBe('operator:test');
  });

  it('follows a line to its start however long it is', async () => {
    const platform = must(await authenticate(w.c, (await createApiKey(w.c, { operator: 'test' }, w.platform.id)).key), 'the platform key');
    let carrier = must(
      await authenticate(w.c, (await createApiKey(w.c, platform, w.carrier.id, { scopes: ['release', 'registry'] })).key),
      'the carrier key',
    );
    for (let i = 0; i < 15; i++)
      carrier = must(
        await authenticate(w.c, (await createApiKey(w.c, carrier, w.carrier.id, { scopes: ['release', 'registry'] })).key),
        'a carrier key',
      );
    let courier = must(
      await authenticate(w.c, (await createApiKey(w.c, carrier, w.courier2.id, { scopes: ['release'] })).key),
      'the courier key',
    );
    for (let i = 0; i < 18; i++) courier = must(await authenticate(w.c, (await exchangeOwnKey(w.c, courier)).key), 'an exchanged key');
    const m = must((await keyMints(w.c, [courier.keyId])).get(courier.keyId), 'the last key');
    expect(m).toMatchObject({ exchanged: true, complete: true });
    expect(ids(m.seenBy).sort()).toEqual([w.carrier.id, w.platform.id].sort());
    // The carrier, with a key of its own, sees the courier key minted with a key in its name.
    const real = must(await authenticate(w.c, (await createApiKey(w.c, { operator: 'test' }, w.carrier.id)).key), 'the carrier’s own key');
    const seen = (await listOwnKeys(w.c, real)).minted_with_mine;
    expect(seen.filter((k) => k.via === carrier.keyId)).toMatchObject([{ party_id: w.courier2.id, exchanged: false }]);
    expect(seen.map((k) => k.party_id)).toContain(w.courier.id);
    // A keys row pointed at the carrier's keys by a database writer is not listed: its leaf says otherwise.
    const stray = await createApiKey(w.c, { operator: 'test' }, w.courier2.id);
    await w.c.store.db.updateTable('api_keys').set({ via_key: carrier.keyId }).where('id', '=', stray.id).execute();
    expect((await listOwnKeys(w.c, real)).minted_with_mine.map((k) => k.id)).toEqual(seen.map((k) => k.id));
    // Newer rows planted without leaves cannot push the real ones off the list: it is capped after the leaf check.
    const planted = Array.from({ length: 150 }, (_, i) => ({
      id: `d${String(i).padStart(11, '0')}`,
      party_id: w.courier2.id,
      hash: '00',
      scopes: '[]',
      label: '',
      created_at: '2999-01-01T00:00:00.000Z',
      revoked_at: '2999-01-01T00:00:00.000Z',
      via_key: carrier.keyId,
    }));
    await w.c.store.db.insertInto('api_keys').values(planted).execute();
    expect((await listOwnKeys(w.c, real)).minted_with_mine.map((k) => k.id)).toEqual(seen.map((k) => k.id));
  });

  it('counts the day’s keys per minter: a manager cannot use up a party’s exchanges', async () => {
    const platform = must(await authenticate(w.c, (await createApiKey(w.c, { operator: 'test' }, w.platform.id)).key), 'the platform key');
    const first = await createApiKey(w.c, platform, w.station.id);
    for (let i = 1; i < MAX_KEYS_A_DAY; i++) await revokeApiKey(w.c, platform, (await createApiKey(w.c, platform, w.station.id)).id);
    expect(await createApiKey(w.c, platform, w.station.id).catch((e: unknown) => (e as Error).message)).toContain('today');
    const exchanged = await exchangeOwnKey(w.c, must(await authenticate(w.c, first.key), 'the station key'));
    expect(await authenticate(w.c, exchanged.key)).not.toBeNull();
  });

  it('lets a party exchange after a manager used its day with the party’s own key, and lists live keys before revoked ones', async () => {
    const [station] = (await createParties(w.c, { operator: 'test' }, [{ kind: 'station', name: '古荡驿站', parent_id: w.outlet.id }])) as [
      Party,
    ];
    const handed = must(await authenticate(w.c, (await createApiKey(w.c, carrierAdmin, station.id)).key), 'the handed key');
    // The carrier, holding the station's key, mints and revokes a full day of keys in the station's name with it.
    for (let i = 0; i < MAX_KEYS_A_DAY; i++) await revokeApiKey(w.c, handed, (await createApiKey(w.c, handed, station.id)).id, true);
    expect(await createApiKey(w.c, handed, station.id).catch((e: unknown) => (e as Error).message)).toContain('today');
    const own = must(await authenticate(w.c, (await exchangeOwnKey(w.c, handed)).key), 'the exchanged key');
    // Even when every revoked key is newer than it, the live key comes first.
    await w.c.store.db.updateTable('api_keys').set({ created_at: '2026-01-01T00:00:00.000Z' }).where('id', '=', own.keyId).execute();
    const { keys } = await listOwnKeys(w.c, own);
    expect(keys[0]).toMatchObject({ id: own.keyId, revoked_at: null });
    expect(keys.filter((k) => k.revoked_at === null)).toHaveLength(1);
  });

  it('lets a party list the keys in its name and revoke one a manager minted, but no other party’s', async () => {
    const me = must(await authenticate(w.c, own.key), 'the exchanged key');
    const third = await createApiKey(w.c, carrierAdmin, w.courier.id);
    const { keys } = await listOwnKeys(w.c, me);
    const byId = new Map(keys.map((k) => [k.id, k]));
    expect(byId.get(minted.id)).toMatchObject({ minted_by: w.carrier.id, exchanged: false });
    expect(byId.get(minted.id)?.revoked_at).not.toBeNull();
    expect(byId.get(own.id)).toMatchObject({ minted_by: w.courier.id, exchanged: true, revoked_at: null });
    expect(JSON.stringify(keys)).not.toContain(minted.key.slice(16));
    const other = await createApiKey(w.c, { operator: 'test' }, w.courier2.id);
    expect(await revokeApiKey(w.c, me, other.id, true)).toBe(false);
    expect(await authenticate(w.c, other.key)).not.toBeNull();
    expect(await revokeApiKey(w.c, me, third.id, true)).toBe(true);
    expect(await authenticate(w.c, third.key)).toBeNull();
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
    // The exchanged key's line now breaks at the handed key, whose entry cannot be found.
    expect(mints.get(own.id)?.complete).toBe(false);
    expect(keyUses(must(acc.profiles.get(w.cs.id), 'the CS agent'), mints)[0]?.en).toContain('minter is unknown');
  });

  it('holds a party to a bounded number of keys a day and of live keys, and refuses control characters in labels', async () => {
    const party = w.staff.id;
    const given = async (): Promise<unknown> => createApiKey(w.c, { operator: 'test' }, party).catch((e: unknown) => e);
    for (let i = 0; i < MAX_KEYS_A_DAY; i++) expect(await given()).not.toBeInstanceOf(Error);
    const today = await given();
    expect(today).toBeInstanceOf(InputError);
    expect((today as InputError).message).toContain('today');
    // Keys from earlier days still count as live.
    const earlier = '2026-01-01T00:00:00.000Z';
    await w.c.store.db.updateTable('api_keys').set({ created_at: earlier }).where('party_id', '=', party).execute();
    const rows = Array.from({ length: MAX_LIVE_KEYS - MAX_KEYS_A_DAY }, (_, i) => ({
      id: `f${String(i).padStart(11, '0')}`,
      party_id: party,
      hash: '00',
      scopes: '[]',
      label: '',
      created_at: earlier,
      revoked_at: null,
    }));
    await w.c.store.db.insertInto('api_keys').values(rows).execute();
    const live = await given();
    expect(live).toBeInstanceOf(InputError);
    expect((live as InputError).issues[0]).toMatchObject({ field: 'party_id' });
    expect((live as InputError).message).toContain('live keys');
    const nul = await createApiKey(w.c, { operator: 'test' }, w.staff2.id, { label: 'a\u0000b' }).catch((e: unknown) => e);
    expect((nul as InputError).issues[0]?.field).toBe('label');
  });
});
