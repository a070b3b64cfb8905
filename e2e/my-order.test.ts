import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptOrder, openTicket, releaseView, rotateLedgerKey } from '../src/custody/index.ts';
import { buildWorld, type World } from '../src/custody/test-world.ts';
import { verifierKey } from '../src/ledger/index.ts';
import { freshSqlite } from '../src/store/test-stores.ts';
import { issueAccessToken, orderAccess, type OrderAccess } from '../src/supervise/index.ts';
import { buildWeb, launch, phonePage, SHOTS, startServer } from './harness.ts';

/** Flips one bit of a base64 value's byte `at`. */
const flip = (b64: string, at: number): string => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[at] = (bytes[at] as number) ^ 0x01;
  return bytes.toString('base64');
};

describe('who has seen my order in Chromium', () => {
  let w: World;
  let browser: Browser;
  let server: { base: string; close: () => Promise<void> };
  let token: string;

  beforeAll(async () => {
    w = await buildWorld(await freshSqlite(), 2);
    const order = w.orderIds[0] as string;
    await releaseView(w.c, w.merchant, order);
    await releaseView(w.c, w.station, order);
    await releaseView(w.c, w.courier, order);
    await decryptOrder(
      w.c,
      w.cs,
      order,
      'complaint',
      '工单 #4471',
      (await openTicket(w.c, w.platform, { order, ticket: 'CS-4471' })).ticket,
    );
    await releaseView(w.c, w.merchant, w.orderIds[1] as string);
    token = (await issueAccessToken(w.c, w.platform, order)).token;
    server = await startServer(w.c, await buildWeb());
    browser = await launch();
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
    await w.c.close();
  });

  const rows = (page: Page) => page.locator('section.seen-row');
  const settled = async (page: Page, n: number): Promise<void> => {
    await rows(page)
      .nth(n - 1)
      .waitFor();
    await page.waitForFunction(() => document.querySelectorAll('section.seen-row[data-verified="pending"]').length === 0);
  };

  it('opens from the link, clears the token from the address bar, verifies every row, and takes a flag', async () => {
    const { page, errors, sent } = await phonePage(browser);
    await page.goto(`${server.base}/#/my-order/${token}`);
    await settled(page, 4);
    expect(page.url()).toBe(`${server.base}/#/my-order`);
    expect(await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-verified')))).toEqual(['yes', 'yes', 'yes', 'yes']);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('测试平台订单 T00000000');
    expect(text).toContain('已核验');
    expect(text).not.toContain('核验失败');
    expect(text).toContain('快递员1');
    expect(text).toContain('电话（虚拟号，转接到你的手机，不是你的真实号码）');
    expect(text).toContain('查看了你的：姓名（完整）、电话（完整）、地址（完整）');
    expect(text).toContain('客服解密查看，理由：处理投诉；依据平台');
    expect(text).toContain('为这个订单登记的工单（工单的账本记录也已核验）');
    // Merchant, station, courier and the decrypt: four records, one chain.
    expect(text).toContain('这个订单的 4 条记录首尾相连，本页已逐条核验');
    expect(await page.locator('p.chain').getAttribute('data-chain')).toBe('4');
    expect(await page.locator('[data-key="first"]').count()).toBe(1);
    expect(await page.evaluate(() => localStorage.getItem('gk-ledger-key'))).toBe(w.c.ledger.verifierKey());
    // The token went only in a POST body: never in a URL the browser requested.
    const urls = sent.map((s) => s.split(' ')[1] ?? '');
    expect(urls.some((u) => u.includes(token))).toBe(false);
    expect(sent.filter((s) => s.startsWith('POST') && s.includes(token))).toHaveLength(1);
    await page.screenshot({ path: join(SHOTS, 'my-order.png'), fullPage: true });

    const courier = rows(page).filter({ hasText: '快递员1' });
    await courier.getByRole('button', { name: '我没有和这方打过交道' }).click();
    await courier.getByText('已标记').waitFor();
    const flags = await w.c.store.db.selectFrom('order_flags').select(['party_id', 'reason']).execute();
    expect(flags).toEqual([{ party_id: w.courier.id, reason: 'never_dealt' }]);

    // A reload in the same tab still works (the token stays in this tab's storage, not in the URL).
    await page.reload();
    await settled(page, 4);
    expect(await page.locator('[data-key="same"]').count()).toBe(1);
    await page.getByRole('button', { name: 'English' }).click();
    expect((await page.locator('main').textContent()) ?? '').toContain('Verified: this row is in the ledger');
    expect(errors).toEqual([]);
  });

  it('rejects a tampered proof and a tampered leaf: those rows fail, the others still verify', async () => {
    const { page } = await phonePage(browser);
    await page.route('**/api/v1/my-order', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as OrderAccess;
      const [first, second] = body.rows as [OrderAccess['rows'][number], OrderAccess['rows'][number]];
      second.proof[0] = flip(second.proof[0] as string, 5);
      first.leaf = flip(first.leaf, 40);
      await route.fulfill({ response: res, json: body });
    });
    await page.goto(`${server.base}/#/my-order/${token}`);
    await settled(page, 4);
    expect(await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-verified')))).toEqual(['no', 'no', 'yes', 'yes']);
    expect((await rows(page).nth(1).textContent()) ?? '').toContain('核验失败：这条记录无法证明在账本里（证明链对不上账本签名的根哈希）');
    expect((await rows(page).nth(0).locator('.badge').textContent()) ?? '').toBe('核验失败');
    await page.screenshot({ path: join(SHOTS, 'my-order-tampered.png'), fullPage: true });
  });

  it('warns loudly when the ledger key differs from the one this device pinned, and fails every row against the pinned key', async () => {
    const { page } = await phonePage(browser);
    await page.goto(`${server.base}/#/check`);
    // This device also remembers the order's latest record, which nothing can be checked against under the old key.
    const order = w.orderIds[0] as string;
    const ref = (await w.c.store.db.selectFrom('orders').select('ref').where('id', '=', order).executeTakeFirstOrThrow()).ref;
    const memory = JSON.stringify({ ref, latest: (await orderAccess(w.c, order)).chain.head });
    await page.evaluate(
      ([k, m]) => {
        localStorage.setItem('gk-ledger-key', k as string);
        localStorage.setItem('gk-order-no:T00000000', m as string);
      },
      [verifierKey('gatekeeper.local/ledger', generateKeyPairSync('ed25519').publicKey), memory],
    );
    await page.goto(`${server.base}/#/my-order/${token}`);
    await settled(page, 4);
    expect((await page.getByRole('alert').first().textContent()) ?? '').toContain('账本密钥变了');
    expect(await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-verified')))).toEqual(['no', 'no', 'no', 'no']);
    expect(await page.locator('[data-chain="rolled-back"]').count()).toBe(1);
    await page.getByRole('button', { name: '我已核对平台公布的新密钥，改用新密钥' }).click();
    await page.waitForFunction(() => document.querySelectorAll('section.seen-row[data-verified="yes"]').length === 4);
    // Checked again under the accepted key, the chain holds the remembered record: the warning goes.
    expect(await page.locator('[data-chain="rolled-back"]').count()).toBe(0);
  });

  it('warns when the ledger is older than the one this device saw last, and remembers a newer one', async () => {
    const { page } = await phonePage(browser);
    await page.goto(`${server.base}/#/check`);
    await page.evaluate(() => {
      localStorage.setItem('gk-ledger-tree', JSON.stringify({ size: 1_000_000, root: 'AAAA' }));
    });
    await page.goto(`${server.base}/#/my-order/${token}`);
    await settled(page, 4);
    expect((await page.locator('[data-tree="rolled-back"]').textContent()) ?? '').toContain('上次 1000000 条');
    const fresh = await phonePage(browser);
    await fresh.page.goto(`${server.base}/#/my-order/${token}`);
    await settled(fresh.page, 4);
    expect(await fresh.page.locator('[data-tree="rolled-back"]').count()).toBe(0);
    const stored = (): Promise<number | undefined> =>
      fresh.page.evaluate(() => (JSON.parse(localStorage.getItem('gk-ledger-tree') ?? 'null') as { size: number } | null)?.size);
    const first = await stored();
    expect(first).toBeGreaterThan(0);
    // The log grows; the next visit proves it grew from the tree this device kept (a consistency proof).
    await releaseView(w.c, w.station, w.orderIds[1] as string);
    await fresh.page.reload();
    await settled(fresh.page, 4);
    await fresh.page.waitForFunction(
      (n) => (JSON.parse(localStorage.getItem('gk-ledger-tree') ?? 'null') as { size: number }).size > n,
      first ?? 0,
    );
    expect(await fresh.page.locator('[data-tree="rolled-back"]').count()).toBe(0);
  });

  it('remembers the order’s latest record and warns when a later answer lacks it or is about another order', async () => {
    const { page } = await phonePage(browser);
    await page.goto(`${server.base}/#/my-order/${token}`);
    await settled(page, 4);
    await page.locator('p.chain').waitFor();
    const memory = (): Promise<[string, string][]> =>
      page.evaluate(() =>
        Object.keys(localStorage)
          .filter((k) => k.startsWith('gk-order-no:'))
          .map((k): [string, string] => [k, localStorage.getItem(k) ?? '']),
      );
    const [[key, value] = ['', '']] = await memory();
    expect(key).toBe('gk-order-no:T00000000');
    const saw = JSON.parse(value) as { ref: string; latest: number };
    expect(await page.locator('[data-chain="rolled-back"]').count()).toBe(0);
    // This device saw a later record that the answer no longer holds, then an answer about another order.
    for (const remembered of [
      { ...saw, latest: saw.latest + 1_000 },
      { ...saw, ref: 'another-order' },
    ]) {
      await page.evaluate(
        ([k, v]) => {
          localStorage.setItem(k as string, v as string);
        },
        [key, JSON.stringify(remembered)],
      );
      await page.reload();
      await settled(page, 4);
      await page.locator('[data-chain="rolled-back"]').waitFor();
      expect(await page.locator('[data-chain="rolled-back"]').textContent()).toContain('这台设备上次看到的最新一条记录');
    }
  });

  it('remembers the latest record under the order’s ledger reference too, so a look-alike order number does not hide it', async () => {
    const { page } = await phonePage(browser);
    await page.goto(`${server.base}/#/my-order/${token}`);
    await settled(page, 4);
    await page.locator('p.chain').waitFor();
    const memory = (): Promise<Record<string, string>> =>
      page.evaluate(() =>
        Object.fromEntries(
          Object.keys(localStorage)
            .filter((k) => k.startsWith('gk-order-'))
            .map((k) => [k, localStorage.getItem(k) ?? '']),
        ),
      );
    const before = await memory();
    const header = JSON.parse(before['gk-order-no:T00000000'] ?? '{}') as { ref: string; latest: number };
    expect(before[`gk-order-ref:${header.ref}`]).toBe(JSON.stringify({ latest: header.latest }));
    // A lying server hides the decrypt (its chain consistent, ending at the record before it) and shows the
    // order number with a Cyrillic letter, so the header gives another key.
    await page.route('**/api/v1/my-order', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as OrderAccess;
      const decrypt = body.rows.find((r) => 'decrypt' in r.why);
      const prev = (JSON.parse(Buffer.from(decrypt?.leaf ?? '', 'base64').toString()) as { prev: number }).prev;
      body.rows = body.rows.filter((r) => r !== decrypt);
      body.chain.head = prev;
      body.order.platform_order_id = '\u0422' + body.order.platform_order_id.slice(1);
      await route.fulfill({ response: res, json: body });
    });
    await page.reload();
    await settled(page, 3);
    await page.locator('[data-chain="rolled-back"]').waitFor();
    expect(await page.locator('[data-order-no="odd"]').count()).toBe(1);
    expect(await page.locator('p.chain').getAttribute('data-chain')).toBe('3');
    // Nothing is remembered under the look-alike number, and the remembered record is not lowered.
    expect(await memory()).toEqual(before);
  });

  it('warns when another order’s records come under a look-alike of this order’s platform and number', async () => {
    const { page } = await phonePage(browser);
    await page.goto(`${server.base}/#/my-order/${token}`);
    await settled(page, 4);
    await page.locator('p.chain').waitFor();
    const other = (await issueAccessToken(w.c, w.platform, w.orderIds[1] as string)).token;
    // The lying server answers with order 1's real, verifiable records (with the consistency proof the page
    // asked for), under this order's header written with a traditional-character platform name and an O for a 0.
    await page.route('**/api/v1/my-order', async (route) => {
      const mine = (await (await route.fetch()).json()) as OrderAccess;
      const seen = (route.request().postDataJSON() as { seen_size?: number }).seen_size;
      const res = await fetch(`${server.base}/api/v1/my-order`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(seen === undefined ? { token: other } : { token: other, seen_size: seen }),
      });
      const body = (await res.json()) as OrderAccess;
      body.order = { ...mine.order, platform: '測試平台', platform_order_id: 'T0000000O' };
      await route.fulfill({ json: body });
    });
    await page.reload();
    await settled(page, 1);
    await page.locator('[data-chain="rolled-back"]').waitFor();
    // Every row verifies: only the memory tells this answer is about another order.
    expect(new Set(await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-verified'))))).toEqual(new Set(['yes']));
    expect(await page.locator('[data-order-no="odd"]').count()).toBe(0);
  });

  it('shows nothing of an answer whose order number is not text, which would render alike', async () => {
    const { page } = await phonePage(browser);
    await page.route('**/api/v1/my-order', async (route) => {
      const body = (await (await route.fetch()).json()) as OrderAccess;
      (body.order as unknown as { platform_order_id: unknown }).platform_order_id = [body.order.platform_order_id];
      await route.fulfill({ json: body });
    });
    await page.goto(`${server.base}/#/my-order/${token}`);
    await page.locator('[role="alert"]').waitFor();
    expect(await rows(page).count()).toBe(0);
  });

  it('reads a party kind the server sent only from its own table, and takes a second link opened in the same tab', async () => {
    const { page, errors } = await phonePage(browser);
    await page.route('**/api/v1/my-order', async (route) => {
      const body = (await (await route.fetch()).json()) as OrderAccess;
      for (const r of body.rows) if (r.party.kind === 'courier') r.party.kind = '__proto__';
      await route.fulfill({ json: body });
    });
    await page.goto(`${server.base}/#/my-order/${token}`);
    await settled(page, 4);
    expect(await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-verified')))).toEqual(['yes', 'yes', 'yes', 'yes']);
    expect(errors).toEqual([]);
    await page.unroute('**/api/v1/my-order');
    const other = (await issueAccessToken(w.c, w.platform, w.orderIds[1] as string)).token;
    await page.evaluate((t) => {
      location.hash = `#/my-order/${t}`;
    }, other);
    await page.waitForFunction(() => (document.querySelector('main')?.textContent ?? '').includes('T00000001'));
    expect(page.url()).toBe(`${server.base}/#/my-order`);
  });

  it('says a wrong or missing token is not valid', async () => {
    const { page } = await phonePage(browser);
    await page.goto(`${server.base}/#/my-order/gko_${'A'.repeat(43)}`);
    await page.getByText('链接无效或已过期').waitFor();
    const bare = await phonePage(browser);
    await bare.page.goto(`${server.base}/#/my-order`);
    await bare.page.getByText('链接无效：请从平台 App').waitFor();
  });

  it('follows a handover of the ledger key signed by the key this device pinned: no warning, every row verifies, the new key is pinned', async () => {
    const old = w.c.ledger.verifierKey();
    const { vkey } = await rotateLedgerKey(w.c, 'test');
    const { page } = await phonePage(browser);
    await page.goto(`${server.base}/#/check`);
    await page.evaluate((k) => {
      localStorage.setItem('gk-ledger-key', k);
    }, old);
    await page.goto(`${server.base}/#/my-order/${token}`);
    await settled(page, 4);
    expect(await page.locator('[data-key="changed"]').count()).toBe(0);
    expect((await page.locator('[data-key="handedOver"]').textContent()) ?? '').toContain('亲自签名交接给了新密钥');
    expect(await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-verified')))).toEqual(['yes', 'yes', 'yes', 'yes']);
    expect(await page.evaluate(() => localStorage.getItem('gk-ledger-key'))).toBe(vkey);
  });
});
