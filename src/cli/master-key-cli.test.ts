/**
 * The master key file as operators set it up, through the real command and server entry points: a missing
 * file beside an existing store, a directory at the key path, a key file another user owns, loose modes,
 * and start-up failures that must read as one line.
 */
import { spawnSync, type SpawnSyncOptions, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, renameSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HUNG_MS } from './test-cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/gatekeeper.js');
const MAIN = join(ROOT, 'lib/server/main.js');
const NOBODY = 65534;

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...extra };
  for (const k of ['DATABASE_URL', 'GATEKEEPER_MASTER_KEY', 'GATEKEEPER_NEW_MASTER_KEY', 'PORT'])
    if (!(k in extra)) Reflect.deleteProperty(e, k);
  if (!('GATEKEEPER_MASTER_KEY_FILE' in extra)) Reflect.deleteProperty(e, 'GATEKEEPER_MASTER_KEY_FILE');
  return e;
}

function run(file: string, cwd: string, args: string[], extra: NodeJS.ProcessEnv = {}, as?: number): SpawnSyncReturns<string> {
  const opts: SpawnSyncOptions = { cwd, env: env(extra), encoding: 'utf8', timeout: HUNG_MS };
  if (as !== undefined) Object.assign(opts, { uid: as, gid: as });
  return spawnSync(process.execPath, [file, ...args], opts) as SpawnSyncReturns<string>;
}
const gk = (cwd: string, args: string[], extra: NodeJS.ProcessEnv = {}, as?: number) => run(BIN, cwd, args, extra, as);

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);
const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

/** A working directory with a store and its key file, made by the command line (as `as` when given). */
function store(as?: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'gk-mk-'));
  if (as !== undefined) chmodSync(dir, 0o777);
  const r = gk(dir, ['keys', 'create'], {}, as);
  expect(r.status, r.stderr).toBe(0);
  return dir;
}

describe('the master key file', () => {
  it('never creates a key for a store that already holds keys, and names the missing file', () => {
    const dir = store();
    const key = join(dir, 'data/master.key');
    renameSync(key, join(dir, 'elsewhere.key'));
    for (const r of [gk(dir, ['ledger', 'verify']), gk(dir, ['serve', '--port', '1'])]) {
      expect(r.status).toBe(1);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toContain('key file data/master.key is missing');
      expect(r.stderr).toContain('already holds keys sealed under it');
      expect(existsSync(key)).toBe(false);
    }
    // Put back, the same store opens again.
    renameSync(join(dir, 'elsewhere.key'), key);
    expect(gk(dir, ['ledger', 'verify']).stdout).toMatch(/^ledger OK/);
  });

  it('refuses a directory at the key path and leaves its mode alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-mk-'));
    const at = join(dir, 'keys');
    mkdirSync(at, { mode: 0o755 });
    chmodSync(at, 0o755);
    const r = gk(dir, ['keys', 'create'], { GATEKEEPER_MASTER_KEY_FILE: at });
    expect(r.status).toBe(1);
    expect(lines(r.stderr)).toEqual([`gatekeeper: key file ${at} is not a regular file (a directory)`]);
    expect(mode(at)).toBe('755');
  });

  it('tightens a loose key file of its own to 0600 and says so', () => {
    const dir = store();
    const key = join(dir, 'data/master.key');
    chmodSync(key, 0o644);
    const r = gk(dir, ['ledger', 'verify']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('gatekeeper: warning: key file data/master.key was readable by others (mode 0644): set to 0600');
    expect(mode(key)).toBe('600');
  });

  it.skipIf(process.getuid?.() !== 0)("reads a root-owned 0640 key file as the service user, never changing another user's file", () => {
    const dir = store(NOBODY);
    const key = join(dir, 'data/master.key');
    chownSync(key, 0, NOBODY);
    chmodSync(key, 0o640);
    const ok = gk(dir, ['ledger', 'verify'], {}, NOBODY);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^ledger OK/);
    expect([mode(key), statSync(key).uid]).toEqual(['640', 0]);
    // Readable by every user: a warning, and still not changed.
    chmodSync(key, 0o644);
    const loose = gk(dir, ['ledger', 'verify'], {}, NOBODY);
    expect(loose.stdout).toMatch(/^ledger OK/);
    expect(loose.stderr).toContain(
      'is readable by every user of this machine (mode 0644); it belongs to another user, so it is left as it is',
    );
    expect(mode(key)).toBe('644');
    // Unreadable for the service user: the error names the file and the cause.
    chmodSync(key, 0o600);
    const denied = gk(dir, ['ledger', 'verify'], {}, NOBODY);
    expect(denied.status).toBe(1);
    expect(lines(denied.stderr)).toEqual(['gatekeeper: cannot read key file data/master.key: permission denied (EACCES)']);
  });

  it('prints one line when the server cannot start (npm start and gatekeeper serve)', async () => {
    const dir = store();
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const viaNpmStart = run(MAIN, dir, [], { PORT: String(port) });
      const viaCli = gk(dir, ['serve', '--port', String(port)]);
      expect(viaNpmStart.status).toBe(1);
      expect(lines(viaNpmStart.stderr)).toEqual([`gatekeeper: cannot start the server: port ${String(port)} is already in use`]);
      expect(viaCli.status).toBe(1);
      expect(lines(viaCli.stderr)).toEqual([`gatekeeper: port ${String(port)} is already in use`]);
      // A store the key does not open: one line too.
      const wrong = run(MAIN, dir, [], { PORT: '0', GATEKEEPER_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') });
      expect(wrong.status).toBe(1);
      expect(lines(wrong.stderr)).toHaveLength(1);
      expect(wrong.stderr).toContain('gatekeeper: cannot start the server: the master key does not open this store');
    } finally {
      busy.close();
    }
  });
});
