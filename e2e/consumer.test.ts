import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../src/custody/test-world.ts';
import { freshSqlite } from '../src/store/test-stores.ts';
import { recordContacts, register } from '../src/verify/index.ts';
import { buildWeb, launch, phonePage, SHOTS, startServer } from './harness.ts';

/** The consumer of the world's first order (see sampleOrder). */
const CONSUMER = '13900000000';
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4ea0000000049454e44ae426082',
  'hex',
);

describe('consumer pages in Chromium', () => {
  let w: World;
  let browser: Browser;
  let server: { base: string; close: () => Promise<void> };
  let web: string;

  beforeAll(async () => {
    w = await buildWorld(await freshSqlite(), 2);
    await register(w.c, w.platform, {
      channels: [
        { kind: 'phone', value: '95123', label: '官方客服热线' },
        { kind: 'name', value: '测试平台' },
      ],
      never: ['code', 'card', 'transfer', 'screen', 'loan', 'off_platform'],
    });
    await recordContacts(w.c, w.platform, [
      {
        agent_id: w.cs.id,
        platform_order_id: 'T00000000',
        channel: 'call',
        number_used: '95123',
        at: new Date(Date.now() - 3_600_000).toISOString(),
        reason: 'logistics',
        agent_label: '工号1024',
      },
    ]);
    web = await buildWeb();
    server = await startServer(w.c, web);
    browser = await launch();
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
    await w.c.close();
  });

  it('ships the consumer pages in under 100 kB of JavaScript (gzip)', () => {
    const html = readFileSync(join(web, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThan(0);
    const bytes = scripts.reduce((sum, f) => sum + gzipSync(readFileSync(join(web, f))).length, 0);
    expect(bytes).toBeLessThan(100 * 1024);
  });

  it('checks a scam text: high risk, spans marked, advice names the asks and 110/96110', async () => {
    const { page, errors } = await phonePage(browser);
    await page.goto(server.base);
    await page
      .getByLabel('短信、聊天记录或通话内容')
      .fill('您好，我是测试平台客服，您买的羽绒服有质量问题，给您三倍赔偿，请把收到的验证码告诉我。');
    await page.getByLabel('来电或发送号码').fill('17012345678');
    await page.getByRole('button', { name: '检测' }).click();
    const verdict = page.locator('section.verdict');
    await verdict.waitFor();
    expect(await verdict.locator('.badge').textContent()).toBe('高风险');
    expect(await verdict.locator('mark').count()).toBeGreaterThan(2);
    const text = (await verdict.textContent()) ?? '';
    expect(text).toContain('不是测试平台登记的官方号码');
    expect(text).toContain('96110');
    await page.screenshot({ path: join(SHOTS, 'check.png'), fullPage: true });
    await page.getByRole('link', { name: '核验这个号码是不是官方的' }).click();
    expect(await page.getByLabel('打给你的号码').inputValue()).toBe('17012345678');
    expect(page.url()).not.toContain('17012345678');
    await page.getByRole('link', { name: '检测' }).click();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('SMS, chat or call transcript').fill('Hello, this is 测试平台 customer service: 给您三倍赔偿, 请把验证码告诉我');
    await page.getByRole('button', { name: 'Check' }).click();
    await page.locator('section.verdict .badge', { hasText: 'High risk' }).waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    expect(errors).toEqual([]);
  });

  it('verifies a caller without sending the consumer’s number: confirmed, then a stranger', async () => {
    const { page, errors, sent } = await phonePage(browser);
    await page.goto(`${server.base}/#/verify`);
    await page.getByLabel('打给你的号码').fill('95123');
    await page.getByLabel('你的手机号').fill(CONSUMER);
    await page.getByRole('button', { name: '核验' }).click();
    await page.locator('section[data-status="confirmed"]').waitFor();
    expect(await page.locator('section.verdict').textContent()).toContain('工号1024');
    await page.screenshot({ path: join(SHOTS, 'verify.png'), fullPage: true });
    await page.getByLabel('打给你的号码').fill('17012345678');
    await page.getByRole('button', { name: '核验' }).click();
    await page.locator('section[data-status="not_official"]').waitFor();
    await page.getByRole('button', { name: '举报这个号码' }).click();
    await page.getByRole('status').filter({ hasText: '已记录你的举报' }).waitFor();
    expect(sent.filter((s) => s.includes('/api/')).join('\n')).not.toContain(CONSUMER.slice(3));
    expect(sent.some((s) => s.includes('/api/v1/verify/contacts'))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('files a report with evidence through the guided form and downloads the PDF', async () => {
    const { page, errors } = await phonePage(browser);
    await page.goto(`${server.base}/#/report`);
    await page.getByLabel('对方自称').fill('测试平台客服');
    await page.getByLabel('对方第一次联系你的时间').fill('2026-11-25T10:10');
    await page.getByLabel('经过（至少10个字）').fill('对方冒充测试平台客服，说羽绒服有质量问题可以三倍赔偿，让我共享屏幕后转账。');
    await page.getByLabel('对方用过的电话号码').fill('17012345678');
    await page.getByRole('button', { name: '添加对方的账户' }).click();
    const acct = page.getByRole('group', { name: '账户 1' });
    await acct.getByLabel('账户类型').selectOption('qq');
    await acct.getByLabel('对方的账号').fill('88886666');
    await page.getByRole('button', { name: '添加一个时间点' }).click();
    const moment = page.getByRole('group', { name: '事件 1' });
    await moment.getByLabel('时间').fill('2026-11-25T10:20');
    await moment.getByLabel('发生了什么').fill('对方让我下载会议软件并共享屏幕');
    await page.getByRole('button', { name: '添加一笔转账' }).click();
    const row = page.getByRole('group', { name: '转账 1' });
    await row.getByLabel('时间').fill('2026-11-25T10:40');
    await row.getByLabel('金额（元）').fill('4999.5');
    await row.getByLabel('收款账号').fill('6222021234567890123');
    await page.getByLabel('截图、录音或PDF').setInputFiles({ name: '转账截图.png', mimeType: 'image/png', buffer: PNG });
    await page.getByLabel('手机号', { exact: true }).fill(CONSUMER);
    await page.getByLabel('我同意').check();
    await page.screenshot({ path: join(SHOTS, 'report-form.png'), fullPage: true });
    await page.getByRole('button', { name: '提交报案' }).click();
    const done = page.locator('section[data-case]');
    await done.waitFor();
    const id = await done.getAttribute('data-case');
    expect(id).toMatch(/^GK\d{8}-[0-9A-Z]{6}$/);
    await page.screenshot({ path: join(SHOTS, 'report-done.png'), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载报案材料（PDF）' }).click(),
    ]);
    const file = join(SHOTS, 'report-case.pdf');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const pdfText = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    for (const x of ['88886666', '对方让我下载会议软件并共享屏幕', '6222021234567890123', '转账截图.png']) expect(pdfText).toContain(x);
    const stored = await w.c.store.db.selectFrom('evidence').select(['mime', 'size']).execute();
    expect(stored).toEqual([{ mime: 'image/png', size: PNG.length }]);
    expect(errors).toEqual([]);
  });
});
