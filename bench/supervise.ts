/**
 * `npm run bench -- supervise`: for each insider behaviour over many seeds (SUPERVISE_SEEDS, default 20), how
 * many records the insider had taken beyond its job when the accountability ranking first put it first, and how
 * often honest parties ranked above it. The ranking is recomputed every twelve simulated hours from the insider's
 * first day, over everything since the run began; the control row has no insider. Then the time to read the
 * ranking from a store holding the default simulated world (100,000 orders, over 5,000 parties, every view
 * released through custody), as the API does for a platform.
 */
import { randomBytes } from 'node:crypto';
import { custodyLib, simLib, storeLib, superviseLib } from './compiled.ts';

const { custodyOn } = custodyLib;
const { buildSimWorld, INSIDER_WORLD, INSIDERS, needsUntil, releaseWorld, reportSignals, simulateInsider, TRACE_WORLD } = simLib;
const { openStore } = storeLib;
const { accountability, readAccountability } = superviseLib;

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

/** Times reading accountability for the default world's platform from an in-memory SQLite store. */
async function storeRead(): Promise<void> {
  const c = await custodyOn(await openStore({ url: ':memory:' }), randomBytes(32));
  try {
    const t0 = performance.now();
    const w = await buildSimWorld(c, { ...TRACE_WORLD, seed: 1 });
    await releaseWorld(c, w);
    const built = (performance.now() - t0) / 1000;
    const window = { since: new Date(Date.now() - 7 * 86_400_000).toISOString(), until: new Date(Date.now() + 60_000).toISOString() };
    const times: number[] = [];
    let r = await readAccountability(c, w.platform, window);
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      r = await readAccountability(c, w.platform, window);
      times.push((performance.now() - t) / 1000);
    }
    const records = [...r.profiles.values()].reduce((s, p) => s + p.records, 0);
    console.log(
      `\nReading the ranking from a store: the default world (${w.orders.length.toLocaleString('en-US')} orders, ${w.parties.size.toLocaleString('en-US')} parties, built and released in ${built.toFixed(0)} s) holds ${c.ledger.tree.size.toLocaleString('en-US')} ledger entries; one platform-wide analysis reads ${records.toLocaleString('en-US')} views and decrypts of ${r.profiles.size.toLocaleString('en-US')} parties in ${quantile(times, 0.5).toFixed(2)} s (median of 5 warm runs, range ${Math.min(...times).toFixed(2)}–${Math.max(...times).toFixed(2)} s; SQLite in memory) and names ${r.anomalies.length} leads in an honest world.`,
    );
  } finally {
    await c.close();
  }
}
