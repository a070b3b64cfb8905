import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createParties, decryptOrder, ingestOrders, releaseView, type Party } from '../src/custody/index.ts';
import { buildWorld, sampleOrder, type World } from '../src/custody/test-world.ts';
import { freshSqlite } from '../src/store/test-stores.ts';
import { addHook, sweepAlerts } from '../src/supervise/index.ts';
import { addPeerShop, ticketedDecrypts } from '../src/supervise/test-shop.ts';
import { buildWeb, desktopPage, launch, SHOTS, startServer } from './harness.ts';

describe('the console’s accountability tab in Chromium', () => {
  let w: World;
  let cs2: Party;
  let key: string;
  let browser: Browser;
  let server: { base: string; close: () => Promise<void> };
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    w = await buildWorld(await freshSqlite(), 0);
    [cs2] = (await createParties(w.c, { operator: 'test' }, [{ kind: 'cs_agent', name: '客服2', parent_id: w.platform.id }])) as [Party];
    const now = Date.now();
    const placed = await ingestOrders(
      w.c,
      w.platform,
      Array.from({ length: 20 }, (_, i) => ({
        ...sampleOrder(w, i),
        ordered_at: new Date(now - 3_600_000).toISOString(),
        paid_at: new Date(now - 3_500_000).toISOString(),
      })),
    );
    const orders = placed.map((r) => ('id' in r ? r.id : ''));
    await addPeerShop(w, 20, now - 3_600_000);
    for (const o of orders.slice(0, 8)) await releaseView(w.c, w.staff, o);
    for (let k = 0; k < 3; k++) for (const o of orders) await releaseView(w.c, w.staff2, o);
    // Each of agent 1's decrypts names a ticket the platform registered for the order.
    await ticketedDecrypts(w, orders.slice(0, 3), '工单 #9');
    for (const o of orders.slice(3, 8)) await decryptOrder(w.c, cs2, o, 'refund');
    key = (await createApiKey(w.c, { operator: 'test' }, w.platform.id)).key;
    // A webhook whose alerts are filed but not yet sent: the feed lists them as pending.
    await addHook(w.c, w.platform, { url: 'https://alerts.example.invalid/hook', threshold: 3 });
    await sweepAlerts(w.c);
    server = await startServer(w.c, await buildWeb());
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
    await w.c.close();
  });

  it('lists the leads with their reasons under the notice, in Chinese first', async () => {
    await page.goto(`${server.base}/console.html`);
    await page.getByLabel('API 密钥').fill(key);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('link', { name: '问责' }).click();
    await page.getByTestId('leads-notice').getByText('不是指控').waitFor();
    const rows = page.getByTestId('leads').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    await page.getByText('5 次解密没有平台登记的工单').waitFor();
    await page.getByText('店员2').first().waitFor();
    const alerts = page.getByTestId('alerts');
    await alerts.getByText('线索达到门槛').first().waitFor();
    expect(await alerts.locator('tbody tr').count()).toBe(2);
    await alerts.getByText('未送达（已尝试 0 次）').first().waitFor();
    expect(errors).toEqual([]);
  });

  it('draws a party by day and by hour and downloads its PDF', async () => {
    const row = page.getByTestId('leads').locator('tbody tr').filter({ hasText: '店员2' });
    await row.getByRole('button', { name: '查看' }).click();
    const profile = page.getByTestId('party-profile');
    await profile.locator('.chart canvas').nth(1).waitFor();
    expect(await profile.locator('.chart canvas').count()).toBe(2);
    await profile.getByText('查看 60 次').waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-accountability.png'), fullPage: true });
    const [pdf] = await Promise.all([page.waitForEvent('download'), profile.getByRole('button', { name: '下载 PDF' }).click()]);
    const file = join(SHOTS, 'accountability.pdf');
    await pdf.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    expect(errors).toEqual([]);
  });

  it('switches to English', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('leads-notice').getByText('leads, not accusations').waitFor();
    await page.getByText('5 of 5 decrypts without a registered ticket').waitFor();
    expect(errors).toEqual([]);
  });
});
