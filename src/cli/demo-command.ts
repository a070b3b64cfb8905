/** `gatekeeper demo`: tells the whole story in the terminal, through the real paths, into the store `npm start` then serves. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MultiBar, type SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { verifyLedger } from '../ledger/index.ts';
import { runStory, SMALL_WORLD } from '../sim/index.ts';
import { accessLink, issueAccessToken, TOKEN_MINUTES } from '../supervise/index.ts';
import { withCustody } from './custody-commands.ts';

const positive = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number');
  return n;
};

const STAGES: Record<string, string> = {
  world: '1 建立模拟世界 world   ',
  views: '2 各方领取视图 views   ',
  registry: '3 登记官方渠道 registry',
  leak: '4 驿站泄露数据 leak    ',
  calls: '5 骗子来电 scam calls  ',
  trace: '6 溯源 trace           ',
};

/** Progress bars on stderr when it is a terminal, one per stage. */
function bars(): { tick: (stage: string, done: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { tick: () => undefined, stop: () => undefined };
  const multi = new MultiBar({
    format: ' {stage} [{bar}] {value}/{total}',
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: false,
  });
  const open = new Map<string, SingleBar>();
  return {
    tick: (stage, done, total) => {
      let b = open.get(stage);
      if (!b) open.set(stage, (b = multi.create(total, 0, { stage: STAGES[stage] ?? stage })));
      b.setTotal(total);
      b.update(done);
    },
    stop: () => {
      multi.stop();
    },
  };
}

/** Where the demo writes the evidence report: beside the default store. */
const PDF = join('data', 'demo-evidence-report.pdf');

/** Adds the demo command. */
export function addDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'the story end to end: a world is built, a station leaks, scammers call, victims check and report, trace names the station',
    )
    .option('--orders <n>', 'orders to place', positive, SMALL_WORLD.orders)
    .option('--seed <n>', 'world seed (the same seed places the same orders with the same routing)', positive, SMALL_WORLD.seed)
    .action(async (o: { orders: number; seed: number }) => {
      await withCustody(async (c) => {
        const out = (s: string): void => {
          process.stdout.write(`${s}\n`);
        };
        out(`守门人演示 · Gatekeeper demo (seed ${String(o.seed)}, ${String(o.orders)} orders)`);
        const t0 = performance.now();
        const b = bars();
        const r = await runStory(c, { ...SMALL_WORLD, orders: o.orders, seed: o.seed }, b.tick).finally(b.stop);
        const secs = ((performance.now() - t0) / 1000).toFixed(1);
        const kinds = [...r.world.byKind].map(([k, v]) => `${k} ${String(v.length)}`).join(' · ');
        out(`1. 模拟世界 world: ${String(r.world.orders.length)} sealed orders; parties ${kinds}`);
        out('2. 各方按角色领取带指纹的视图（别名、虚拟号、Tardos 变体），每次领取都写入账本');
        out(`3. 平台登记官方号码 ${r.officialNumber}、域名和"从不做"清单，并记录了 20 次真实外呼`);
        out(`4. ${r.station.name} 泄露了它的派件清单：骗子手里有 ${String(r.leaked)} 条记录（含 200 条别处来的数据）`);
        out(
          `5. 骗子冒充客服打了 ${String(r.calls.total)} 个电话；受害人检测，${String(r.calls.flagged)} 个被判为有风险；${String(r.cases.length)} 人报案`,
        );
        for (const a of r.investigation.accused)
          out(`6. 溯源认定 accused: ${a.name} (${a.kind}, ${a.channel})，误认无辜方概率上界 ≤ 10^${a.log10Bound.toFixed(1)}`);
        if (r.investigation.accused.length === 0) out('6. 溯源：没有参与方达到认定阈值');
        mkdirSync(dirname(PDF), { recursive: true });
        writeFileSync(PDF, r.evidencePdf);
        out(`   证据报告 evidence report: ${PDF}`);
        const report = await verifyLedger(c.store, c.ledger.firstVerifierKey());
        out(`7. 账本 ledger: ${String(c.ledger.size)} entries; verify ${report.ok ? 'OK' : 'FAILED'} (${secs} s)`);
        out('');
        // The server reads the same PORT, so the links point where `npm start` will listen.
        const base = `http://localhost:${process.env.PORT ?? '8080'}`;
        out('Now `npm start`, then open:');
        out(
          `  ${base}/#/verify    try caller ${r.verifyExample.caller} with phone ${r.verifyExample.consumer} (a real call), or any other number`,
        );
        // A consumer whose order the station leaked: the platform's link to who has seen it.
        const leakedOrder = r.world.orders.find((x) => x.station === r.station.id);
        if (leakedOrder) {
          const link = await issueAccessToken(c, r.world.platform, leakedOrder.id, TOKEN_MINUTES.max);
          out(`  ${accessLink(base, link.token)}   who has seen order ${leakedOrder.platformOrderId} (7 days)`);
        }
        out(`  ${base}/console.html   sign in with a key below (shown once):`);
        out(`    regulator  ${r.keys.regulator}`);
        out(`    platform   ${r.keys.admin}`);
        if (!report.ok) process.exitCode = 2;
      });
    });
}
