import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../check/index.ts';
import { createParties, ForbiddenError, InputError, type Party } from '../custody/index.ts';
import { decodeEntry } from '../ledger/index.ts';
import { buildWorld, type World } from '../custody/test-world.ts';
import { BACKENDS } from '../store/test-stores.ts';
import {
  bucketEntries,
  callerVerdict,
  contactAnswer,
  decayed,
  decideAppeal,
  directory,
  findContacts,
  K_ANONYMITY,
  knowledgeFor,
  lookupIdentifier,
  lookupKey,
  MAX_BUCKET_BITS,
  openAppeal,
  recordContacts,
  register,
  reportIdentifiers,
  type BucketRequest,
} from './index.ts';
import { bucketWidth } from './contacts.ts';

const HOUR = 3_600_000;
const ago = (h: number): string => new Date(Date.now() - h * HOUR).toISOString();
const window = { from: ago(48), to: ago(-1) };
/** The consumer of the world's order 0 (see sampleOrder). */
const CONSUMER = '13900000000';

describe('reputation decay', () => {
  it('halves a score every 30 days', () => {
    expect(decayed(4, ago(24 * 30), Date.now())).toBeCloseTo(2, 3);
    expect(decayed(4, ago(24 * 90), Date.now())).toBeCloseTo(0.5, 3);
  });
});

describe.each(BACKENDS)('verify on $name', (backend) => {
  let w: World;
  let other: Party;
  beforeAll(async () => {
    w = await buildWorld(await backend.open(), 3);
    // Before anything is registered, no number can be called official or not: the answer says so.
    const fresh = await callerVerdict(w.c, '95188');
    expect(fresh.registered).toBe(0);
    expect(contactAnswer(fresh, [])).toMatchObject({ status: 'no_registry', zh: expect.stringContaining('还没有任何平台登记') as unknown });
    [other] = (await createParties(w.c, { operator: 'test' }, [{ kind: 'platform', name: '别的平台' }])) as [Party];
    await register(w.c, w.platform, {
      channels: [
        { kind: 'phone', value: '95123', label: '官方客服热线' },
        { kind: 'phone', value: '0571-88158198' },
        { kind: 'sms', value: '106575258198' },
        { kind: 'domain', value: 'https://www.ceshi.com' },
        { kind: 'name', value: '测试平台' },
        { kind: 'name', value: 'ceshi' },
      ],
      never: ['code', 'card', 'transfer', 'screen', 'app', 'loan', 'off_platform'],
    });
  });
  afterAll(() => w.c.close());

  it('registers channels in canonical form, idempotently, and refuses another org’s number', async () => {
    const again = await register(w.c, w.platform, { channels: [{ kind: 'phone', value: '+86 571 8815 8198' }] });
    expect(again.channels.filter((ch) => ch.kind === 'phone').map((ch) => ch.value)).toEqual(['+8657188158198', '95123']);
    expect(again.never).toContain('code');
    await expect(register(w.c, other, { channels: [{ kind: 'phone', value: '95123' }] })).rejects.toThrow(/channels.0.value/);
    await expect(register(w.c, w.platform, { channels: [{ kind: 'phone', value: 'not a number' }] })).rejects.toThrow(InputError);
    await expect(register(w.c, w.merchant, { party_id: w.platform.id, channels: [] })).rejects.toThrow(/party_id/);
    await expect(register(w.c, other, { party_id: w.platform.id, channels: [] })).rejects.toThrow(/party_id/);
    await expect(register(w.c, w.courier, { channels: [] })).rejects.toThrow(/does not register/);
    expect((await directory(w.c)).map((e) => e.party.name)).toEqual(['测试平台']);
  });

  it('check cites the registry: unregistered caller, never-do policy, and the official number without lowering risk', async () => {
    const text = '您好，我是测试平台客服，您购买的羽绒服有质量问题，给您三倍赔偿，请提供一下验证码。';
    const k = await knowledgeFor(w.c, { text, caller: '13812345678', channel: 'call' });
    const fake = check({ text, caller: '13812345678', channel: 'call' }, k);
    const ids = fake.channel.map((c) => c.id);
    expect(ids).toContain('unofficial_number');
    expect(ids).toContain('never_do');
    expect(fake.advice.zh.join('')).toContain('测试平台已登记声明其客服从不做这些事：索要验证码');
    const base = check({ text, caller: '13812345678', channel: 'call' });
    expect(fake.risk).toBeGreaterThan(base.risk);
    const real = check({ text, caller: '95123', channel: 'call' }, await knowledgeFor(w.c, { text, caller: '95123' }));
    expect(real.channel.map((c) => c.id)).toContain('official_number');
    expect(real.channel.map((c) => c.id)).not.toContain('unofficial_number');
    expect(real.level).toBe('high');
    const link = '【测试平台】您的退款已受理，详情见 ceshi-refund.top/r/8 ，请登录领取';
    const lk = check({ text: link }, await knowledgeFor(w.c, { text: link }));
    const span = lk.spans.find((s) => s.label === 'unofficial_domain');
    expect(span && link.slice(span.start, span.end)).toBe('ceshi-refund.top/r/8');
    const ok = '【测试平台】您的包裹已到驿站，查看 https://m.ceshi.com/p/1 回TD退订';
    const okr = check({ text: ok }, await knowledgeFor(w.c, { text: ok }));
    expect(okr.channel.map((c) => c.id)).toContain('official_domain');
    expect(okr.level).toBe('low');
  });

  it('files contacts only from registered numbers and for the platform’s own agents and orders', async () => {
    const base = { agent_id: w.cs.id, platform_order_id: 'T00000000', channel: 'call' as const, at: ago(2), reason: 'logistics' as const };
    await expect(recordContacts(w.c, w.platform, [{ ...base, number_used: '13800000000' }])).rejects.toThrow(/0.number_used/);
    await expect(recordContacts(w.c, w.platform, [{ ...base, number_used: '95123', agent_id: w.courier.id }])).rejects.toThrow(/agent_id/);
    await expect(recordContacts(w.c, w.platform, [{ ...base, number_used: '95123', platform_order_id: 'NOPE' }])).rejects.toThrow(
      /platform_order_id/,
    );
    await expect(recordContacts(w.c, other, [{ ...base, number_used: '95123' }])).rejects.toThrow(InputError);
    await expect(recordContacts(w.c, w.merchant, [{ ...base, number_used: '95123' }])).rejects.toThrow(ForbiddenError);
    const before = w.c.ledger.size;
    const { ids } = await recordContacts(w.c, w.platform, [
      { ...base, number_used: '95123', agent_label: '工号1024' },
      { ...base, number_used: '0571 8815 8198', consumer_phone: undefined, platform_order_id: 'T00000001', reason: 'after_sales' },
    ]);
    expect(ids).toHaveLength(2);
    expect(w.c.ledger.size).toBe(before + 2);
    // Filing the same file again keeps each contact once: same ids, nothing added, no new ledger entries.
    const again = await recordContacts(w.c, w.platform, [
      { ...base, number_used: '95123', agent_label: '工号1024' },
      { ...base, number_used: '0571 8815 8198', consumer_phone: undefined, platform_order_id: 'T00000001', reason: 'after_sales' },
    ]);
    expect(again).toEqual({ ids, added: 0 });
    expect(w.c.ledger.size).toBe(before + 2);
  });

  it('answers "did you contact me?" by hash prefix: the bucket alone reveals nothing, the right numbers open it', async () => {
    const seen: string[] = [];
    const fetch = async (q: BucketRequest) => {
      seen.push(JSON.stringify(q));
      return bucketEntries(w.c, q);
    };
    const v = await callerVerdict(w.c, '95123');
    const found = await findContacts(CONSUMER, '95123', window, v.lookup, fetch);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ platform: '测试平台', number: '95123', reason: 'logistics', orderTail: '0000', agent: '工号1024' });
    // What left the consumer's side is the bucket and the window: no phone number, no full hash. With two
    // contacts in the store, fewer than K_ANONYMITY, the bucket is 0 bits wide: it says nothing at all.
    expect(seen.join()).not.toMatch(/1390000|95123|\d{11}/);
    expect(JSON.parse(seen[0] as string)).toMatchObject({ bits: 0, bucket: 0 });
    expect(contactAnswer(v, found).status).toBe('confirmed');
    // The same consumer asked about another official number it was not called from: no record.
    const none = await findContacts(CONSUMER, '0571-88158198', window, v.lookup, fetch);
    expect(none).toEqual([]);
    const answer = contactAnswer(await callerVerdict(w.c, '057188158198'), none);
    expect(answer.status).toBe('no_record');
    expect(answer.zh).toContain('请当作诈骗处理');
    // Someone who knows only the caller number cannot open another consumer's entry.
    expect(await findContacts('13900000002', '95123', window, v.lookup, fetch)).toEqual([]);
    const strangerVerdict = await callerVerdict(w.c, '+86 171 0000 1234');
    expect(strangerVerdict.registered).toBeGreaterThan(0);
    expect(contactAnswer(strangerVerdict, []).status).toBe('not_official');
    // A client never sends more bits than MAX_BUCKET_BITS, whatever a server asks for.
    await expect(findContacts(CONSUMER, '95123', window, { ...v.lookup, bits: MAX_BUCKET_BITS + 1 }, fetch)).rejects.toThrow(
      'the server asked for a lookup this client does not make',
    );
    expect(seen).toHaveLength(3);
    // A bucket of another width than the contact volume gives (two contacts: 0 bits) is refused, naming the field.
    await expect(bucketEntries(w.c, { bits: 20, bucket: 5, ...window })).rejects.toThrow('bits: must be 0');
  });

  it('stores nothing that links a bucket to a consumer: no number, consumer index, order or agent beside it, none in the ledger', async () => {
    const rows = await w.c.store.db.selectFrom('contact_entries').selectAll().execute();
    expect(rows).toHaveLength(2);
    const orders = await w.c.store.db.selectFrom('orders').select(['id', 'phone_bidx']).execute();
    for (const r of rows) {
      expect(Object.keys(r).sort()).toEqual(['at', 'id', 'payload', 'prefix', 'tag']);
      expect(r.prefix).toBeLessThan(2 ** 30);
      expect(r.tag).toMatch(/^[0-9a-f]{24}$/);
      const text = JSON.stringify(r);
      expect(text).not.toContain('13900000');
      for (const o of orders) expect([text.includes(o.id), text.includes(o.phone_bidx)]).toEqual([false, false]);
      expect(text).not.toContain(w.cs.id);
    }
    const leaves = await w.c.store.db.selectFrom('ledger').select('leaf').orderBy('idx').execute();
    const contacts = leaves.map((l) => decodeEntry(l.leaf)).filter((e) => e.t === 'contact');
    expect(contacts).toHaveLength(2);
    expect(contacts.map((e) => [e.order, e.party, e.number]).sort()).toEqual([
      ['', w.cs.id, '+8657188158198'],
      ['', w.cs.id, '95123'],
    ]);
  });

  it('sizes buckets to the contact volume: every bucket holds at least K_ANONYMITY distinct pairs', async () => {
    const store = await backend.open();
    try {
      const c = { store };
      const at = new Date().toISOString();
      const add = async (n: number, from: number): Promise<void> => {
        const rows = Array.from({ length: n }, (_, i) => ({
          id: `ct_t${String(from + i)}`,
          prefix: randomBytes(4).readUInt32BE() >>> 2,
          tag: randomBytes(12).toString('hex'),
          payload: 'x',
          at,
        }));
        for (let i = 0; i < rows.length; i += 500)
          await store.db
            .insertInto('contact_entries')
            .values(rows.slice(i, i + 500))
            .execute();
      };
      /** The smallest count of distinct tags over all 2^bits buckets. */
      const fewest = async (bits: number): Promise<number> => {
        const rows = await store.db.selectFrom('contact_entries').select(['prefix', 'tag']).execute();
        const per = new Map<number, Set<string>>();
        for (const r of rows) {
          const b = bits === 0 ? 0 : r.prefix >>> (30 - bits);
          per.set(b, (per.get(b) ?? new Set()).add(r.tag));
        }
        return per.size < 2 ** bits ? 0 : Math.min(...[...per.values()].map((s) => s.size));
      };
      await add(K_ANONYMITY - 1, 0);
      expect(await bucketWidth(c)).toBe(0);
      await add(6000, 100);
      const bits = await bucketWidth(c);
      // 6,000 pairs allow at most 2^9 buckets of ten; the width is the widest at which none falls short.
      expect(bits).toBeGreaterThanOrEqual(6);
      expect(bits).toBeLessThanOrEqual(9);
      expect(await fewest(bits)).toBeGreaterThanOrEqual(K_ANONYMITY);
      expect(await fewest(bits + 1)).toBeLessThan(K_ANONYMITY);
      // The same pair contacted again adds no anonymity: repeated tags count once.
      const one = await store.db.selectFrom('contact_entries').select(['prefix', 'tag']).limit(1).executeTakeFirstOrThrow();
      await store.db
        .insertInto('contact_entries')
        .values(Array.from({ length: 50 }, (_, i) => ({ id: `ct_r${String(i)}`, prefix: one.prefix, tag: one.tag, payload: 'x', at })))
        .execute();
      expect(await bucketWidth(c)).toBe(bits);
    } finally {
      await store.close();
    }
  });

  it('salts the lookup per deployment: the same numbers hash apart in two stores', async () => {
    const store = await backend.open();
    try {
      const salts = await Promise.all(
        [w.c.store, store].map(
          async (s) =>
            (await s.db.selectFrom('settings').select('value').where('name', '=', 'contact_salt').executeTakeFirstOrThrow()).value,
        ),
      );
      expect(salts[0]).toMatch(/^[0-9a-f]{64}$/);
      expect(salts[1]).not.toBe(salts[0]);
      const [a, b] = await Promise.all(salts.map((s) => lookupKey('+8613900000000', '95123', s)));
      expect([a?.prefix === b?.prefix, a?.tag === b?.tag]).toEqual([false, false]);
    } finally {
      await store.close();
    }
  });

  it('keeps reputation: one count per reporter, weights by source, decay, and an appeal that clears it', async () => {
    const card = { kind: 'bank_card' as const, value: '6222020200112233445' };
    for (let i = 0; i < 3; i++) await reportIdentifiers(w.c, [card], { reporter: `ip-${i}`, source: 'anonymous' });
    const dup = await reportIdentifiers(w.c, [card], { reporter: 'ip-0', source: 'anonymous' });
    expect(dup[0]?.counted).toBe(false);
    // Anonymous reports alone, however many, stay below a known scam: anyone can send them.
    const anon = await lookupIdentifier(w.c, card.kind, card.value);
    expect(anon).toMatchObject({ reports: 3, level: 'reported', display: '622202******3445', status: 'active' });
    expect(anon.score).toBeLessThan(3);
    // One platform vouching (a victim's case on its order) is not enough; a second platform is.
    await reportIdentifiers(w.c, [card], {
      reporter: 'case:victim-1',
      source: 'case',
      caseId: 'GK20261125-AAAAAA',
      voucher: `org:${w.platform.id}`,
    });
    expect((await lookupIdentifier(w.c, card.kind, card.value)).level).toBe('reported');
    await reportIdentifiers(w.c, [card], { reporter: `org:${other.id}`, source: 'party', voucher: `org:${other.id}` });
    const v = await lookupIdentifier(w.c, card.kind, card.value);
    expect(v).toMatchObject({ reports: 5, level: 'known_scam', status: 'active' });
    expect(v.score).toBeCloseTo(8, 2);
    const stored = await w.c.store.db.selectFrom('rep_subjects').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(card.value);
    const text = '把钱转到这张卡 6222020200112233445 就能解冻';
    const r = check({ text }, await knowledgeFor(w.c, { text }));
    expect(r.channel.map((c) => c.id)).toContain('known_scam');
    expect(r.spans.some((s) => s.label === 'known_scam' && text.slice(s.start, s.end) === card.value)).toBe(true);
    const { id, token } = await openAppeal(w.c, card.kind, card.value, '这是我本人的工资卡，被人冒用举报', '13700000000');
    // Someone else's appeal cannot shut the owner out: a few wait side by side, then no more.
    for (let i = 0; i < 4; i++) await openAppeal(w.c, card.kind, card.value, `抢先提交的申诉，第${String(i)}次`);
    await expect(openAppeal(w.c, card.kind, card.value, '再申诉一次，理由同上')).rejects.toThrow(/5 appeals are already open/);
    expect((await lookupIdentifier(w.c, card.kind, card.value)).status).toBe('under_appeal');
    const decided = await decideAppeal(w.c, w.regulator, id, 'upheld', '核实为本人账户');
    expect(decided).toMatchObject({ status: 'upheld', reason: '这是我本人的工资卡，被人冒用举报' });
    expect(token).toMatch(/^gka_/);
    const after = await lookupIdentifier(w.c, card.kind, card.value);
    expect(after).toMatchObject({ level: 'none', status: 'cleared' });
    const r2 = check({ text }, await knowledgeFor(w.c, { text }));
    expect(r2.channel.map((c) => c.id)).not.toContain('known_scam');
    await expect(decideAppeal(w.c, w.regulator, id, 'rejected', 'x')).rejects.toThrow(/already upheld/);
  });
});
