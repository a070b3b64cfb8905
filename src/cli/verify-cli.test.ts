import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/gatekeeper.js');

function gk(cwd: string, args: string[]): SpawnSyncReturns<string> {
  const env = Object.fromEntries(
    Object.entries({ ...process.env, NO_COLOR: '1' }).filter(([k]) => k !== 'DATABASE_URL' && k !== 'GATEKEEPER_MASTER_KEY'),
  );
  return spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8' });
}

describe('verify, reputation and case commands', () => {
  it('registers channels, verifies callers, files a case with evidence and writes its PDF', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-cli-verify-'));
    expect(gk(dir, ['keys', 'create', '--name', '测试平台']).status).toBe(0);
    const reg = gk(dir, ['channels', 'register', '--phone', '95123', '--name', '测试平台', '--never', 'code,transfer']);
    expect(reg.status).toBe(0);
    expect(reg.stdout).toContain('"value": "95123"');
    expect(gk(dir, ['channels', 'register', '--phone', 'abc']).stderr).toContain('channels.0.value: not a valid phone');
    expect(gk(dir, ['verify', 'caller', '95123']).stdout).toContain('95123是测试平台登记的官方号码');
    expect(gk(dir, ['verify', 'caller', '95123', '--phone', '13900001111']).stdout).toContain('没有记录');
    expect(gk(dir, ['verify', 'caller', '17012345678', '--lang', 'en']).stdout).toContain('not an official number');
    const checked = gk(dir, ['check', '--registry', '--caller', '17012345678', '我是测试平台客服，退款需要您提供验证码']);
    expect(checked.stdout).toContain('不是测试平台登记的官方号码');
    writeFileSync(
      join(dir, 'case.json'),
      JSON.stringify({
        contacted_at: '2026-11-27T02:00:00Z',
        scammer: { numbers: ['17012345678'] },
        transfers: [{ at: '2026-11-27T03:00:00Z', amount_yuan: 800, method: 'wechat' }],
        narrative: '对方冒充测试平台客服让我转账保证金。',
        consent: true,
      }),
    );
    writeFileSync(join(dir, 'note.pdf'), '%PDF-1.4\n%\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    writeFileSync(join(dir, 'fake.png'), 'MZ this is not an image');
    expect(gk(dir, ['case', 'file', 'case.json', '--evidence', 'fake.png']).stderr).toContain('evidence.0');
    const filed = gk(dir, ['case', 'file', 'case.json', '--evidence', 'note.pdf']);
    expect(filed.status).toBe(0);
    const id = (JSON.parse(filed.stdout) as { id: string }).id;
    const pdf = gk(dir, ['case', 'pdf', id, '--out', join(dir, 'case.pdf')]);
    expect(pdf.status).toBe(0);
    expect(execFileSync('pdftotext', [join(dir, 'case.pdf'), '-'], { encoding: 'utf8' })).toContain(id);
    const rep = JSON.parse(gk(dir, ['reputation', 'lookup', 'phone', '170 1234 5678']).stdout) as { reports: number; level: string };
    expect(rep).toMatchObject({ reports: 1, level: 'reported' });
    expect(gk(dir, ['reputation', 'lookup', 'phone', 'nope']).stderr).toContain('value: not a valid phone');
  }, 60_000);
});
