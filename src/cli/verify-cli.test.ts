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
  });

  it('files contacts with --agent and --at, once however often it runs, naming the file line of a bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-cli-contacts-'));
    expect(gk(dir, ['keys', 'create', '--name', '测试平台']).status).toBe(0);
    const platform = gk(dir, ['parties', 'list', '--kind', 'platform', '--format', 'id']).stdout.trim();
    const agent = gk(dir, [
      'parties',
      'create',
      '--kind',
      'cs_agent',
      '--name',
      '客服一号',
      '--parent',
      platform,
      '--format',
      'id',
    ]).stdout.trim();
    expect(gk(dir, ['channels', 'register', '--phone', '95123']).status).toBe(0);
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const line = (x: Record<string, unknown>): string =>
      JSON.stringify({ consumer_phone: '13900000001', channel: 'call', number_used: '95123', reason: 'logistics', ...x });
    writeFileSync(join(dir, 'contacts.jsonl'), `${line({})}\n\n${line({ reason: 'survey', agent_id: agent, at })}\n`);
    const args = ['contacts', 'record', 'contacts.jsonl', '--agent', agent, '--at', at];
    const first = gk(dir, args);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ added: 2 });
    expect(JSON.parse(gk(dir, args).stdout)).toMatchObject({ added: 0 });
    expect(gk(dir, ['verify', 'caller', '95123', '--phone', '13900000001']).stdout).toContain('是的');
    writeFileSync(join(dir, 'bad.jsonl'), `${line({})}\n\n${line({ reason: 'lottery' })}\n`);
    const bad = gk(dir, ['contacts', 'record', 'bad.jsonl', '--agent', agent, '--at', at]);
    expect([bad.status, bad.stderr]).toEqual([1, expect.stringMatching(/^gatekeeper: line 3: reason: /)]);
    writeFileSync(join(dir, 'notjson.jsonl'), `${line({})}\n{"channel":\n`);
    expect(gk(dir, ['contacts', 'record', 'notjson.jsonl']).stderr).toBe('gatekeeper: line 2 is not JSON\n');
    const noAgent = gk(dir, ['contacts', 'record', 'contacts.jsonl', '--at', at]);
    expect(noAgent.stderr).toMatch(/^gatekeeper: line 1: agent_id: /);
    expect(gk(dir, ['contacts', 'record', 'missing.jsonl']).stderr).toBe('gatekeeper: missing.jsonl: no such file\n');
  });

  it('prints the case number alone with case file --format id, and names a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-cli-case-'));
    writeFileSync(
      join(dir, 'case.json'),
      JSON.stringify({ contacted_at: '2026-11-27T02:00:00Z', narrative: '对方冒充客服让我转账保证金。', consent: true }),
    );
    const filed = gk(dir, ['case', 'file', 'case.json', '--format', 'id']);
    expect(filed.status, filed.stderr).toBe(0);
    expect(filed.stdout).toMatch(/^GK\d{8}-[0-9A-Z]{6}\n$/);
    expect(gk(dir, ['case', 'show', filed.stdout.trim()]).status).toBe(0);
    expect(gk(dir, ['case', 'file', 'nope.json']).stderr).toBe('gatekeeper: nope.json: no such file\n');
    writeFileSync(join(dir, 'broken.json'), '{"narrative":');
    expect(gk(dir, ['case', 'file', 'broken.json']).stderr).toMatch(/^gatekeeper: broken.json is not valid JSON/);
    expect(gk(dir, ['trace', 'dump', 'nope.csv']).stderr).toBe('gatekeeper: nope.csv: no such file\n');
  });
});
