/**
 * Every command in README.md's sh blocks, run in order as written, from a folder laid out like the repository's
 * root (examples/, scripts/, lib/) on a fresh SQLite store there: a README command that fails fails this test.
 * `npm run gatekeeper --` and `npx gatekeeper` run the compiled command (lib/, rebuilt by the integration
 * project's setup when a source is newer), as the other CLI tests do; shell variables a command sets carry over
 * to the next.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ENV, HUNG_MS, ROOT } from './test-cli.ts';

/** The commands of README.md's sh blocks, in order: one per line, with `\` continuations joined. */
export function readmeCommands(markdown: string): string[] {
  const out: string[] = [];
  for (const block of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    const text = (block[1] as string).replace(/\\\n\s*/g, ' ');
    for (const line of text.split('\n')) if (line.trim() !== '' && !line.trim().startsWith('#')) out.push(line.trim());
  }
  return out;
}

/** Why a command is not run here, or undefined when it is. */
function skipReason(cmd: string): string | undefined {
  if (/^npm (install|ci)\b/.test(cmd)) return 'installs packages: this test runs in an installed checkout';
  if (/^(\w+=\S* )*(npm (test|run test:all)|npx vitest)\b/.test(cmd)) return 'runs the suite this test is part of';
  return undefined;
}

/** The command as run here: the compiled CLI for the npm and npx forms, the test's port for the server's address. */
function rewrite(cmd: string, port: number): string {
  const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`;
  return (
    cmd
      .replace(/npm run (--silent )?gatekeeper --(?= |$)/g, cli)
      .replace(/npx gatekeeper(?= |$)/g, cli)
      .replace(/localhost:8080/g, `localhost:${String(port)}`)
      // A curl that got an error status fails, as a newcomer reading its answer would notice.
      .replace(/\bcurl -s\b/g, 'curl -sS --fail-with-body')
  );
}

/** The command without its trailing comment (a `#` after a space, outside quotes). */
function code(cmd: string): string {
  let quote = '';
  for (let i = 0; i < cmd.length; i++) {
    const ch = cmd[i] as string;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(cmd[i - 1] as string))) return cmd.slice(0, i).trim();
  }
  return cmd;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => {
        resolve(typeof addr === 'object' && addr ? addr.port : 0);
      });
    });
  });
}

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const COMMANDS = readmeCommands(README);
const START = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };

describe('README commands', () => {
  let dir = '';
  let port = 0;
  let server: ChildProcess | undefined;
  let serverLog = '';
  const env = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries({ ...ENV, PORT: String(port) }).filter(([, v]) => v !== ''));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gk-readme-'));
    cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
    for (const link of ['scripts', 'lib']) symlinkSync(join(ROOT, link), join(dir, link));
    port = await freePort();
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const gone = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('has commands, and every command whose output is kept runs npm with --silent (npm prints a header otherwise)', () => {
    expect(COMMANDS.length).toBeGreaterThan(30);
    const noisy = COMMANDS.filter(
      (c) => /npm run gatekeeper/.test(c) && /\$\(npm run gatekeeper|npm run gatekeeper[^#]*[|>]/.test(code(c)),
    );
    expect(noisy).toEqual([]);
  });

  it('names only files that exist, and no placeholders a shell cannot run', () => {
    const files = [...README.matchAll(/```sh\n[\s\S]*?```/g)].flatMap((b) => [...b[0].matchAll(/\bexamples\/[\w.-]+/g)].map((m) => m[0]));
    for (const f of new Set(files)) expect(() => readFileSync(join(ROOT, f)), f).not.toThrow();
    expect(COMMANDS.filter((c) => /<[a-z][^>]*>|…|XXXX/.test(code(c)))).toEqual([]);
  });

  for (const [i, cmd] of COMMANDS.entries()) {
    const reason = skipReason(cmd);
    if (reason !== undefined) {
      it.skip(`${String(i + 1)}: ${cmd} (skipped: ${reason})`, () => undefined);
      continue;
    }
    if (/^npm start\b/.test(cmd))
      // The build half of `npm start` would rebuild lib/ under the other CLI tests; lib/ is current here.
      it(`${String(i + 1)}: ${cmd} (its server half; probes /healthz, stopped at the end)`, async () => {
        const [build, serve] = START.scripts.start.split(' && ');
        expect(build).toBe('node scripts/build-if-stale.mjs');
        server = spawn('sh', ['-c', `exec ${serve as string}`], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
        server.stdout?.on('data', (b: Buffer) => (serverLog += b.toString()));
        server.stderr?.on('data', (b: Buffer) => (serverLog += b.toString()));
        // It polls until the server answers or exits; the test's timeout ends a hang.
        while (server.exitCode === null) {
          const up = await fetch(`http://127.0.0.1:${String(port)}/healthz`).then(
            (r) => r.ok,
            () => false,
          );
          if (up) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`the server did not answer /healthz:\n${serverLog}`);
      });
    else
      it(`${String(i + 1)}: ${cmd}`, () => {
        // Variables a command sets are exported to a file the next one reads, as one shell session would keep them.
        const script = `set -a -u -o pipefail\n. ./.readme-env 2>/dev/null || true\n${rewrite(cmd, port)}\nrc=$?\nexport -p > .readme-env\nexit $rc\n`;
        const r = spawnSync('bash', ['-c', script], { cwd: dir, env: env(), encoding: 'utf8', timeout: HUNG_MS, maxBuffer: 1 << 26 });
        expect(r.status, `${cmd}\nstdout: ${r.stdout.slice(-2000)}\nstderr: ${r.stderr.slice(-2000)}`).toBe(0);
      });
  }

  it('wrote every file the commands name under out/, and each PDF is a PDF', () => {
    const outputs = [...new Set(COMMANDS.flatMap((c) => [...code(c).matchAll(/\bout\/[\w.-]+/g)].map((m) => m[0])))];
    expect(outputs.length).toBeGreaterThan(5);
    for (const f of outputs) {
      const bytes = readFileSync(join(dir, f));
      expect(bytes.length, f).toBeGreaterThan(0);
      if (f.endsWith('.pdf')) expect(bytes.subarray(0, 5).toString(), f).toBe('%PDF-');
    }
    expect(readFileSync(join(dir, 'out/verdicts.jsonl'), 'utf8').trim().split('\n')).toHaveLength(
      readFileSync(join(ROOT, 'examples/texts.jsonl'), 'utf8').trim().split('\n').length,
    );
  });
});
