import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodyOn, type Custody } from '../src/custody/index.ts';
import { runStory, SMALL_WORLD, type StoryResult } from '../src/sim/index.ts';
import { freshSqlite } from '../src/store/test-stores.ts';
import { gb18030 } from '../src/trace/test-encode.ts';
import { openAppeal } from '../src/verify/index.ts';
import { buildWeb, desktopPage, launch, SHOTS, startServer } from './harness.ts';

describe('the console in Chromium, on the demo story', () => {
  let c: Custody;
  let story: StoryResult;
  let browser: Browser;
  let server: { base: string; close: () => Promise<void> };
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    c = await custodyOn(await freshSqlite(), randomBytes(32));
    story = await runStory(c, { ...SMALL_WORLD, orders: 800 });
    await openAppeal(c, 'bank_card', '6217005550009876543', '这张卡是我本人的工资卡，从未借给别人', '联系电话见身份证明');
    server = await startServer(c, await buildWeb());
    browser = await launch();
    page = await desktopPage(browser);
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
    await c.close();
  });

  it('refuses a wrong key and signs in with the regulator’s', async () => {
    await page.goto(`${server.base}/console.html`);
    await page.getByLabel('API 密钥').fill('gk_000000000000_wrongwrongwrongwrongwrongwrongwrongwrong123');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: '密钥无效' }).waitFor();
    await page.getByLabel('API 密钥').fill(story.keys.regulator);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('当前身份').waitFor();
    expect(page.url()).not.toContain(story.keys.regulator);
    // The browser logs the deliberate 401 above as a console error; only what follows must be clean.
    expect(errors).toEqual(['Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
    errors.length = 0;
  });

  it('shows the ledger verified and draws the three charts', async () => {
    const status = page.getByTestId('ledger-status');
    await status.getByText('校验通过').waitFor();
    await page.locator('.chart canvas').nth(2).waitFor();
    expect(await page.locator('.chart canvas').count()).toBe(3);
    await page.screenshot({ path: join(SHOTS, 'console-overview.png'), fullPage: true });
  });

  it('lists cases, opens one, downloads its PDF and traces from it', async () => {
    await page.getByRole('link', { name: '案件' }).click();
    const rows = page.locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(story.cases.length);
    await rows.first().getByRole('button', { name: '查看' }).click();
    const detail = page.getByTestId('case-detail');
    await detail.waitFor();
    const [pdf] = await Promise.all([page.waitForEvent('download'), detail.getByRole('button', { name: '下载 PDF' }).click()]);
    const file = join(SHOTS, 'console-case.pdf');
    await pdf.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    await detail.getByLabel('状态').selectOption('accepted');
    await rows.first().getByText('已立案').waitFor();
    await detail.getByRole('button', { name: '从本案溯源' }).click();
    await page.getByTestId('case-trace').waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-cases.png'), fullPage: true });
  });

  it('decides an appeal', async () => {
    await page.getByRole('link', { name: '信誉与申诉' }).click();
    const appeal = page.locator('[data-appeal]').first();
    await appeal.getByText('这张卡是我本人的工资卡').waitFor();
    await appeal.getByLabel('裁决说明').fill('多名受害人转账至该卡，驳回');
    await appeal.getByRole('button', { name: '驳回' }).click();
    await appeal.getByText('多名受害人转账至该卡，驳回').waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-reputation.png'), fullPage: true });
  });

  it('investigates the leaked dump: names the station with its bound and proofs, and gives the evidence PDF', async () => {
    await page.getByRole('link', { name: '溯源调查' }).click();
    await page.getByLabel('泄露数据').fill(story.dump.map((r) => JSON.stringify(r)).join('\n'));
    await page.getByRole('button', { name: '开始调查' }).click();
    const inv = page.getByTestId('investigation');
    await inv.waitFor();
    expect(await inv.locator('.accused h3').first().textContent()).toContain(story.station.name);
    expect(await inv.textContent()).toContain('误认无辜方概率上界');
    const [pdf] = await Promise.all([page.waitForEvent('download'), inv.getByRole('button', { name: '下载 PDF' }).click()]);
    const file = join(SHOTS, 'console-evidence.pdf');
    await pdf.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    await page.screenshot({ path: join(SHOTS, 'console-investigate.png'), fullPage: true });
    await page.getByRole('link', { name: '参与方' }).click();
    await page.locator('tbody tr').first().waitFor();
    const leaker = page.locator('tbody tr', { hasText: story.station.name });
    await leaker.getByRole('button', { name: '访问记录' }).click();
    const log = page.getByTestId('access-log');
    await log.getByText('领取视图').first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-parties.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
  it('sends a GBK file chosen in the browser as bytes and shows how it was read and mapped, warning when nothing maps', async () => {
    await page.getByRole('link', { name: '溯源调查' }).click();
    const cell = (v: string | undefined): string => `"${(v ?? '').replaceAll('"', '""')}"`;
    const rows = story.dump.map((r) => [r.name, r.address, r.phone, r.time, r.item].map(cell).join(','));
    const csv = ['收货人姓名,收货地址,联系手机,下单时间,宝贝标题', ...rows].join('\r\n');
    await page.locator('#dump-file').setInputFiles({ name: '淘宝导出.csv', mimeType: 'text/csv', buffer: gb18030(csv) });
    await page.getByRole('button', { name: '开始调查' }).click();
    const report = page.getByTestId('mapping-report');
    await report.getByText('读取：gb18030').waitFor();
    expect(await report.textContent()).toContain('收货地址 → address');
    expect(await page.getByTestId('investigation').locator('.accused h3').first().textContent()).toContain(story.station.name);
    await page.screenshot({ path: join(SHOTS, 'console-investigate-file.png'), fullPage: true });

    await page
      .locator('#dump-file')
      .setInputFiles({ name: 'none.csv', mimeType: 'text/csv', buffer: gb18030('详细地址,收件人\r\n杭州市西湖区无此路1号,王*\r\n') });
    await page.getByRole('button', { name: '开始调查' }).click();
    await page.getByRole('alert').filter({ hasText: '没有任何记录对应到订单' }).waitFor();
    expect(await report.textContent()).toContain('地址与任何订单都不符: 1');
    expect(errors).toEqual([]);
  });
});
