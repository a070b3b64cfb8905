/**
 * Per-link accountability (各环节分别监管): what each party took over a window (views, fields, decrypts,
 * exports, by Beijing day and hour) against what its role and its assigned orders need, and the parties whose
 * taking is most surprising, ranked with plain reasons. Pure: the store reader (activity.ts) and the simulator
 * feed it the same records. Scores are leads for a person to look into, never accusations.
 */
import { must } from '../shared/at.ts';
import { reasonText, type ReasonCode } from './reasons.ts';
import { poissonTailLog10 } from './stats.ts';

/** What a ledger entry about a party says it took, or a view custody refused (an order never routed to it). */
export type ActivityAction = 'view' | 'decrypt' | 'export' | 'refused' | 'wrong_ticket';

/** One record of taking: a view or a decrypt of one order, an export (manifest) of many, or a refused try. */
export interface Activity {
  party: string;
  action: ActivityAction;
  /** Epoch milliseconds. */
  at: number;
  /** Orders the entry covers: 1 for a view or decrypt, the manifest's count for an export; the tries of a wrong ticket. */
  orders: number;
  fields: readonly string[];
  /** A view or decrypt of an order routed to the party (or to its organisation, for accounts). */
  assigned: boolean;
  /** A decrypt that carried a ticket note. */
  ticket: boolean;
  /** The API key the entry or refused try names (none from the command line or before keys were recorded). */
  key?: string | undefined;
  /** A refused try at an order and day already counted under another key: counted for its key only. */
  repeat?: boolean;
}

/** A party as the analysis needs it: who it is, and how many orders its job gave it, in the window and per Beijing day. */
export interface PartyRef {
  id: string;
  kind: string;
  name: string;
  /** Its organisation (its parent for accounts and sub-units, itself at the top). */
  org: string;
  need: number;
  needByDay: ReadonlyMap<string, number>;
  /**
   * Its need is its organisation's orders, shared with the organisation's other accounts of its kind (merchant
   * staff: one account may do all of a shop's orders), so its volume is judged with its organisation's.
   */
  pooled?: boolean;
}

/** The CPC signal for one party: scam reports on orders it handled against its share (trace's L4 test). */
export interface ReportSignal {
  reports: number;
  expected: number;
  log10P: number;
}

/** What was taken by one party, by Beijing day, and by Beijing hour of day. */
export interface Profile {
  party: string;
  kind: string;
  name: string;
  org: string;
  /** Orders its role was given in the window (pooled accounts: their organisation's). */
  need: number;
  pooled: boolean;
  views: number;
  unassignedViews: number;
  /** Views custody refused: orders that exist but were never routed to it. */
  refused: number;
  /** Decrypts custody refused because the ticket named was not one registered for the order and agent. */
  wrongTickets: number;
  decrypts: number;
  decryptsWithoutTicket: number;
  exports: number;
  exportedOrders: number;
  oddHourExports: number;
  /** Views and decrypts: each hands over one order's data. */
  records: number;
  fields: Record<string, number>;
  days: { day: string; views: number; decrypts: number; exports: number; need: number }[];
  hours: number[];
  /** Entries and refused tries by the API key they name (entries naming none are not counted here). */
  keys: Map<string, number>;
}

/** One reason a party ranks: a code, the same sentence in Chinese and English, and its tail bound. */
export interface Reason {
  code: ReasonCode;
  zh: string;
  en: string;
  /** log10 of the chance of at least this much under the baseline (its peers' or its own). */
  log10P: number;
}

/** A lead: a party whose taking is surprising, with its reasons; the score is the sum of −log10 P over them. */
export interface Anomaly {
  party: string;
  kind: string;
  name: string;
  org: string;
  score: number;
  reasons: Reason[];
}

/** The result of one analysis. */
export interface Accountability {
  since: string;
  until: string;
  profiles: Map<string, Profile>;
  anomalies: Anomaly[];
}

/** A reason counts when its chance under the baseline is at most 1%. */
const REASON_LOG10 = -2;
/** Views outside assignment: custody refuses them, so only reassignment or a bypass makes one. */
const UNASSIGNED_RATE = 1e-4;
/** Volume counts are over-dispersed (work comes in batches): counts are divided by this before the tail. */
const DISPERSION = 2;
/** 00:00 to 05:59 Beijing time. */
const ODD_HOURS = 6;
const BEIJING = 8 * 3_600_000;

const DAY_MS = 86_400_000;
const dayNames = new Map<number, string>();

/** The Beijing calendar day and hour of a time (day names cached: an analysis sees a few hundred thousand times). */
export function beijingDayHour(at: number): { day: string; hour: number } {
  const local = at + BEIJING;
  const n = Math.floor(local / DAY_MS);
  let day = dayNames.get(n);
  if (day === undefined) dayNames.set(n, (day = new Date(n * DAY_MS).toISOString().slice(0, 10)));
  return { day, hour: Math.floor((local - n * DAY_MS) / 3_600_000) };
}

function emptyProfile(p: PartyRef): Profile {
  return {
    party: p.id,
    kind: p.kind,
    name: p.name,
    org: p.org,
    need: p.need,
    pooled: p.pooled ?? false,
    views: 0,
    unassignedViews: 0,
    refused: 0,
    wrongTickets: 0,
    decrypts: 0,
    decryptsWithoutTicket: 0,
    exports: 0,
    exportedOrders: 0,
    oddHourExports: 0,
    records: 0,
    fields: {},
    days: [],
    hours: new Array<number>(24).fill(0),
    keys: new Map<string, number>(),
  };
}

/** Sums activity into profiles, one per known party (records of unknown parties are outside the caller's reach). */
export function profile(parties: readonly PartyRef[], activity: Iterable<Activity>): Map<string, Profile> {
  const out = new Map(parties.map((p) => [p.id, emptyProfile(p)]));
  const days = new Map<string, Map<string, Profile['days'][number]>>();
  for (const a of activity) {
    const p = out.get(a.party);
    if (p === undefined) continue;
    const { day, hour } = beijingDayHour(a.at);
    let byDay = days.get(a.party);
    if (byDay === undefined) days.set(a.party, (byDay = new Map<string, Profile['days'][number]>()));
    let d = byDay.get(day);
    if (d === undefined) byDay.set(day, (d = { day, views: 0, decrypts: 0, exports: 0, need: 0 }));
    if (a.key !== undefined) p.keys.set(a.key, (p.keys.get(a.key) ?? 0) + 1);
    if (a.action === 'refused') {
      if (a.repeat !== true) p.refused++;
      continue;
    }
    if (a.action === 'wrong_ticket') {
      p.wrongTickets += a.orders;
      continue;
    }
    if (a.action === 'export') {
      p.exports++;
      p.exportedOrders += a.orders;
      d.exports += a.orders;
      if (hour < ODD_HOURS) p.oddHourExports++;
      continue;
    }
    p.records++;
    p.hours[hour] = (p.hours[hour] ?? 0) + 1;
    for (const f of a.fields) p.fields[f] = (p.fields[f] ?? 0) + 1;
    if (a.action === 'view') {
      p.views++;
      d.views++;
      if (!a.assigned) p.unassignedViews++;
    } else {
      p.decrypts++;
      d.decrypts++;
      if (!a.ticket) p.decryptsWithoutTicket++;
    }
  }
  const refs = new Map(parties.map((p) => [p.id, p]));
  for (const [id, byDay] of days) {
    const p = must(out.get(id), "a party's profile");
    const need = refs.get(id)?.needByDay;
    p.days = [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
    for (const d of p.days) d.need = need?.get(d.day) ?? 0;
  }
  return out;
}

/** Peer totals by kind, so that each party is compared with the others of its kind (itself left out). */
interface Peers {
  records: number;
  views: number;
  refused: number;
  wrongTickets: number;
  need: number;
  decrypts: number;
  noTicket: number;
  exports: number;
  odd: number;
}

function peerTotals(profiles: Iterable<Profile>): Map<string, Peers> {
  const out = new Map<string, Peers>();
  for (const p of profiles) {
    const t = out.get(p.kind) ?? {
      records: 0,
      views: 0,
      refused: 0,
      wrongTickets: 0,
      need: 0,
      decrypts: 0,
      noTicket: 0,
      exports: 0,
      odd: 0,
    };
    t.records += p.records;
    t.views += p.views;
    t.refused += p.refused;
    t.wrongTickets += p.wrongTickets;
    t.need += p.need;
    t.decrypts += p.decrypts;
    t.noTicket += p.decryptsWithoutTicket;
    t.exports += p.exports;
    t.odd += p.oddHourExports;
    out.set(p.kind, t);
  }
  return out;
}

/** Its biggest day against its own earlier days, each day scaled by that day's assigned orders. */
function historyJump(p: Profile): { day: string; took: number; usual: number; log10P: number } | null {
  let best: { day: string; took: number; usual: number; log10P: number } | null = null;
  let records = 0;
  let need = 0;
  p.days.forEach((d, i) => {
    const took = d.views + d.decrypts;
    if (i >= 2 && records > 0) {
      // Its own rate per assigned order, or per day when its job names no orders.
      const usual = need > 0 && d.need > 0 ? (records / need) * d.need : records / i;
      const log10P = poissonTailLog10(usual / DISPERSION, took / DISPERSION);
      if (best === null || log10P < best.log10P) best = { day: d.day, took, usual, log10P };
    }
    records += took;
    need += d.need;
  });
  return best;
}

/** Records and need of the pooled accounts by organisation, and by kind over all organisations (each organisation's need once). */
interface Pools {
  orgs: Map<string, { records: number; need: number; accounts: number }>;
  kinds: Map<string, { records: number; need: number }>;
}

function poolTotals(profiles: Iterable<Profile>): Pools {
  const orgs = new Map<string, { records: number; need: number; accounts: number }>();
  for (const p of profiles) {
    if (!p.pooled) continue;
    const key = `${p.kind}|${p.org}`;
    const o = orgs.get(key) ?? { records: 0, need: 0, accounts: 0 };
    o.records += p.records;
    o.need = Math.max(o.need, p.need);
    o.accounts++;
    orgs.set(key, o);
  }
  const kinds = new Map<string, { records: number; need: number }>();
  for (const [key, o] of orgs) {
    const kind = key.slice(0, key.indexOf('|'));
    const k = kinds.get(kind) ?? { records: 0, need: 0 };
    k.records += o.records;
    k.need += o.need;
    kinds.set(kind, k);
  }
  return { orgs, kinds };
}

/**
 * A pooled account's volume: its organisation's accounts together against peer organisations per order; the
 * reason goes to the accounts that took more than an even share of what the organisation is expected to take.
 */
function pooledVolume(p: Profile, pools: Pools): { log10P: number; v: Record<string, number> } | null {
  const org = pools.orgs.get(`${p.kind}|${p.org}`);
  const kind = pools.kinds.get(p.kind);
  if (!org || !kind || org.need <= 0 || kind.need - org.need <= 0) return null;
  const expected = ((kind.records - org.records) / (kind.need - org.need)) * org.need;
  if (p.records <= expected / org.accounts) return null;
  return {
    log10P: poissonTailLog10(expected / DISPERSION, org.records / DISPERSION),
    v: { n: p.records, org: org.records, expected: Math.round(expected), need: Math.round(org.need) },
  };
}

/** Every reason one party gives, against its peers of the same kind and its own history. */
function reasonsOf(p: Profile, peers: Peers, pools: Pools, report: ReportSignal | undefined): Reason[] {
  const out: Reason[] = [];
  const add = (code: ReasonCode, log10P: number, v: Record<string, number | string>): void => {
    if (log10P <= REASON_LOG10) out.push({ code, log10P, ...reasonText(code, v) });
  };
  if (p.unassignedViews > 0)
    add('unassigned_views', poissonTailLog10(UNASSIGNED_RATE * p.views, p.unassignedViews), { n: p.unassignedViews, of: p.views });
  if (p.refused > 0) {
    // A mistyped order number that happens to be another party's real order is rare: a prior of one in a thousand views.
    const share = (peers.refused - p.refused + 1) / (peers.views - p.views + 1000);
    add('refused_attempts', poissonTailLog10(share * Math.max(p.views, 1), p.refused), { n: p.refused, of: p.views });
  }
  if (p.wrongTickets > 0) {
    // A mistyped ticket id happens: a prior of one wrong try in fifty decrypts, against its peers'.
    const share = (peers.wrongTickets - p.wrongTickets + 1) / (peers.decrypts - p.decrypts + 50);
    add('wrong_ticket_tries', poissonTailLog10(share * Math.max(p.decrypts + p.wrongTickets, 1), p.wrongTickets), {
      n: p.wrongTickets,
      of: p.decrypts,
    });
  }
  if (p.decryptsWithoutTicket > 0) {
    // Leave-one-out peer share, with a prior of one missing ticket in fifty.
    const share = (peers.noTicket - p.decryptsWithoutTicket + 1) / (peers.decrypts - p.decrypts + 50);
    add('decrypt_without_ticket', poissonTailLog10(share * p.decrypts, p.decryptsWithoutTicket), {
      n: p.decryptsWithoutTicket,
      of: p.decrypts,
      peers: Math.round(share * 1000) / 10,
    });
  }
  if (p.oddHourExports > 0) {
    // The logistics day starts in the morning: a prior of one night-time export in two hundred.
    const share = (peers.odd - p.oddHourExports + 1) / (peers.exports - p.exports + 200);
    add('odd_hour_export', poissonTailLog10(share * p.exports, p.oddHourExports), {
      n: p.oddHourExports,
      of: p.exports,
      orders: p.exportedOrders,
      peers: Math.round(share * 1000) / 10,
    });
  }
  const peerNeed = peers.need - p.need;
  if (p.pooled) {
    const pooled = pooledVolume(p, pools);
    if (pooled) add('org_volume_vs_peers', pooled.log10P, pooled.v);
  } else if (p.need > 0 && peerNeed > 0) {
    const expected = ((peers.records - p.records) / peerNeed) * p.need;
    add('volume_vs_peers', poissonTailLog10(expected / DISPERSION, p.records / DISPERSION), {
      n: p.records,
      expected: Math.round(expected),
      need: p.need,
    });
  } else if (p.need === 0 && p.records > 0) add('volume_without_need', poissonTailLog10(UNASSIGNED_RATE, p.records), { n: p.records });
  const jump = historyJump(p);
  if (jump) add('volume_vs_history', jump.log10P, { n: jump.took, day: jump.day, usual: Math.round(jump.usual) });
  if (report && report.reports >= 2)
    add('scam_reports', report.log10P, { n: report.reports, expected: Math.round(report.expected * 10) / 10 });
  return out.sort((a, b) => a.log10P - b.log10P);
}

/** Ranks the parties whose taking is most surprising; `reports` carries the CPC signal where scam reports name orders. */
export function accountability(
  parties: readonly PartyRef[],
  activity: Iterable<Activity>,
  window: { since: number; until: number },
  reports: ReadonlyMap<string, ReportSignal> = new Map(),
): Accountability {
  const profiles = profile(parties, activity);
  const peers = peerTotals(profiles.values());
  const pools = poolTotals(profiles.values());
  const anomalies: Anomaly[] = [];
  for (const p of profiles.values()) {
    const reasons = reasonsOf(p, must(peers.get(p.kind), "a kind's peer totals"), pools, reports.get(p.party));
    if (reasons.length === 0) continue;
    const score = reasons.reduce((s, r) => s - Math.max(r.log10P, -300), 0);
    anomalies.push({ party: p.party, kind: p.kind, name: p.name, org: p.org, score: Math.round(score * 100) / 100, reasons });
  }
  anomalies.sort((a, b) => b.score - a.score || a.party.localeCompare(b.party));
  return { since: new Date(window.since).toISOString(), until: new Date(window.until).toISOString(), profiles, anomalies };
}
