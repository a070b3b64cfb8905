import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { pgSchema } from '../store/test-stores.ts';
import { BIN, ENV, gk, ROOT } from './test-cli.ts';

function order(merchant: string, i: number): string {
  return JSON.stringify({
    platform_order_id: `CLI${i}`,
    merchant_id: merchant,
    recipient: {
      name: '测试',
      phone: `1380000${String(i % 10000).padStart(4, '0')}`,
      address: { province: '广东省', city: '深圳市', district: '南山区', street: `科技园${i}号` },
    },
    item: { title: '测试商品', quantity: 1, price_cents: 100 + i },
    ordered_at: '2026-11-01T02:00:00Z',
    paid_at: '2026-11-01T02:01:00Z',
  });
}

/** The platform order ids the store holds, read straight from the database. */
async function heldOrders(dir: string): Promise<string[]> {
  if (!ENV.DATABASE_URL) {
    const db = new Sqlite(join(dir, 'data/gatekeeper.db'), { readonly: true });
    const ids = db.prepare('select platform_order_id from orders').pluck().all() as string[];
    db.close();
    return ids;
  }
  const c = new pg.Client({ connectionString: ENV.DATABASE_URL });
  await c.connect();
  const r = await c.query<{ platform_order_id: string }>('select platform_order_id from orders');
  await c.end();
  return r.rows.map((x) => x.platform_order_id);
}

/** A fresh working directory with a platform and one merchant, created through the CLI. */
function freshStore(): { dir: string; merchant: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gk-cli-'));
  expect(gk(dir, ['keys', 'create']).status).toBe(0);
  const m = gk(dir, ['parties', 'create', '--kind', 'merchant', '--name', '测试店']);
  expect(m.status).toBe(0);
  return { dir, merchant: (JSON.parse(m.stdout) as { id: string }).id };
}

describe('custody and ledger from the command line', () => {
  it('creates a 0600 key file, and an outside auditor (Python, from the specs) verifies the export', () => {
    const { dir, merchant } = freshStore();
    expect(readFileSync(join(dir, 'data/master.key')).length).toBeGreaterThan(40);
    const st = spawnSync('stat', ['-c', '%a', join(dir, 'data/master.key')], { encoding: 'utf8' });
    expect(st.stdout.trim()).toBe('600');
    const ing = gk(dir, ['orders', 'ingest'], Array.from({ length: 30 }, (_, i) => order(merchant, i)).join('\n'));
    expect(ing.stdout.trim().split('\n')).toHaveLength(30);
    for (const [cmd, file] of [
      ['export', 'leaves.jsonl'],
      ['checkpoint', 'cp.txt'],
      ['key', 'key.txt'],
    ] as const)
      writeFileSync(join(dir, file), gk(dir, ['ledger', cmd]).stdout);
    const audit = (): SpawnSyncReturns<string> =>
      spawnSync('/usr/bin/python3', [join(ROOT, 'scripts/audit_ledger.py'), 'leaves.jsonl', 'cp.txt', 'key.txt'], {
        cwd: dir,
        encoding: 'utf8',
      });
    const ok = audit();
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^OK gatekeeper\.local\/ledger: signature verified, 34 leaves/);
    // Edit one exported leaf: the auditor must notice.
    const lines = readFileSync(join(dir, 'leaves.jsonl'), 'utf8').trim().split('\n');
    const e = JSON.parse(lines[5] as string) as { index: number; leaf: string };
    e.leaf = Buffer.from(Buffer.from(e.leaf, 'base64').toString('utf8').replace('ingest', 'ingesT')).toString('base64');
    lines[5] = JSON.stringify(e);
    writeFileSync(join(dir, 'leaves.jsonl'), lines.join('\n') + '\n');
    const bad = audit();
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('do not give the signed root');
  });

  it('rotates the data, fingerprint, ledger signing and index keys, and refuses a key it does not know', () => {
    const { dir, merchant } = freshStore();
    gk(dir, ['orders', 'ingest'], Array.from({ length: 3 }, (_, i) => order(merchant, i)).join('\n'));
    const data = gk(dir, ['keys', 'rotate']);
    expect(data.stdout).toMatch(/^data key v1 → v2: 3 orders and 0 other sealed values re-encrypted/);
    const fp = gk(dir, ['keys', 'rotate', '--purpose', 'fingerprint']);
    expect(fp.stdout).toMatch(/^fingerprint key v1 → v2: new first-time views use v2; 0 earlier views keep their version/);
    const led = gk(dir, ['keys', 'rotate', '--purpose', 'ledger']);
    expect(led.stdout).toMatch(/^ledger signing key v1 → v2: new verifier key gatekeeper\.local\/ledger\+[0-9a-f]{8}\+/);
    const vkey = gk(dir, ['ledger', 'key']).stdout;
    expect(led.stdout).toContain(vkey.trim());
    // The handover checkpoint carries two signatures, the old key's and the new one's.
    expect(led.stdout.match(/^\u2014 gatekeeper\.local\/ledger /gm)).toHaveLength(2);
    const idx = gk(dir, ['keys', 'rotate', '--purpose', 'index']);
    expect(idx.stdout).toMatch(
      /^index key v1 → v2: 3 orders \(with their releases and canaries\) and 0 cases and reported identifiers re-indexed/,
    );
    const bad = gk(dir, ['keys', 'rotate', '--purpose', 'signing']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--purpose.*signing.*data, fingerprint, ledger, master, index/s);
    expect(gk(dir, ['ledger', 'verify']).stdout).toMatch(/^ledger OK/);
    // An outside auditor given the new key verifies the latest checkpoint.
    writeFileSync(join(dir, 'leaves.jsonl'), gk(dir, ['ledger', 'export']).stdout);
    writeFileSync(join(dir, 'cp.txt'), gk(dir, ['ledger', 'checkpoint']).stdout);
    writeFileSync(join(dir, 'key.txt'), vkey);
    const audit = spawnSync('/usr/bin/python3', [join(ROOT, 'scripts/audit_ledger.py'), 'leaves.jsonl', 'cp.txt', 'key.txt'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(audit.stdout).toMatch(/^OK gatekeeper\.local\/ledger: signature verified/);
  });

  it('rotates the master key in the key file, and finishes a rotation a crash cut short', () => {
    const { dir, merchant } = freshStore();
    gk(dir, ['orders', 'ingest'], Array.from({ length: 3 }, (_, i) => order(merchant, i)).join('\n'));
    const file = join(dir, 'data/master.key');
    const first = readFileSync(file, 'utf8');
    // A key a rotation saved but never committed is ignored, then replaced by the next rotation.
    writeFileSync(`${file}.next`, `${randomBytes(32).toString('base64')}\n`, { mode: 0o644 });
    expect(gk(dir, ['ledger', 'verify']).stdout).toMatch(/^ledger OK/);
    const r = gk(dir, ['keys', 'rotate', '--purpose', 'master']);
    expect(r.stdout).toMatch(/^master key 1 → 2: 4 keys re-wrapped; the new key replaced data\/master\.key/);
    const second = readFileSync(file, 'utf8');
    expect(second).not.toBe(first);
    expect([statSync(file).mode & 0o777, existsSync(`${file}.next`)]).toEqual([0o600, false]);
    const old = gk(dir, ['ledger', 'verify'], undefined, { GATEKEEPER_MASTER_KEY: first.trim() });
    expect([old.status, old.stderr]).toEqual([1, expect.stringContaining('after a master-key rotation, use the new key') as unknown]);
    // The data keys open as before under the new master: re-encrypting every order needs them.
    expect(gk(dir, ['keys', 'rotate']).stdout).toMatch(/^data key v1 → v2: 3 orders/);
    // As if the rotation had committed and the process died before renaming the new key over the old one.
    expect(gk(dir, ['keys', 'rotate', '--purpose', 'master']).status).toBe(0);
    const third = readFileSync(file, 'utf8');
    renameSync(file, `${file}.next`);
    writeFileSync(file, second, { mode: 0o600 });
    expect(gk(dir, ['ledger', 'verify']).stdout).toMatch(/^ledger OK/);
    expect([readFileSync(file, 'utf8'), existsSync(`${file}.next`)]).toEqual([third, false]);
    const leaves = gk(dir, ['ledger', 'export']).stdout.trim().split('\n');
    const rotations = leaves
      .map((l) => Buffer.from((JSON.parse(l) as { leaf: string }).leaf, 'base64').toString('utf8'))
      .filter((e) => e.includes('"purpose":"master"'));
    expect(rotations).toHaveLength(2);
  });

  it('rotates a master key kept in the environment only when given the new one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-cli-'));
    const [k1, k2] = [randomBytes(32).toString('base64'), randomBytes(32).toString('hex')];
    expect(gk(dir, ['keys', 'create'], undefined, { GATEKEEPER_MASTER_KEY: k1 }).status).toBe(0);
    const missing = gk(dir, ['keys', 'rotate', '--purpose', 'master'], undefined, { GATEKEEPER_MASTER_KEY: k1 });
    expect([missing.status, missing.stderr]).toEqual([
      1,
      expect.stringContaining('put the new key in GATEKEEPER_NEW_MASTER_KEY') as unknown,
    ]);
    const same = gk(dir, ['keys', 'rotate', '--purpose', 'master'], undefined, {
      GATEKEEPER_MASTER_KEY: k1,
      GATEKEEPER_NEW_MASTER_KEY: k1,
    });
    expect(same.stderr).toContain('is the key in use');
    const r = gk(dir, ['keys', 'rotate', '--purpose', 'master'], undefined, { GATEKEEPER_MASTER_KEY: k1, GATEKEEPER_NEW_MASTER_KEY: k2 });
    expect(r.stdout).toMatch(/^master key 1 → 2: 4 keys re-wrapped; set GATEKEEPER_MASTER_KEY/);
    expect(r.stdout + r.stderr).not.toContain(k2);
    expect(existsSync(join(dir, 'data/master.key'))).toBe(false);
    expect(gk(dir, ['ledger', 'verify'], undefined, { GATEKEEPER_MASTER_KEY: k1 }).status).toBe(1);
    expect(gk(dir, ['ledger', 'verify'], undefined, { GATEKEEPER_MASTER_KEY: k2 }).stdout).toMatch(/^ledger OK/);
  });

  it('stops quietly when the reader of an export closes the pipe early', async () => {
    const { dir, merchant } = freshStore();
    expect(gk(dir, ['orders', 'ingest'], Array.from({ length: 1500 }, (_, i) => order(merchant, i)).join('\n')).status).toBe(0);
    // Far more than a pipe holds, so the export is still writing when the reader goes.
    expect(gk(dir, ['ledger', 'export']).stdout.length).toBeGreaterThan(1 << 18);
    const env = Object.fromEntries(Object.entries(ENV).filter(([, v]) => v !== ''));
    const child = spawn(process.execPath, [BIN, 'ledger', 'export'], { cwd: dir, env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('names an entry edited in the database', () => {
    const { dir, merchant } = freshStore();
    gk(dir, ['orders', 'ingest'], Array.from({ length: 5 }, (_, i) => order(merchant, i)).join('\n'));
    expect(gk(dir, ['ledger', 'checkpoint']).status).toBe(0);
    expect(gk(dir, ['ledger', 'verify']).stdout).toMatch(/^ledger OK: 9 entries/);
    const db = new Sqlite(join(dir, 'data/gatekeeper.db'));
    db.prepare("update ledger set leaf = replace(leaf, 'ingest', 'release') where idx = 5").run();
    db.close();
    const r = gk(dir, ['ledger', 'verify']);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('entry 5 does not match its recorded hash');
  });

  it('tells the demo story through the real paths: the leaking station is named, the ledger verifies, twice on one store', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-demo-'));
    const r = gk(dir, ['demo', '--orders', '300']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('300 sealed orders');
    const leaker = /4\. (\S+) 泄露了它的派件清单/.exec(r.stdout)?.[1];
    expect(leaker).toBeDefined();
    expect(r.stdout).toContain(`溯源认定 accused: ${leaker as string} (station, L1)`);
    expect(r.stdout).toMatch(/ledger: \d+ entries; verify OK/);
    expect(r.stdout).toMatch(/regulator {2}gk_[0-9a-f]{12}_/);
    expect(r.stdout).toMatch(/http:\/\/localhost:8080\/#\/my-order\/gko_[A-Za-z0-9_-]{43} {3}who has seen order/);
    expect(readFileSync(join(dir, 'data/demo-evidence-report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    const again = gk(dir, ['demo', '--orders', '300', '--seed', '2']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('官方号码 951201');
    expect(gk(dir, ['ledger', 'verify']).stdout).toMatch(/^ledger OK/);
  });

  it('prints party ids alone with --format id, and fills the merchant and the route in from --merchant and --route', () => {
    const { dir, merchant } = freshStore();
    const id = (args: string[]): string => {
      const r = gk(dir, [...args, '--format', 'id']);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim();
    };
    const carrier = id(['parties', 'create', '--kind', 'carrier', '--name', '测试快递']);
    const outlet = id(['parties', 'create', '--kind', 'outlet', '--name', '测试网点', '--parent', carrier]);
    const station = id(['parties', 'create', '--kind', 'station', '--name', '测试驿站', '--parent', outlet]);
    const other = id(['parties', 'create', '--kind', 'station', '--name', '另一驿站', '--parent', outlet]);
    expect(station).toMatch(/^station_[0-9a-f]{10}$/);
    expect(id(['parties', 'list', '--kind', 'station']).split('\n').sort()).toEqual([station, other].sort());
    const bare = (i: number): Record<string, unknown> => {
      const { merchant_id: _m, ...rest } = JSON.parse(order(merchant, i)) as Record<string, unknown>;
      return rest;
    };
    const lines = [bare(1), { ...bare(2), station_id: other, outlet_id: outlet }, { ...bare(3), merchant_id: 'merchant_0000000000' }];
    const r = gk(dir, ['orders', 'ingest', '--merchant', merchant, '--route', station], lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(r.status).toBe(1);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; status?: string; issues?: { field: string }[] });
    expect(out.map((o) => [o.line, o.status ?? o.issues?.[0]?.field])).toEqual([
      [1, 'created'],
      [2, 'created'],
      [3, 'merchant_id'],
    ]);
    const db = new Sqlite(join(dir, 'data/gatekeeper.db'), { readonly: true });
    const held = db.prepare('select platform_order_id, merchant_id, carrier_id, outlet_id, station_id from orders order by 1').all();
    db.close();
    expect(held).toEqual([
      { platform_order_id: 'CLI1', merchant_id: merchant, carrier_id: carrier, outlet_id: outlet, station_id: station },
      { platform_order_id: 'CLI2', merchant_id: merchant, carrier_id: null, outlet_id: outlet, station_id: other },
    ]);
    const wrong = gk(dir, ['orders', 'ingest', '--route', merchant], '');
    expect([wrong.status, wrong.stderr]).toEqual([1, 'gatekeeper: --route must name a carrier, outlet, station or courier\n']);
    writeFileSync(join(dir, 'phones.txt'), '13900000081\n\nabc\n');
    const canaries = gk(dir, ['canaries', 'plant', '--outlet', outlet, '--merchant', merchant, '--phones', 'phones.txt']);
    expect([canaries.status, canaries.stderr]).toEqual([1, 'gatekeeper: line 3: must be a mainland mobile number\n']);
    const missing = gk(dir, ['orders', 'ingest', 'no-such.ndjson']);
    expect([missing.status, missing.stderr]).toEqual([1, 'gatekeeper: no-such.ndjson: no such file\n']);
  });

  it('refuses to open the store with a different master key', () => {
    const { dir } = freshStore();
    const r = spawnSync(process.execPath, [BIN, 'ledger', 'verify'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '', GATEKEEPER_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the master key does not open this store');
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;
const CRASH_BACKENDS = [{ name: 'sqlite', url: undefined }, ...(pgUrl ? [{ name: 'postgres', url: pgUrl }] : [])];

describe.each(CRASH_BACKENDS)('crash safety on $name', ({ url }) => {
  it('keeps every acknowledged order and a valid ledger after SIGKILL during a bulk ingest', async () => {
    const pgStore = url ? await pgSchema(url) : undefined;
    if (pgStore) ENV.DATABASE_URL = pgStore.url;
    const { dir, merchant } = freshStore();
    const N = 40_000;
    const file = join(dir, 'orders.ndjson');
    writeFileSync(file, Array.from({ length: N }, (_, i) => order(merchant, i)).join('\n') + '\n');
    const env = Object.fromEntries(Object.entries(ENV).filter(([, v]) => v !== ''));
    const child = spawn(process.execPath, [BIN, 'orders', 'ingest', file], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const acked: string[] = [];
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => {
        resolve(signal);
      }),
    );
    for await (const line of createInterface({ input: child.stdout })) {
      const r = JSON.parse(line) as { platform_order_id?: string; status?: string };
      if (r.status === 'created' && r.platform_order_id) acked.push(r.platform_order_id);
      if (!child.killed) child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThan(0);
    expect(acked.length).toBeLessThan(N);
    const held = new Set(await heldOrders(dir));
    expect(acked.filter((id) => !held.has(id))).toEqual([]);
    expect(gk(dir, ['ledger', 'verify']).stdout).toMatch(/^ledger OK/);
    // Re-running the same file finishes the job idempotently.
    const again = gk(dir, ['orders', 'ingest', file]);
    const statuses = again.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { status: string }).status);
    expect(statuses.filter((s) => s === 'exists').length).toBe(held.size);
    expect(statuses.filter((s) => s === 'created').length).toBe(N - held.size);
    expect(gk(dir, ['ledger', 'verify']).stdout).toMatch(new RegExp(`^ledger OK: ${N + 4} entries`));
    ENV.DATABASE_URL = '';
    await pgStore?.drop();
  });
});
