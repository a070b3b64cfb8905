import { describe, expect, it } from 'vitest';
import { INSIDER_WORLD, needsUntil, reportSignals, simulateInsider } from '../sim/index.ts';
import { accountability, beijingDayHour, type Activity, type PartyRef } from './accountability.ts';
import { lnGamma, poissonTailLog10 } from './stats.ts';

const DAY0 = Date.parse('2026-11-02T00:00:00+08:00');
const HOUR = 3_600_000;
const ref = (id: string, kind: string, need: number): PartyRef => ({ id, kind, name: id, org: 'org', need, needByDay: new Map() });
const view = (party: string, at: number, assigned = true): Activity => ({
  party,
  action: 'view',
  at,
  orders: 1,
  fields: ['order_no', 'name', 'phone', 'address'],
  assigned,
  ticket: false,
});

const decrypt = (party: string, at: number, ticket: boolean): Activity => ({
  party,
  action: 'decrypt',
  at,
  orders: 1,
  fields: ['name'],
  assigned: true,
  ticket,
});

describe('the Poisson tail', () => {
  it('matches exact values', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 10);
    // P[Poisson(1) >= 3] = 1 - e^-1 (1 + 1 + 1/2)
    expect(10 ** poissonTailLog10(1, 3)).toBeCloseTo(1 - Math.exp(-1) * 2.5, 10);
    expect(poissonTailLog10(5, 4)).toBe(0);
    expect(poissonTailLog10(0, 2)).toBeLessThan(-15);
  });
});

describe('accountability', () => {
  it('counts views, fields, decrypts and exports by Beijing day and hour', () => {
    const at = DAY0 + 3 * HOUR;
    const r = accountability(
      [ref('a', 'station', 3)],
      [
        view('a', at),
        view('a', at + 1, false),
        { party: 'a', action: 'export', at, orders: 2, fields: ['name'], assigned: true, ticket: false },
        view('outsider', at),
      ],
      { since: DAY0, until: DAY0 + 86_400_000 },
    );
    const p = r.profiles.get('a');
    expect(p).toMatchObject({ views: 2, unassignedViews: 1, exports: 1, exportedOrders: 2, oddHourExports: 1, records: 2 });
    expect(p?.fields.phone).toBe(2);
    expect(p?.hours[3]).toBe(2);
    expect(p?.days).toEqual([{ day: '2026-11-02', views: 2, decrypts: 0, exports: 2, need: 0 }]);
    expect(r.profiles.has('outsider')).toBe(false);
    expect(beijingDayHour(Date.parse('2026-11-01T19:30:00Z'))).toEqual({ day: '2026-11-02', hour: 3 });
  });

  it('makes an agent that names wrong tickets again and again a lead, and a single slip not', () => {
    const parties = Array.from({ length: 5 }, (_, i) => ref(`cs${i}`, 'cs_agent', 50));
    const acts: Activity[] = [];
    for (let i = 0; i < 5; i++) for (let k = 0; k < 20; k++) acts.push(decrypt(`cs${i}`, DAY0 + 10 * HOUR + k, true));
    const wrong = (party: string, tries: number): Activity => ({
      party,
      action: 'wrong_ticket',
      at: DAY0 + 11 * HOUR,
      orders: tries,
      fields: [],
      assigned: false,
      ticket: false,
    });
    const r = accountability(parties, [...acts, wrong('cs1', 1), wrong('cs2', 12)], { since: DAY0, until: DAY0 + 86_400_000 });
    expect(r.profiles.get('cs2')?.wrongTickets).toBe(12);
    const lead = r.anomalies.find((a) => a.party === 'cs2');
    expect(lead?.reasons.map((x) => x.code)).toEqual(['wrong_ticket_tries']);
    expect(lead?.reasons[0]?.en).toBe('12 decrypt tries named a ticket not registered for the order and agent (refused; 20 decrypts)');
    expect(r.anomalies.find((a) => a.party === 'cs1')).toBeUndefined();
  });

  it('ranks each kind of taking beyond the job above honest peers, with reasons in both languages', () => {
    const parties = [
      ...Array.from({ length: 10 }, (_, i) => ref(`c${i}`, 'courier', 100)),
      ...Array.from({ length: 5 }, (_, i) => ref(`cs${i}`, 'cs_agent', 50)),
    ];
    const acts: Activity[] = [];
    for (let i = 0; i < 10; i++) for (let k = 0; k < 100; k++) acts.push(view(`c${i}`, DAY0 + 9 * HOUR + k * 1000));
    for (let k = 0; k < 5; k++) acts.push(view('c3', DAY0 + 12 * HOUR + k, false));
    for (let i = 0; i < 5; i++) for (let k = 0; k < 10; k++) acts.push(decrypt(`cs${i}`, DAY0 + 10 * HOUR + k, i !== 2 || k < 4));
    const r = accountability(parties, acts, { since: DAY0, until: DAY0 + 86_400_000 });
    expect(r.anomalies.map((a) => a.party)).toEqual(['c3', 'cs2']);
    const [c3, cs2] = r.anomalies;
    expect(c3?.reasons[0]).toMatchObject({ code: 'unassigned_views', zh: '查看了 5 个从未分配给它的订单（共查看 105 次）' });
    expect(c3?.reasons[0]?.en).toBe('viewed 5 orders never assigned to it (of 105 views)');
    expect(cs2?.reasons.map((x) => x.code)).toEqual(['decrypt_without_ticket']);
    expect(cs2?.score).toBeGreaterThan(2);
  });

  it('compares volume with peers per assigned order and with its own history, and takes the CPC signal', () => {
    const days = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'];
    const parties = ['a', 'b', 'c'].map((id) => ({ ...ref(id, 'merchant_staff', 30), needByDay: new Map(days.map((d) => [d, 7.5])) }));
    const acts: Activity[] = [];
    days.forEach((_, d) => {
      for (const id of ['a', 'b', 'c']) {
        const n = id === 'c' && d === 3 ? 60 : 8;
        for (let k = 0; k < n; k++) acts.push(view(id, DAY0 + d * 86_400_000 + 10 * HOUR + k));
      }
    });
    const reports = new Map([['b', { reports: 6, expected: 1, log10P: -3.2 }]]);
    const r = accountability(parties, acts, { since: DAY0, until: DAY0 + 4 * 86_400_000 }, reports);
    const c = r.anomalies.find((a) => a.party === 'c');
    expect(c?.reasons.map((x) => x.code).sort()).toEqual(['volume_vs_history', 'volume_vs_peers']);
    expect(c?.reasons.find((x) => x.code === 'volume_vs_history')?.zh).toContain('2026-11-05');
    const b = r.anomalies.find((a) => a.party === 'b');
    expect(b?.reasons).toEqual([expect.objectContaining({ code: 'scam_reports', log10P: -3.2 })]);
    expect(r.anomalies.find((a) => a.party === 'a')).toBeUndefined();
  });
});

describe('simulated insiders', () => {
  const spec = { ...INSIDER_WORLD, days: 10, startDay: 6, ordersPerDay: 600 };
  it.each(['courier-browsing', 'decrypt-no-ticket', 'station-3am'] as const)('%s ranks first by the end', (insider) => {
    const run = simulateInsider({ ...spec, seed: 3, insider });
    const end = run.start + spec.days * 86_400_000;
    const r = accountability(needsUntil(run.parties, end), run.activity, { since: run.start, until: end }, reportSignals(run, end));
    expect(r.anomalies[0]?.party).toBe(run.insider);
    expect(run.taken.filter(Boolean).length).toBeGreaterThan(0);
  });

  it('gives an honest population no lead as strong as an insider', () => {
    const run = simulateInsider({ ...spec, seed: 3, insider: 'none' });
    const end = run.start + spec.days * 86_400_000;
    const r = accountability(needsUntil(run.parties, end), run.activity, { since: run.start, until: end }, reportSignals(run, end));
    expect(run.insider).toBeNull();
    expect(r.anomalies[0]?.score ?? 0).toBeLessThan(8);
  });
});
