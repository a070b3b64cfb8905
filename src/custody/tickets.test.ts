import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BACKENDS } from '../store/test-stores.ts';
import { checkOrderAccess, orderAccess, readAccountability, type AccessRow, type OrderAccess } from '../supervise/index.ts';
import { must } from '../shared/at.ts';
import { MAX_CHAIN } from '../supervise/rows.ts';
import { createParties, decryptOrder, InputError, openTicket, releaseView, TICKET_DAYS, TICKET_DECRYPTS, type Party } from './index.ts';
import { buildWorld, type World } from './test-world.ts';

/** The field an InputError names, or the error itself when it is not one. */
const fieldOf = (e: unknown): unknown => (e instanceof InputError ? e.issues[0]?.field : e);

describe.each(BACKENDS)('CS tickets on $name', ({ open }) => {
  let w: World;
  let platformB: Party;
  let agentB: Party;
  let cs2: Party;
  beforeAll(async () => {
    w = await buildWorld(await open(), 6);
    [platformB] = (await createParties(w.c, { operator: 'test' }, [{ kind: 'platform', name: '乙平台' }])) as [Party];
    [agentB, cs2] = (await createParties(w.c, { operator: 'test' }, [
      { kind: 'cs_agent', name: '乙客服', parent_id: platformB.id },
      { kind: 'cs_agent', name: '客服2', parent_id: w.platform.id },
    ])) as [Party, Party];
  });
  afterAll(async () => {
    vi.useRealTimers();
    await w.c.close();
  });

  it('registers a platform’s ticket once, by order id or order number, with the id only as a salted commitment', async () => {
    const order = await w.c.store.db
      .selectFrom('orders')
      .select(['id', 'platform_order_id'])
      .where('id', '=', w.orderIds[0] as string)
      .executeTakeFirstOrThrow();
    const t = await openTicket(w.c, w.platform, { order: order.platform_order_id, ticket: 'CS-20261207-0001', agent_id: w.cs.id });
    expect(t).toMatchObject({ order_id: order.id, agent_id: w.cs.id, created: true });
    const leaf = (await w.c.store.db.selectFrom('ledger').select('leaf').where('idx', '=', t.entry).executeTakeFirstOrThrow()).leaf;
    expect(JSON.parse(leaf)).toMatchObject({ t: 'ticket', party: w.platform.id, agent: w.cs.id });
    expect(leaf).not.toContain('CS-20261207-0001');
    expect(leaf).not.toContain(order.id);
    const again = await openTicket(w.c, w.platform, { order: order.id, ticket: 'CS-20261207-0001', agent_id: w.cs.id });
    expect(again).toMatchObject({ entry: t.entry, created: false });
    const size = w.c.ledger.tree.size;
    // The same ticket for another order or agent, another platform's order or agent, a bad id: refused, nothing written.
    const refused = [
      openTicket(w.c, w.platform, { order: w.orderIds[1], ticket: 'CS-20261207-0001', agent_id: w.cs.id }),
      openTicket(w.c, w.platform, { order: w.orderIds[0], ticket: 'CS-20261207-0001' }),
      openTicket(w.c, platformB, { order: w.orderIds[0], ticket: 'B-1' }),
      openTicket(w.c, w.platform, { order: w.orderIds[0], ticket: 'A-2', agent_id: agentB.id }),
      openTicket(w.c, w.platform, { order: w.orderIds[0], ticket: 'A 3' }),
      openTicket(w.c, w.platform, { order: w.orderIds[0], ticket: 'A-4', extra: 1 }),
    ];
    expect(await Promise.all(refused.map((p) => p.catch(fieldOf)))).toEqual(['ticket', 'ticket', 'order', 'agent_id', 'ticket', '(body)']);
    await expect(openTicket(w.c, w.cs, { order: w.orderIds[0], ticket: 'X-1' })).rejects.toThrow(InputError);
    expect(w.c.ledger.tree.size).toBe(size);
  });

  it('puts a named ticket’s entry into the decrypt, and refuses a ticket of another order, agent or platform, or too old', async () => {
    const order = w.orderIds[2] as string;
    const t = await openTicket(w.c, w.platform, { order, ticket: 'CS-2', agent_id: w.cs.id });
    await decryptOrder(w.c, w.cs, order, 'complaint', 'called about a parcel', 'CS-2');
    const last = await w.c.store.db.selectFrom('ledger').select('leaf').orderBy('idx', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(JSON.parse(last.leaf)).toMatchObject({ t: 'decrypt', tk: t.entry });
    const size = w.c.ledger.tree.size;
    const refused = [
      decryptOrder(w.c, cs2, order, 'complaint', '', 'CS-2'),
      decryptOrder(w.c, w.cs, w.orderIds[3] as string, 'complaint', '', 'CS-2'),
      decryptOrder(w.c, w.cs, order, 'complaint', '', 'NOPE'),
    ];
    expect(await Promise.all(refused.map((p) => p.catch(fieldOf)))).toEqual(['ticket', 'ticket', 'ticket']);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (TICKET_DAYS + 1) * 86_400_000);
    expect(await decryptOrder(w.c, w.cs, order, 'complaint', '', 'CS-2').catch(fieldOf)).toBe('ticket');
    vi.useRealTimers();
    expect(w.c.ledger.tree.size).toBe(size);
  });

  it('gives a ticket to one agent and TICKET_DECRYPTS decrypts, in custody and again in supervision', async () => {
    const [cs3, cs4] = (await createParties(w.c, { operator: 'test' }, [
      { kind: 'cs_agent', name: '客服3', parent_id: w.platform.id },
      { kind: 'cs_agent', name: '客服4', parent_id: w.platform.id },
    ])) as [Party, Party];
    const order = w.orderIds[1] as string;
    const since = new Date(Date.now() - 600_000).toISOString();
    await openTicket(w.c, w.platform, { order, ticket: 'CS-ONE' });
    // Two agents at once on an unassigned ticket: one takes it, the other is refused.
    const first = await Promise.allSettled([cs3, cs4].map((a) => decryptOrder(w.c, a, order, 'refund', '', 'CS-ONE')));
    expect(first.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const [holder, other] = first[0]?.status === 'fulfilled' ? [cs3, cs4] : [cs4, cs3];
    expect(first.map((r) => (r.status === 'rejected' ? fieldOf(r.reason) : 'ok')).sort()).toEqual(['ok', 'ticket']);
    for (let i = 1; i < TICKET_DECRYPTS; i++) await decryptOrder(w.c, holder, order, 'refund', '', 'CS-ONE');
    expect(await decryptOrder(w.c, holder, order, 'refund', '', 'CS-ONE').catch(fieldOf)).toBe('ticket');
    // Neither refusal is kept as a wrong ticket id: both named a real ticket of the order, and an agent that
    // took a ticket first must not turn the assignee's tries into a lead against it.
    const refusals = await w.c.store.db
      .selectFrom('ticket_refusals')
      .select('party_id')
      .where('party_id', 'in', [holder.id, other.id])
      .execute();
    expect(refusals).toEqual([]);
    // A database writer wipes the ticket's uses: custody lets more decrypts through, but supervision reads the
    // leaves, so the ticket still covers only its first agent's first TICKET_DECRYPTS.
    const wipe = () => w.c.store.db.updateTable('order_decrypts').set({ ticket_idx: null }).where('order_id', '=', order).execute();
    await wipe();
    await decryptOrder(w.c, holder, order, 'refund', '', 'CS-ONE');
    await wipe();
    await decryptOrder(w.c, other, order, 'refund', '', 'CS-ONE');
    const acc = await readAccountability(w.c, w.regulator, { since, until: new Date(Date.now() + 60_000).toISOString() });
    expect(acc.profiles.get(holder.id)).toMatchObject({ decrypts: TICKET_DECRYPTS + 1, decryptsWithoutTicket: 1 });
    expect(acc.profiles.get(other.id)).toMatchObject({ decrypts: 1, decryptsWithoutTicket: 1 });
    // The consumer page says the same, and its check in the browser fails a sixth use claimed as ticketed.
    const a = await orderAccess(w.c, order);
    const decrypts = a.rows.filter((r) => 'decrypt' in r.why);
    const ticketed = decrypts.filter((r) => 'decrypt' in r.why && r.why.ticket);
    expect(decrypts).toHaveLength(TICKET_DECRYPTS + 2);
    expect(ticketed).toHaveLength(TICKET_DECRYPTS);
    expect(new Set(ticketed.map((r) => r.party.name))).toEqual(new Set([holder.name]));
    const forged = JSON.parse(JSON.stringify(a)) as OrderAccess;
    const sixth = must(
      forged.rows.find((r) => 'decrypt' in r.why && !r.why.ticket && r.party.name === holder.name),
      'the holder’s sixth decrypt',
    );
    sixth.why = { ...(ticketed[0]?.why as Extract<AccessRow['why'], { decrypt: string }>), decrypt: 'refund' };
    const report = await checkOrderAccess(forged, a.verifier_key);
    expect(report.rows.get(sixth.entry)).toBe('bad_ticket');
    expect([...report.rows.values()].filter((v) => v !== true)).toHaveLength(1);
  });

  it('does not vouch for a ticket opened before the part of a long chain the page followed', async () => {
    const order = w.orderIds[3] as string;
    await releaseView(w.c, w.courier2, order);
    await openTicket(w.c, w.platform, { order, ticket: 'CS-LONG', agent_id: w.cs.id });
    await decryptOrder(w.c, w.cs, order, 'refund', '', 'CS-LONG');
    for (let i = 0; i < MAX_CHAIN; i++) await releaseView(w.c, w.courier2, order);
    await decryptOrder(w.c, w.cs, order, 'refund', '', 'CS-LONG');
    const a = await orderAccess(w.c, order);
    const report = await checkOrderAccess(a, a.verifier_key);
    expect(report.chain).toMatchObject({ ok: true, complete: false });
    // The answer could have left out earlier uses of the ticket: both decrypts verify, but the page does not
    // vouch for their ticket.
    const decrypts = a.rows.filter((r) => 'decrypt' in r.why && r.why.ticket);
    expect(decrypts).toHaveLength(2);
    expect(a.rows.map((r) => report.rows.get(r.entry))).toEqual([true, true, true]);
    expect([...(report.unvouched ?? [])].sort()).toEqual(decrypts.map((r) => r.entry).sort());
  });

  it('counts a decrypt as ticketed only through a ticket entry of its order, never a note or an edited ticket row', async () => {
    const [o4, o5] = [w.orderIds[4] as string, w.orderIds[5] as string];
    const since = new Date(Date.now() - 600_000).toISOString();
    await openTicket(w.c, w.platform, { order: o4, ticket: 'CS-4' });
    await decryptOrder(w.c, cs2, o4, 'refund', '', 'CS-4');
    await decryptOrder(w.c, cs2, o5, 'refund', '工单 #5 (typed, never registered)');
    // A database writer points ticket CS-4's row at order 5: custody then takes it for order 5, but the entry
    // the decrypt names is about order 4, so supervision does not count it.
    await w.c.store.db.updateTable('tickets').set({ order_id: o5 }).where('ticket', '=', 'CS-4').execute();
    await decryptOrder(w.c, cs2, o5, 'refund', '', 'CS-4');
    const acc = await readAccountability(w.c, w.regulator, { since, until: new Date(Date.now() + 60_000).toISOString() });
    expect(acc.profiles.get(cs2.id)).toMatchObject({ decrypts: 3, decryptsWithoutTicket: 2 });
    // The refused tries of the test before are kept: agent 1 named a wrong ticket twice today, agent 2 once.
    expect([acc.profiles.get(w.cs.id)?.wrongTickets, acc.profiles.get(cs2.id)?.wrongTickets]).toEqual([2, 1]);
    // Rewriting the ticket's own entry to name order 5 is caught: the analysis refuses to answer.
    const tk = (await w.c.store.db.selectFrom('tickets').select('ledger_idx').where('ticket', '=', 'CS-4').executeTakeFirstOrThrow())
      .ledger_idx;
    const refs = await w.c.store.db.selectFrom('orders').select(['id', 'ref']).where('id', 'in', [o4, o5]).execute();
    const ref = (id: string): string => refs.find((r) => r.id === id)?.ref ?? '';
    const leaf = (await w.c.store.db.selectFrom('ledger').select('leaf').where('idx', '=', tk).executeTakeFirstOrThrow()).leaf;
    await w.c.store.db
      .updateTable('ledger')
      .set({ leaf: leaf.replace(ref(o4), ref(o5)) })
      .where('idx', '=', tk)
      .execute();
    await expect(readAccountability(w.c, w.regulator, { since, until: new Date(Date.now() + 60_000).toISOString() })).rejects.toThrow(
      'do not match the signed tree',
    );
  });
});
