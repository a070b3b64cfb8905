/**
 * Keys rotated from the command line under a running server: a real server process and the real command, on
 * SQLite and PostgreSQL. Every rotation (data, index, fingerprint, ledger, master) is picked up by the server
 * without a restart; the endpoints that answered 500 until a restart answer as before.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pgSchema } from '../store/test-stores.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/gatekeeper.js');
const pgUrl = process.env.TEST_DATABASE_URL;
const BACKENDS = [{ name: 'sqlite', url: undefined }, ...(pgUrl ? [{ name: 'postgres', url: pgUrl }] : [])];

function envFor(databaseUrl: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    HOST: '127.0.0.1',
    PORT: '0',
    GATEKEEPER_WORKERS: '1',
    LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL;
  delete env.GATEKEEPER_MASTER_KEY;
  delete env.GATEKEEPER_MASTER_KEY_FILE;
  delete env.GATEKEEPER_NEW_MASTER_KEY;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return env;
}

function gk(cwd: string, env: NodeJS.ProcessEnv, args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 26 });
}

/** Starts `gatekeeper serve` and resolves with its port once it listens; its log keeps being drained after that. */
function startServer(cwd: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let head = '';
    let found = false;
    child.stdout.on('data', (d: Buffer) => {
      if (found) return;
      head += d.toString('utf8');
      const m = /"port":(\d+)/.exec(head);
      found = m !== null;
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', () => {
      reject(new Error('the server ended before it listened'));
    });
  });
}

const CASE = {
  victim: { name: '轮换测试', phone: '139 0000 0001', region: '浙江省杭州市' },
  claimed: '平台客服',
  contacted_at: '2026-11-25T02:10:00Z',
  scammer: { numbers: ['+86 171 2345 6789'], accounts: [], links: [] },
  transfers: [],
  timeline: [],
  narrative: '对方自称平台客服，说出了我的订单信息，诱导我转账。',
  consent: true,
};

const servers: ChildProcess[] = [];
afterAll(() => {
  for (const s of servers) s.kill('SIGTERM');
});

describe.each(BACKENDS)('keys rotated beside a running server on $name', ({ url }) => {
  it('picks up rotated data, index, fingerprint, ledger and master keys without a restart, never answering 500', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-live-'));
    const pgStore = url ? await pgSchema(url) : undefined;
    const env = envFor(pgStore?.url);
    try {
      const demo = gk(dir, env, ['demo', '--orders', '300']);
      expect(demo.status, demo.stderr).toBe(0);
      const regulator = /regulator\s+(gk_\S+)/.exec(demo.stdout)?.[1] as string;
      expect(regulator).toBeTruthy();
      const { child, port } = await startServer(dir, env);
      servers.push(child);
      const base = `http://127.0.0.1:${String(port)}`;
      const call = async (method: string, path: string, token?: string, body?: unknown): Promise<Response> =>
        fetch(`${base}${path}`, {
          method,
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
      const filed = await call('POST', '/api/v1/cases', undefined, CASE);
      expect(filed.status).toBe(201);
      const victim = (await filed.json()) as { id: string; token: string };
      // One of the demo's cases, which quotes an order: trace starts from it.
      const listed = (await (await call('GET', '/api/v1/cases', regulator)).json()) as { cases: { id: string }[] };
      const quoted = listed.cases.find((x) => x.id !== victim.id)?.id as string;

      /** Every endpoint the issue saw answer 500 after a rotation, and a write that seals under the current key. */
      const probe = async (after: string): Promise<void> => {
        const statuses: Record<string, number> = {
          'case (regulator)': (await call('GET', `/api/v1/cases/${quoted}`, regulator)).status,
          'case (victim)': (await call('GET', `/api/v1/cases/${victim.id}`, victim.token)).status,
          'case pdf (victim)': (await call('GET', `/api/v1/cases/${victim.id}/report.pdf`, victim.token)).status,
          'trace from a case': (await call('POST', `/api/v1/trace/case/${quoted}`, regulator)).status,
          'case pdf (regulator)': (await call('GET', `/api/v1/cases/${quoted}/report.pdf`, regulator)).status,
          'verify number': (await call('POST', '/api/v1/verify/number', undefined, { number: '+86 171 2345 6789' })).status,
          'ledger status': (await call('GET', '/api/v1/ledger/status', regulator)).status,
          'ledger checkpoint': (await call('GET', '/api/v1/ledger/checkpoint', regulator)).status,
        };
        const again = await call('POST', '/api/v1/cases', undefined, { ...CASE, narrative: `${CASE.narrative}（${after}）` });
        statuses['file a case'] = again.status;
        const fresh = (await again.json()) as { id: string; token: string };
        statuses['read it back'] = (await call('GET', `/api/v1/cases/${fresh.id}`, fresh.token)).status;
        expect({ after, ...statuses }).toEqual({
          after,
          'case (regulator)': 200,
          'case (victim)': 200,
          'case pdf (victim)': 200,
          'trace from a case': 200,
          'case pdf (regulator)': 200,
          'verify number': 200,
          'ledger status': 200,
          'ledger checkpoint': 200,
          'file a case': 201,
          'read it back': 200,
        });
      };
      await probe('start');
      // Each probe files a case of its own (an identical one would merge, and a merge opens nothing).
      for (const [i, purpose] of ['data', 'index', 'fingerprint', 'ledger', 'master', 'data', 'index'].entries()) {
        const r = gk(dir, env, ['keys', 'rotate', '--purpose', purpose]);
        expect(r.status, r.stderr).toBe(0);
        // The rotation ran synchronously: let the event loop see the sockets the server closed meanwhile (its
        // keep-alive timeout is 5 s), or the next request goes out on one of them and fails "other side closed".
        await new Promise((resolve) => setTimeout(resolve, 20));
        await probe(`${purpose} ${String(i + 1)}`);
      }
      // The server signed checkpoints with the handed-over key: the whole log still verifies from its first key.
      const verified = gk(dir, env, ['ledger', 'verify']);
      expect(verified.stdout, verified.stderr).toMatch(/^ledger OK/);
      child.kill('SIGTERM');
    } finally {
      await pgStore?.drop();
    }
  });
});
