/**
 * Soak: the compiled server on a fresh SQLite store, under a bounded mix of check, verify, reputation, case and
 * bulk-ingest requests from many client addresses (named through X-Forwarded-For, one trusted proxy hop) for
 * SOAK_SECONDS (default 180); SOAK_INGEST is ingest's share of the mix (default 0.15). Reports latency per kind, 5xx and 429 counts, and the server's resident memory
 * over time. Traffic goes only to 127.0.0.1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = new URL('..', import.meta.url).pathname;
const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const IN_FLIGHT = 8;
const CLIENTS = 400;

type Kind = 'check' | 'verify' | 'lookup' | 'case' | 'ingest';

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Runs the soak and prints its tables. */
export async function benchSoak(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gk-soak-'));
  const cli = (args: string[]): string => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/gatekeeper.js'), ...args], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gatekeeper ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const admin = /gk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/.exec(cli(['keys', 'create']))?.[0] ?? '';
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(process.execPath, [join(ROOT, 'lib/server/main.js')], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), GATEKEEPER_TRUST_PROXY: '1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${String(port)}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      await sleep(100);
    }
  }
  const post = async (path: string, body: unknown, client: string, key?: string, type = 'application/json'): Promise<Response> =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': type, 'x-forwarded-for': client, ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const party = async (body: Record<string, unknown>): Promise<string> =>
    ((await (await post('/api/v1/parties', body, '127.0.0.1', admin)).json()) as { id: string }).id;
  const merchant = await party({ kind: 'merchant', name: '压测店铺' });
  const carrier = await party({ kind: 'carrier', name: '压测快递' });
  const outlet = await party({ kind: 'outlet', name: '压测网点', parent_id: carrier });
  const station = await party({ kind: 'station', name: '压测驿站', parent_id: outlet });
  const courier = await party({ kind: 'courier', name: '压测快递员', parent_id: station });
  let orderNo = 0;
  const order = (): Record<string, unknown> => {
    const i = orderNo++;
    return {
      platform_order_id: `SOAK${String(i).padStart(9, '0')}`,
      merchant_id: merchant,
      carrier_id: carrier,
      outlet_id: outlet,
      station_id: station,
      courier_id: courier,
      recipient: {
        name: '压测用户',
        phone: `139${String(i % 100_000_000).padStart(8, '0')}`,
        address: {
          province: '浙江省',
          city: '杭州市',
          district: '西湖区',
          street: `文三路${String(i % 500)}号`,
          room: String(100 + (i % 50)),
        },
      },
      item: { title: '加厚羽绒服', spec: ['黑色'], quantity: 1, price_cents: 29900 },
      ordered_at: '2026-11-20T02:05:37Z',
      paid_at: '2026-11-20T02:06:02Z',
    };
  };
  // SOAK_INGEST sets bulk ingest's share (default 0.15); what it leaves goes to the check.
  const ingest = Number(process.env.SOAK_INGEST ?? 0.15);
  const mix: [Kind, number][] = [
    ['check', 0.65 - ingest],
    ['verify', 0.2],
    ['lookup', 0.1],
    ['case', 0.05],
    ['ingest', ingest],
  ];
  const pick = (): Kind => {
    let r = Math.random();
    for (const [k, w] of mix) if ((r -= w) < 0) return k;
    return 'check';
  };
  const one = async (kind: Kind, client: string): Promise<Response> => {
    if (kind === 'check')
      return post('/api/v1/check', { text: '您好我是淘宝客服，您的订单有质量问题，可以三倍赔偿，请下载会议软件并告诉我验证码' }, client);
    if (kind === 'verify')
      return post('/api/v1/verify/number', { number: `171${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` }, client);
    if (kind === 'lookup') return post('/api/v1/reputation/lookup', { kind: 'phone', value: '+8617100000001' }, client);
    if (kind === 'case')
      return post(
        '/api/v1/cases',
        {
          contacted_at: '2026-11-25T02:10:00Z',
          narrative: `压测报案 ${client} ${String(Math.random())}`,
          scammer: { numbers: ['+8617100000001'] },
          consent: true,
        },
        client,
      );
    const lines = Array.from({ length: 20 }, () => JSON.stringify(order())).join('\n');
    return post('/api/v1/orders/bulk', lines, '127.0.0.1', admin, 'application/x-ndjson');
  };

  const lat = new Map<Kind, number[]>(mix.map(([k]) => [k, []]));
  let fivexx = 0;
  let limited = 0;
  let failed = 0;
  const rss: { t: number; mb: number }[] = [];
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  const sampler = setInterval(() => {
    if (server.pid) rss.push({ t: (performance.now() - t0) / 1000, mb: rssMb(server.pid) });
  }, 5000);
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < end) {
        const kind = pick();
        const client = `198.51.${String(Math.floor(Math.random() * CLIENTS) >> 8)}.${String(Math.floor(Math.random() * 250))}`;
        const s = performance.now();
        try {
          const r = await one(kind, client);
          await r.arrayBuffer();
          if (r.status >= 500) fivexx++;
          if (r.status === 429) limited++;
          (lat.get(kind) as number[]).push(performance.now() - s);
        } catch {
          failed++;
        }
      }
    }),
  );
  clearInterval(sampler);
  server.kill('SIGTERM');

  console.log(
    `Soak: ${String(SECONDS)} s, ${String(IN_FLIGHT)} requests in flight, ${String(CLIENTS)} client addresses; ${String(orderNo)} orders ingested.\n`,
  );
  console.log('| kind | requests | p50 ms | p99 ms |');
  console.log('|---|---|---|---|');
  for (const [k, xs] of lat) console.log(`| ${k} | ${String(xs.length)} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 99).toFixed(1)} |`);
  console.log(`\n5xx: ${String(fivexx)}; 429: ${String(limited)}; failed connections: ${String(failed)}`);
  const third = Math.floor(rss.length / 3);
  const early = rss.slice(1, Math.max(2, third)).map((r) => r.mb);
  const late = rss.slice(-Math.max(1, third)).map((r) => r.mb);
  console.log(
    `RSS: ${rss.map((r) => r.mb.toFixed(0)).join(' ')} MB every 5 s; median of the first third ${pct(early, 50).toFixed(0)} MB, of the last third ${pct(late, 50).toFixed(0)} MB`,
  );
}
