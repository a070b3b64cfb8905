/**
 * Insiders for the accountability benchmark: a population of handlers doing their jobs over some days, and one
 * insider taking more than its job needs in one of four ways. It yields the records the store reader
 * (supervise/activity.ts) yields from a real store, with the times the simulation chooses: custody stamps every
 * entry with the moment it is made, so days of history and 3 a.m. exports cannot be replayed through it quickly.
 * The store path itself is exercised by supervise/activity.test.ts through real releases.
 */
import type { Activity, PartyRef, ReportSignal } from '../supervise/index.ts';
import { logBinomialTail } from '../trace/index.ts';
import { at, must } from '../shared/at.ts';
import { choice, pick, seeded } from '../shared/random.ts';

/** The insider behaviours. */
export const INSIDERS = ['courier-browsing', 'decrypt-no-ticket', 'station-3am', 'slow-exfiltration'] as const;
export type InsiderKind = (typeof INSIDERS)[number];

/** How big a population and how long a run. */
export interface InsiderSpec {
  seed: number;
  insider: InsiderKind | 'none';
  days: number;
  /** The insider starts on this day (0-based), so that it has an honest history before. */
  startDay: number;
  ordersPerDay: number;
  stations: number;
  couriersPerStation: number;
  merchants: number;
  staffPerMerchant: number;
  csAgents: number;
  /** Share of taken records whose consumer later reports a scam call, and of honest orders that do anyway. */
  leakReportRate: number;
  backgroundReportRate: number;
}

/** The benchmark's default: 20 stations, 80 couriers, 60 merchants with 120 staff accounts, 20 CS agents. */
export const INSIDER_WORLD: Omit<InsiderSpec, 'seed' | 'insider'> = {
  days: 21,
  startDay: 7,
  ordersPerDay: 1500,
  stations: 20,
  couriersPerStation: 4,
  merchants: 60,
  staffPerMerchant: 2,
  csAgents: 20,
  leakReportRate: 0.05,
  backgroundReportRate: 0.001,
};

/** A run: the parties, every record in time order, which of them the insider took beyond its job, and the scam reports. */
export interface InsiderRun {
  parties: PartyRef[];
  insider: string | null;
  activity: Activity[];
  /** For each activity index, true when it is the insider's taking beyond its job. */
  taken: boolean[];
  /** Scam reports: when, and which parties handled the reported order. */
  reports: { at: number; handlers: string[] }[];
  /** Orders each party handled (for the CPC share), and all orders. */
  handled: Map<string, number>;
  orders: number;
  start: number;
}

/** One simulated order: its courier, everyone who handled it, whether the insider took it, when it was placed. */
interface SimOrder {
  courier: string;
  handlers: string[];
  leaked: boolean;
  at: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAY0 = Date.parse('2026-11-01T00:00:00+08:00');
const VIEW = ['order_no', 'item', 'time', 'name', 'phone', 'address'];
const CS_VIEW = ['order_no', 'item', 'price', 'quantity', 'time', 'name', 'phone_masked', 'region'];
const DECRYPT = ['name', 'phone', 'address'];

/** Simulates one run. */
export function simulateInsider(spec: InsiderSpec): InsiderRun {
  const rand = seeded(spec.seed * 7919 + INSIDERS.indexOf(spec.insider as InsiderKind) + 11);
  const parties: PartyRef[] = [];
  const need = new Map<string, Map<string, number>>();
  const add = (id: string, kind: string, org: string): string => {
    parties.push({ id, kind, name: id, org, need: 0, needByDay: new Map(), pooled: kind === 'merchant_staff' });
    need.set(id, new Map());
    return id;
  };
  const stations = Array.from({ length: spec.stations }, (_, i) => add(`station-${i}`, 'station', `outlet-${i % 4}`));
  const couriers = stations.map((s, i) =>
    Array.from({ length: spec.couriersPerStation }, (_, j) => add(`courier-${i}-${j}`, 'courier', s)),
  );
  const merchants = Array.from({ length: spec.merchants }, (_, i) => `merchant-${i}`);
  const staff = merchants.map((m, i) =>
    Array.from({ length: spec.staffPerMerchant }, (_, j) => add(`staff-${i}-${j}`, 'merchant_staff', m)),
  );
  const cs = Array.from({ length: spec.csAgents }, (_, i) => add(`cs-${i}`, 'cs_agent', 'platform'));
  const first: Record<InsiderKind, string> = {
    'courier-browsing': at(at(couriers, 0), 0),
    'decrypt-no-ticket': at(cs, 0),
    'station-3am': at(stations, 0),
    'slow-exfiltration': at(at(staff, 0), 0),
  };
  const insider: string | null = spec.insider === 'none' ? null : first[spec.insider];
  const activity: Activity[] = [];
  const taken: boolean[] = [];
  const handled = new Map<string, number>();
  const reports: { at: number; handlers: string[] }[] = [];
  const push = (a: Activity, byInsider = false): void => {
    activity.push(a);
    taken.push(byInsider);
  };
  const needs = (party: string, day: string, n: number): void => {
    const m = must(need.get(party), "a party's needs");
    m.set(day, (m.get(day) ?? 0) + n);
  };
  const work = (day: number, from: number, to: number): number => DAY0 + day * DAY + (from + rand() * (to - from)) * HOUR;
  const view = (party: string, at: number, assigned: boolean, fields = VIEW): Activity => ({
    party,
    action: 'view',
    at,
    orders: 1,
    fields,
    assigned,
    ticket: false,
  });
  let orderCount = 0;
  for (let d = 0; d < spec.days; d++) {
    const dayName = new Date(DAY0 + d * DAY + 8 * HOUR).toISOString().slice(0, 10);
    const active = insider !== null && d >= spec.startDay;
    // Each order's handlers, and whether the insider took it.
    const orders: SimOrder[] = [];
    const byStation = new Map<number, SimOrder[]>();
    for (let k = 0; k < spec.ordersPerDay; k++) {
      const s = pick(rand, spec.stations);
      const courier = choice(rand, at(couriers, s));
      const m = pick(rand, spec.merchants);
      const st = choice(rand, at(staff, m));
      const handlers = [at(stations, s), courier, st];
      for (const x of at(staff, m)) needs(x, dayName, 1);
      needs(at(stations, s), dayName, 1);
      needs(courier, dayName, 1);
      push(view(st, work(d, 9, 22), true));
      if (rand() < 0.15) push(view(st, work(d, 9, 22), true));
      const o: SimOrder = { courier, handlers, leaked: false, at: work(d, 0, 24) };
      orders.push(o);
      const list = byStation.get(s);
      if (list) list.push(o);
      else byStation.set(s, [o]);
      if (rand() < 0.01) {
        const agent = choice(rand, cs);
        handlers.push(agent);
        push(view(agent, work(d, 8, 23), true, CS_VIEW));
        // Honest agents forget a ticket now and then.
        if (rand() < 0.1)
          push({ party: agent, action: 'decrypt', at: work(d, 8, 23), orders: 1, fields: DECRYPT, assigned: true, ticket: rand() > 0.03 });
      }
    }
    for (const a of cs) needs(a, dayName, spec.ordersPerDay / spec.csAgents);
    // Stations and couriers pull the day's manifest in the morning (now and then late at night), each order a view.
    for (const [s, list] of byStation) {
      const station = at(stations, s);
      const late = rand() < 0.01;
      const pulled = late ? work(d, 0, 6) : work(d, 7, 10);
      push({ party: station, action: 'export', at: pulled, orders: list.length, fields: VIEW, assigned: true, ticket: false });
      for (let i = 0; i < list.length; i++) push(view(station, pulled + i, true));
      const perCourier = new Map<string, number>();
      for (const o of list) perCourier.set(o.courier, (perCourier.get(o.courier) ?? 0) + 1);
      for (const [courier, n] of perCourier) {
        const cat = work(d, 7, 11);
        push({ party: courier, action: 'export', at: cat, orders: n, fields: VIEW, assigned: true, ticket: false });
        for (let i = 0; i < n; i++) push(view(courier, cat + i, true));
        if (rand() < 0.3) push(view(courier, work(d, 11, 20), true));
        // Now and then an honest courier mistypes a number that is another courier's order.
        if (rand() < 0.02) push({ ...view(courier, work(d, 8, 20), false), action: 'refused', fields: [] });
      }
      if (active && station === insider) {
        // The manifest again at 3 a.m., for a buyer: every order of the day.
        const at3 = DAY0 + d * DAY + (3 + rand()) * HOUR;
        push({ party: station, action: 'export', at: at3, orders: list.length, fields: VIEW, assigned: true, ticket: false }, false);
        for (let i = 0; i < list.length; i++) push(view(station, at3 + i, true), true);
        for (const o of list) if (rand() < 0.5) o.leaked = true;
      }
    }
    if (active) {
      const take = (n: number, make: (at: number) => Activity, handedOver = true): void => {
        for (let i = 0; i < n; i++) {
          const o = choice(rand, orders);
          if (handedOver) {
            if (!o.handlers.includes(insider)) o.handlers.push(insider);
            o.leaked = true;
          }
          push(make(work(d, 9, 20)), true);
        }
      };
      // Custody refuses each try (the orders were never routed to it): nothing is handed over, the try is kept.
      if (spec.insider === 'courier-browsing') take(5, (at) => ({ ...view(insider, at, false), action: 'refused', fields: [] }), false);
      if (spec.insider === 'decrypt-no-ticket')
        take(3, (at) => ({ party: insider, action: 'decrypt', at, orders: 1, fields: DECRYPT, assigned: true, ticket: false }));
      // A small daily excess: a fifth more of its merchant's orders than its share, at working hours.
      if (spec.insider === 'slow-exfiltration')
        take(Math.max(1, Math.round(spec.ordersPerDay / spec.merchants / spec.staffPerMerchant / 5)), (at) => view(insider, at, true));
    }
    for (const o of orders) {
      for (const h of o.handlers) handled.set(h, (handled.get(h) ?? 0) + 1);
      if (rand() < (o.leaked ? spec.leakReportRate : spec.backgroundReportRate))
        reports.push({ at: o.at + (1 + rand() * 3) * DAY, handlers: o.handlers });
    }
    orderCount += orders.length;
  }
  for (const p of parties) {
    const m = must(need.get(p.id), "a party's needs");
    (p as { needByDay: ReadonlyMap<string, number> }).needByDay = m;
  }
  const order = activity.map((_, i) => i).sort((a, b) => at(activity, a).at - at(activity, b).at);
  return {
    parties,
    insider,
    activity: order.map((i) => at(activity, i)),
    taken: order.map((i) => at(taken, i)),
    reports: reports.sort((a, b) => a.at - b.at),
    handled,
    orders: orderCount,
    start: DAY0,
  };
}

/** Parties' needs counted up to a time (Beijing days that have begun), for an analysis at that time. */
export function needsUntil(parties: readonly PartyRef[], until: number): PartyRef[] {
  const last = new Date(until + 8 * HOUR).toISOString().slice(0, 10);
  return parties.map((p) => {
    const byDay = new Map([...p.needByDay].filter(([day]) => day <= last));
    return { ...p, need: [...byDay.values()].reduce((s, n) => s + n, 0), needByDay: byDay };
  });
}

/** The CPC signal from the reports made by a time: each handler's reported orders against its share of all orders. */
export function reportSignals(run: InsiderRun, until: number): Map<string, ReportSignal> {
  const reported = run.reports.filter((r) => r.at <= until);
  const n = reported.length;
  const counts = new Map<string, number>();
  for (const r of reported) for (const h of r.handlers) counts.set(h, (counts.get(h) ?? 0) + 1);
  const out = new Map<string, ReportSignal>();
  for (const [party, x] of counts) {
    const share = Math.min(1, (run.handled.get(party) ?? 1) / Math.max(1, run.orders));
    out.set(party, { reports: x, expected: n * share, log10P: logBinomialTail(n, share, x) / Math.LN10 });
  }
  return out;
}
