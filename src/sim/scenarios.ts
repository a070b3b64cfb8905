/**
 * The trace scenarios: a seeded world, a seeded leak, and the investigation's verdict, as
 * `gatekeeper sim --scenario NAME --seed N --json` prints it.
 */
import { releaseMany, type Custody, type Party } from '../custody/index.ts';
import {
  cpcTriage,
  investigateDump,
  investigateReport,
  plantCanaries,
  recordCanaryHit,
  testCanaryRegistry,
  type CanaryResult,
  type CpcResult,
  type DumpInvestigation,
  type ReportInvestigation,
} from '../trace/index.ts';
import { at, must } from '../shared/at.ts';
import { choice, seeded, shuffle } from '../shared/random.ts';
import { SLOTS } from '../fingerprint/index.ts';
import { makeDump, releaseToHandlers, unfingerprintedRows, type DumpSpec } from './leaks.ts';
import { buildSimWorld, type SimOrder, type SimWorld, type WorldSpec } from './world.ts';

/** The default trace world: 100,000 orders and 5,184 parties. */
export const TRACE_WORLD: Omit<WorldSpec, 'seed'> = {
  orders: 100_000,
  merchants: 1500,
  staffPerMerchant: 2,
  erps: 20,
  erpShare: 0.3,
  carriers: 4,
  outletsPerCarrier: 8,
  stationsPerOutlet: 6,
  // About 260 orders per courier over three days: a light load for a real courier.
  couriersPerStation: 2,
  csAgents: 50,
  days: 3,
  firstDay: '2026-11-20',
};

/** Scenarios implemented so far. */
export const SCENARIOS = [
  'courier-dump',
  'station-dump',
  'erp-dump',
  'collusion-dump',
  'alias-quote',
  'canary-hit',
  'canary-courier',
  'cs-agent-reports',
  'no-leak',
  'repeated-dump',
  'merged-dump',
  'consumer-repeats',
  'framing-random',
  'framing-flip',
  'framing-forged-aliases',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** What a scenario run prints. */
export interface ScenarioResult {
  scenario: ScenarioName;
  seed: number;
  leakers: string[];
  /** Who a correct investigation accuses: the leakers, except where only triage (L4) has evidence. */
  expected: string[];
  accused: string[];
  suspects: string[];
  records: number;
  channels: Record<string, string>;
  bounds: Record<string, number>;
  seconds: { world: number; leak: number; trace: number };
  investigation: DumpInvestigation | ReportInvestigation | CpcResult | CanaryResult;
}

const DUMP: Omit<DumpSpec, 'seed' | 'records' | 'stripIdentifiers'> = { erase: 0.3, retype: 0.05, noise: 2000 };

function handledBy(w: SimWorld, p: Party): SimOrder[] {
  const col = { courier: 'courier', station: 'station', erp: 'erp' } as const;
  const key = col[p.kind as keyof typeof col];
  return w.orders.filter((o) => o[key] === p.id);
}

/** Builds the world, stages the leak (with `noise` records from elsewhere) and investigates it. */
export async function runScenario(
  c: Custody,
  scenario: ScenarioName,
  seed: number,
  world: Omit<WorldSpec, 'seed'> = TRACE_WORLD,
  noise = DUMP.noise,
): Promise<ScenarioResult> {
  const t0 = performance.now();
  const w = await buildSimWorld(c, { ...world, seed });
  const r = await stageScenario(c, w, scenario, seed, noise);
  return { ...r, seconds: { ...r.seconds, world: (performance.now() - t0) / 1000 - r.seconds.leak - r.seconds.trace } };
}

/**
 * Stages a scenario's leak in a built world (leak seed `seed`) and investigates it. `records` overrides how
 * many leaked records the dump holds (default: courier 60, station 200, ERP 500, collusion 400).
 */
export async function stageScenario(
  c: Custody,
  w: SimWorld,
  scenario: ScenarioName,
  seed: number,
  noise = DUMP.noise,
  records?: number,
): Promise<ScenarioResult> {
  const t1 = performance.now();
  const rand = seeded(seed * 7919 + 17);
  const kinds = (k: string): Party[] => w.byKind.get(k) ?? [];
  let leakers: Party[] = [];
  let size = 0;
  let strip = true;
  let extra: Partial<DumpSpec> = {};
  // Framing attempts erase the leaker's fingerprint: a correct investigation then accuses nobody.
  let expectNobody = false;
  switch (scenario) {
    case 'courier-dump':
      leakers = [choice(rand, kinds('courier'))];
      size = 60;
      break;
    case 'station-dump':
      leakers = [choice(rand, kinds('station'))];
      size = 200;
      strip = false;
      break;
    case 'erp-dump':
      leakers = [
        choice(
          rand,
          kinds('erp').filter((e) => w.orders.some((o) => o.erp === e.id)),
        ),
      ];
      size = 500;
      break;
    case 'collusion-dump': {
      const courier = choice(rand, kinds('courier'));
      leakers = [courier, must(w.parties.get(courier.parentId as string), "the courier's station")];
      size = 400;
      break;
    }
    case 'alias-quote':
      leakers = [choice(rand, kinds('courier'))];
      break;
    case 'cs-agent-reports':
      return agentScenario(c, w, choice(rand, kinds('cs_agent')), seed, t1);
    case 'canary-hit':
      return canaryScenario(c, w, choice(rand, kinds('outlet')), 'station', seed, t1);
    case 'canary-courier':
      return canaryScenario(c, w, choice(rand, kinds('outlet')), 'courier', seed, t1);
    case 'no-leak':
      break;
    case 'repeated-dump':
      leakers = [choice(rand, kinds('station'))];
      size = 200;
      strip = false;
      extra = { repeat: 8 };
      break;
    case 'merged-dump':
      leakers = [choice(rand, kinds('courier'))];
      size = 60;
      extra = { repeat: 3, merged: 0.5 };
      break;
    case 'consumer-repeats':
      return consumerScenario(c, w, seed, noise, t1);
    case 'framing-random':
    case 'framing-flip':
      leakers = [choice(rand, kinds('courier'))];
      size = 60;
      extra = { variants: scenario === 'framing-random' ? 'random' : 'flipped' };
      // Re-drawn variants carry nothing of the leaker's; flipped ones are its own, inverted: L2's lower tail names it.
      expectNobody = scenario === 'framing-random';
      break;
    case 'framing-forged-aliases':
      leakers = [choice(rand, kinds('courier'))];
      size = 60;
      strip = false;
      extra = { forgeAliases: true };
      break;
  }
  const pool = leakers.length > 0 ? handledBy(w, at(leakers, 0, 'leaker')) : [];
  await releaseToHandlers(c, w, pool, seed);
  if (scenario === 'alias-quote') return quoteScenario(c, at(leakers, 0, 'leaker'), choice(rand, pool), seed, t1);
  const dump = await makeDump(c, w, leakers, pool, { ...DUMP, ...extra, noise, seed, records: records ?? size, stripIdentifiers: strip });
  const t2 = performance.now();
  const inv = await investigateDump(c, dump);
  const t3 = performance.now();
  return {
    scenario,
    seed,
    leakers: leakers.map((l) => l.id),
    expected: expectNobody ? [] : leakers.map((l) => l.id),
    accused: inv.accused.map((a) => a.party),
    suspects: inv.suspects.map((s) => s.party),
    records: dump.length,
    channels: Object.fromEntries(inv.accused.map((a) => [a.party, a.channel])),
    bounds: Object.fromEntries(inv.accused.map((a) => [a.party, Number(a.log10Bound.toFixed(1))])),
    seconds: { world: 0, leak: (t2 - t1) / 1000, trace: (t3 - t2) / 1000 },
    investigation: inv,
  };
}

/**
 * Nobody leaks: 25 orders as their consumers see them (one fixed rendering that no party was given), each
 * line repeated 8 times, in a lot with noise. Every handler of those orders holds its own views of them.
 */
async function consumerScenario(c: Custody, w: SimWorld, seed: number, noise: number, t1: number): Promise<ScenarioResult> {
  const rand = seeded(seed * 7727 + 11);
  const orders = shuffle(rand, w.orders).slice(0, 25);
  await releaseToHandlers(c, w, orders, seed);
  const d: DumpSpec = { ...DUMP, noise, seed, records: 0, stripIdentifiers: false };
  const consumer = await unfingerprintedRows(
    c,
    orders.map((o) => o.id),
    () => SLOTS.map(() => 0),
    { ...d, erase: 0, retype: 0 },
    rand,
  );
  const lot = await makeDump(c, w, [], [], d);
  const dump = shuffle(rand, [...consumer.flatMap((r) => Array.from({ length: 8 }, () => ({ ...r }))), ...lot]);
  const t2 = performance.now();
  const inv = await investigateDump(c, dump);
  const t3 = performance.now();
  return {
    scenario: 'consumer-repeats',
    seed,
    leakers: [],
    expected: [],
    accused: inv.accused.map((a) => a.party),
    suspects: inv.suspects.map((s) => s.party),
    records: dump.length,
    channels: Object.fromEntries(inv.accused.map((a) => [a.party, a.channel])),
    bounds: Object.fromEntries(inv.accused.map((a) => [a.party, Number(a.log10Bound.toFixed(1))])),
    seconds: { world: 0, leak: (t2 - t1) / 1000, trace: (t3 - t2) / 1000 },
    investigation: inv,
  };
}

/** One victim's report: the scammer read out the last 8 digits of the order number the leaker's view showed. */
async function quoteScenario(c: Custody, leaker: Party, order: SimOrder, seed: number, t1: number): Promise<ScenarioResult> {
  const [view] = await releaseMany(c, leaker, [order.id]);
  const tail = (view?.order_no ?? '').slice(-8);
  const t2 = performance.now();
  const inv = await investigateReport(c, {
    order: order.id,
    text: `对方自称淘宝客服，说我订单尾号${tail}的衣服有质量问题，要给我三倍赔偿`,
  });
  const t3 = performance.now();
  return {
    scenario: 'alias-quote',
    seed,
    leakers: [leaker.id],
    expected: [leaker.id],
    accused: inv.accused.map((a) => a.party),
    suspects: [...inv.accused, ...inv.suspects].map((s) => s.party),
    records: 1,
    channels: Object.fromEntries(inv.accused.map((a) => [a.party, a.channel])),
    bounds: Object.fromEntries(inv.accused.map((a) => [a.party, Number(a.log10Bound.toFixed(1))])),
    seconds: { world: 0, leak: (t2 - t1) / 1000, trace: (t3 - t2) / 1000 },
    investigation: inv,
  };
}

/**
 * A CS agent looks up 200 orders it has no business with and sells them; scammers call, and one victim in ten
 * reports (voice only: no alias, no dump). Thirty other reports come from scams using data from elsewhere.
 * CPC must rank the agent first and accuse nobody.
 */
async function agentScenario(c: Custody, w: SimWorld, agent: Party, seed: number, t1: number): Promise<ScenarioResult> {
  const rand = seeded(seed * 104729 + 3);
  const looked = shuffle(rand, w.orders).slice(0, 200);
  await releaseMany(
    c,
    agent,
    looked.map((o) => o.id),
  );
  const victims = looked.filter(() => rand() < 0.1);
  const lookedIds = new Set(looked.map((o) => o.id));
  const background = shuffle(
    rand,
    w.orders.filter((o) => !lookedIds.has(o.id)),
  ).slice(0, 30);
  const reported = [...victims, ...background];
  await releaseToHandlers(c, w, reported, seed);
  const t2 = performance.now();
  const inv = await cpcTriage(
    c,
    reported.map((o) => o.id),
  );
  const t3 = performance.now();
  return {
    scenario: 'cs-agent-reports',
    seed,
    leakers: [agent.id],
    expected: [],
    accused: [],
    suspects: inv.suspects.map((s) => s.party),
    records: reported.length,
    channels: {},
    bounds: {},
    seconds: { world: 0, leak: (t2 - t1) / 1000, trace: (t3 - t2) / 1000 },
    investigation: inv,
  };
}

/**
 * Canary orders planted through the registry (monitored numbers, routed by the planting at random over one
 * outlet's stations and couriers, each logged in the ledger); one station (200 canaries), or one courier (600:
 * a courier sees a twelfth of an outlet's canaries), leaks everything it sees; scammers call 70 % of the leaked
 * canaries, and 2 % of all canaries are hit with data from elsewhere; each call is recorded as a hit. The
 * exact tests over the registry must name the leaker and nobody above or below it.
 */
async function canaryScenario(
  c: Custody,
  w: SimWorld,
  outlet: Party,
  kind: 'station' | 'courier',
  seed: number,
  t1: number,
): Promise<ScenarioResult> {
  const rand = seeded(seed * 15485863 + 5);
  const count = kind === 'station' ? 200 : 600;
  const phones = Array.from({ length: count }, (_, i) => `139${String(seed % 10_000).padStart(4, '0')}${String(i).padStart(4, '0')}`);
  const merchant = choice(rand, w.byKind.get('merchant') ?? []);
  const since = new Date().toISOString();
  const { planted } = await plantCanaries(c, w.platform, { outlet_id: outlet.id, merchant_id: merchant.id, phones });
  const routed = await c.store.db
    .selectFrom('orders')
    .select(['id', 'platform_order_id', 'station_id', 'courier_id', 'ordered_at'])
    .where('id', 'in', planted)
    .execute();
  const canaries: SimOrder[] = routed.map((o) => ({
    id: o.id,
    platformOrderId: o.platform_order_id,
    merchant: merchant.id,
    erp: null,
    carrier: outlet.parentId ?? outlet.id,
    outlet: outlet.id,
    station: o.station_id ?? '',
    courier: o.courier_id ?? '',
    day: o.ordered_at.slice(0, 10),
  }));
  await releaseToHandlers(c, w, canaries, seed);
  const stations = [...new Set(canaries.map((o) => o.station))].sort();
  const station = choice(rand, stations);
  const leaker =
    kind === 'station' ? station : choice(rand, [...new Set(canaries.filter((o) => o.station === station).map((o) => o.courier))].sort());
  const leaked = canaries.filter((o) => o[kind] === leaker);
  await releaseMany(
    c,
    w.parties.get(leaker) as Party,
    leaked.map((o) => o.id),
  );
  const leakedIds = new Set(leaked.map((o) => o.id));
  const phoneOf = new Map(planted.map((id, i) => [id, phones[i] as string]));
  const called = canaries.filter((o) => (leakedIds.has(o.id) && rand() < 0.7) || rand() < 0.02);
  for (const o of called) await recordCanaryHit(c, phoneOf.get(o.id) as string, 'sim', '*', w.platform.id);
  const t2 = performance.now();
  const r = await testCanaryRegistry(c, { by: w.platform.id, outlets: new Set([outlet.id]), plantedSince: since });
  const t3 = performance.now();
  return {
    scenario: kind === 'station' ? 'canary-hit' : 'canary-courier',
    seed,
    leakers: [leaker],
    expected: [leaker],
    accused: r.accused.map((a) => a.party),
    suspects: r.tests.slice(0, 10).map((t) => t.party),
    records: called.length,
    channels: Object.fromEntries(r.accused.map((a) => [a.party, a.channel])),
    bounds: Object.fromEntries(r.accused.map((a) => [a.party, Number(a.log10Bound.toFixed(1))])),
    seconds: { world: 0, leak: (t2 - t1) / 1000, trace: (t3 - t2) / 1000 },
    investigation: r,
  };
}
