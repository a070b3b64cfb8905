/** Browser-test harness: the web pages built fresh, a real server on a real store, and Debian's Chromium. */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { createApp } from '../src/server/index.ts';
import type { Custody } from '../src/custody/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Screenshots and downloads of the browser tests. */
export const SHOTS = join(ROOT, 'test-output', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Playwright's own limit on a launch, a navigation or a wait: it ends only a hang, since a busy machine may be slow.
const HUNG_MS = 300_000;

/** Builds the pages into a fresh directory, so the test sees the code as it is now. */
export async function buildWeb(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'gk-web-'));
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

/** A listening server on `custody`, serving the built pages. */
export async function startServer(custody: Custody, webRoot: string): Promise<{ base: string; close: () => Promise<void> }> {
  const app = createApp({ custody, webRoot });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
      resolve(s);
    });
  });
  return {
    base: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    close: () =>
      new Promise<void>((r) =>
        server.close(() => {
          r();
        }),
      ),
  };
}

/** Launches Debian's Chromium headless, with the flags this machine's closed network needs. */
export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (bash .ci/run does) or set CHROMIUM_PATH`);
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: HUNG_MS,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A desktop-sized page for the console. */
export async function desktopPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  ctx.setDefaultTimeout(HUNG_MS);
  return ctx.newPage();
}

/** A phone-sized page that records console errors and page errors, and every request body it sends. */
export async function phonePage(browser: Browser): Promise<{ page: Page; errors: string[]; sent: string[] }> {
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  ctx.setDefaultTimeout(HUNG_MS);
  const page = await ctx.newPage();
  const errors: string[] = [];
  const sent: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => sent.push(`${r.method()} ${r.url()} ${r.postData() ?? ''}`));
  return { page, errors, sent };
}
