/**
 * `npm run bench -- supervise`: for each insider behaviour over many seeds (SUPERVISE_SEEDS, default 20), how
 * many records the insider had taken beyond its job when the accountability ranking first put it first, and how
 * often honest parties ranked above it. The ranking is recomputed every twelve simulated hours from the insider's
 * first day, over everything since the run began; the control row has no insider. Then the time to read the
 * ranking from a SQLite file holding the default simulated world (100,000 orders, over 5,000 parties, every
 * view released through custody), as the API does for a platform, and how long the event loop stalled meanwhile.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Accountability } from '../src/supervise/index.ts';
import { custodyLib, simLib, storeLib, superviseLib } from './compiled.ts';

const { custodyOn } = custodyLib;
const { buildSimWorld, INSIDER_WORLD, INSIDERS, needsUntil, releaseWorld, reportSignals, simulateInsider, TRACE_WORLD } = simLib;
const { openStore } = storeLib;
const { accountability, analyseAccountability, readAccountability } = superviseLib;

const HOUR = 3_600_000;
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.floor(q * s.length))] as number) : NaN;
};

/** Runs the accountability benchmark and prints markdown. */
export async function benchSupervise(): Promise<void> {
  const seeds = Number(process.env.SUPERVISE_SEEDS ?? 20);
  const w = INSIDER_WORLD;
  const parties = w.stations * (1 + w.couriersPerStation) + w.merchants * w.staffPerMerchant + w.csAgents;
  console.log(
    `Population: ${parties} parties (${w.stations} stations, ${w.stations * w.couriersPerStation} couriers, ${w.merchants * w.staffPerMerchant} merchant staff accounts, ${w.csAgents} CS agents), ${w.ordersPerDay} orders a day for ${w.days} days; the insider starts on day ${w.startDay + 1}. ${seeds} seeds per behaviour. Taken records leak; ${w.leakReportRate * 100}% of their consumers, and ${w.backgroundReportRate * 100}% of all others, report a scam call 1 to 4 days later (the CPC signal).\n`,
  );
  console.log(
    '| behaviour | runs | runs where it was ranked first at some checkpoint | records taken when first ranked first: median | p90 | max | checkpoints after its start with an honest party above it | runs with an honest party above it at the end | top honest score at the end, median | ms per ranking, median |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const behaviour of [...INSIDERS, 'none'] as const) {
    const firsts: number[] = [];
    let ranked = 0;
    let checkpoints = 0;
    let above = 0;
    let aboveAtEnd = 0;
    const topHonest: number[] = [];
    const ms: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const run = simulateInsider({ ...w, seed, insider: behaviour });
      const end = run.start + w.days * 24 * HOUR;
      let first: number | null = null;
      let i = 0;
      let taken = 0;
      let last: ReturnType<typeof accountability> | null = null;
      for (let t = run.start + w.startDay * 24 * HOUR + 12 * HOUR; t <= end; t += 12 * HOUR) {
        while (i < run.activity.length && (run.activity[i] as { at: number }).at <= t) if (run.taken[i++]) taken++;
        const t0 = performance.now();
        last = accountability(needsUntil(run.parties, t), run.activity.slice(0, i), { since: run.start, until: t }, reportSignals(run, t));
        ms.push(performance.now() - t0);
        if (run.insider === null) continue;
        const rank = last.anomalies.findIndex((a) => a.party === run.insider);
        checkpoints++;
        if (rank !== 0) above++;
        if (rank === 0 && first === null) first = taken;
      }
      if (last === null) continue;
      const honest = last.anomalies.filter((a) => a.party !== run.insider);
      topHonest.push(honest[0]?.score ?? 0);
      if (run.insider === null) continue;
      if (first !== null) {
        ranked++;
        firsts.push(first);
      }
      if (last.anomalies[0]?.party !== run.insider) aboveAtEnd++;
    }
    const pct = (a: number, b: number): string => (b === 0 ? '—' : `${((100 * a) / b).toFixed(0)}%`);
    console.log(
      behaviour === 'none'
        ? `| none (honest only) | ${seeds} | — | — | — | — | — | — | ${quantile(topHonest, 0.5).toFixed(1)} | ${quantile(ms, 0.5).toFixed(0)} |`
        : `| ${behaviour} | ${seeds} | ${ranked}/${seeds} | ${firsts.length ? `${quantile(firsts, 0.5)} | ${quantile(firsts, 0.9)} | ${Math.max(...firsts)}` : '— | — | —'} | ${pct(above, checkpoints)} | ${aboveAtEnd}/${seeds} | ${quantile(topHonest, 0.5).toFixed(1)} | ${quantile(ms, 0.5).toFixed(0)} |`,
    );
  }
  if (process.env.SUPERVISE_STORE !== '0') await storeRead();
}

/** The longest the event loop waited while `run` ran (what every other request of the server waited too). */
async function longestStall<T>(run: () => Promise<T>): Promise<{ out: T; stallMs: number }> {
  let last = performance.now();
  let stall = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last - 10);
    last = now;
  }, 10);
  try {
    const out = await run();
    return { out, stallMs: Math.max(stall, performance.now() - last - 10) };
  } finally {
    clearInterval(tick);
  }
}

/**
 * Times reading accountability for the default world's platform from a SQLite file store: on the analysis
 * thread as the server does, and on the calling thread as before, with the longest the event loop stalled.
 */
async function storeRead(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gk-bench-'));
  const c = await custodyOn(await openStore({ url: join(dir, 'bench.db') }), randomBytes(32));
  try {
    const t0 = performance.now();
    const w = await buildSimWorld(c, { ...TRACE_WORLD, seed: 1 });
    await releaseWorld(c, w);
    const built = (performance.now() - t0) / 1000;
    const window = { since: new Date(Date.now() - 7 * 86_400_000).toISOString(), until: new Date(Date.now() + 60_000).toISOString() };
    const timed = async (run: () => Promise<Accountability>) => {
      let r = await run();
      const times: number[] = [];
      const stalls: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        const { out, stallMs } = await longestStall(run);
        r = out;
        times.push((performance.now() - t) / 1000);
        stalls.push(stallMs);
      }
      return { r, times, stall: quantile(stalls, 0.5) };
    };
    const thread = await timed(() => readAccountability(c, w.platform, window));
    const here = await timed(() => analyseAccountability(c, w.platform, window));
    const r = thread.r;
    const records = [...r.profiles.values()].reduce((s, p) => s + p.records, 0);
    const span = (x: { times: number[] }): string =>
      `${quantile(x.times, 0.5).toFixed(2)} s (median of 5 warm runs, range ${Math.min(...x.times).toFixed(2)}–${Math.max(...x.times).toFixed(2)} s)`;
    console.log(
      `\nReading the ranking from a store: the default world (${w.orders.length.toLocaleString('en-US')} orders, ${w.parties.size.toLocaleString('en-US')} parties, built and released in ${built.toFixed(0)} s) holds ${c.ledger.tree.size.toLocaleString('en-US')} ledger entries in a SQLite file; one platform-wide analysis reads ${records.toLocaleString('en-US')} views and decrypts of ${r.profiles.size.toLocaleString('en-US')} parties and names ${r.anomalies.length} leads in an honest world. On the analysis thread (the server's path): ${span(thread)}, the event loop stalled at most ${thread.stall.toFixed(0)} ms (median over runs). On the calling thread: ${span(here)}, the event loop stalled ${here.stall.toFixed(0)} ms.`,
    );
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
