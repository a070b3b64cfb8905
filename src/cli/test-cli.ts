/** Test helper: runs the installed command (compiled lib/) in a folder of its own, on SQLite with a key file. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The installed entry point: it runs in one process, so a signal reaches the process doing the work. */
export const BIN = join(ROOT, 'bin/gatekeeper.js');
/** How long one command may run before it counts as hung: far past what any takes on a busy machine. */
export const HUNG_MS = 300_000;
/** The environment every command runs with: SQLite and the key file, whatever the caller's shell says. */
export const ENV: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', GATEKEEPER_MASTER_KEY: '', NO_COLOR: '1' };

/** Runs `gatekeeper args` in `cwd` with `input` on stdin; `extra` adds variables (an empty value removes one). */
export function gk(cwd: string, args: string[], input?: string, extra: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const env = Object.fromEntries(Object.entries({ ...ENV, ...extra }).filter(([, v]) => v !== ''));
  return spawnSync(process.execPath, [BIN, ...args], { cwd, env, input, encoding: 'utf8', timeout: HUNG_MS, maxBuffer: 1 << 28 });
}

/**
 * A store made through the CLI in a new folder: a platform, a merchant and `n` orders in 广东省深圳市南山区
 * (order numbers L0…, streets 科技园0号…, phones 13800000000…); returns the folder.
 */
export function cliStore(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'gk-cli-'));
  const must = (r: SpawnSyncReturns<string>): string => {
    if (r.status !== 0) throw new Error(`gatekeeper failed in ${dir}: ${r.stderr}`);
    return r.stdout;
  };
  must(gk(dir, ['keys', 'create']));
  const merchant = (JSON.parse(must(gk(dir, ['parties', 'create', '--kind', 'merchant', '--name', '测试店']))) as { id: string }).id;
  const orders = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      platform_order_id: `L${i}`,
      merchant_id: merchant,
      recipient: {
        name: '测试',
        phone: `1380000${String(i).padStart(4, '0')}`,
        address: { province: '广东省', city: '深圳市', district: '南山区', street: `科技园${i}号` },
      },
      item: { title: '测试商品', quantity: 1, price_cents: 100 + i },
      ordered_at: '2026-11-01T02:00:00Z',
      paid_at: '2026-11-01T02:01:00Z',
    }),
  );
  must(gk(dir, ['orders', 'ingest'], orders.join('\n')));
  return dir;
}
