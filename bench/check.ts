/**
 * `npm run bench -- check`: in-process throughput, single-text latency, and the whole-process batch run of
 * the installed command (`gatekeeper check --jsonl`, compiled JavaScript) over 28,000 texts, against the
 * scikit-learn peer's predict-only rate on the same texts (char n-gram TF-IDF + logistic regression) when
 * Debian's python3-sklearn is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLib } from './compiled.ts';
import { benchCorpus } from './corpus.ts';

const { check, loadModel } = checkLib;

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Texts at the 20,000-character limit built to make a pattern backtrack: runs of one class of character. */
const ADVERSARIAL: Record<string, string> = {
  'Latin letters': 'A'.repeat(20_000),
  'full-width letters': 'ａ'.repeat(20_000),
  'a URL of letters': `http://${'a'.repeat(19_990)}`,
  digits: '1'.repeat(20_000),
  'Chinese characters': '客'.repeat(20_000),
  'letter and space': 'a '.repeat(10_000),
  'speaker lines': '我：\n'.repeat(6_000),
  emoji: '😀'.repeat(10_000),
};

/** The slowest adversarial text: what one anonymous request at the limit can cost the event loop. */
function worstAdversarial(): { name: string; ms: number } {
  let worst = { name: '', ms: 0 };
  for (const [name, text] of Object.entries(ADVERSARIAL)) {
    const s = performance.now();
    check({ text });
    const ms = performance.now() - s;
    if (ms > worst.ms) worst = { name, ms };
  }
  return worst;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

/** Runs the check benchmarks and prints a markdown table. */
export function benchCheck(): void {
  loadModel();
  const texts = benchCorpus(28_000);
  const chars = texts.reduce((a, t) => a + t.length, 0);
  for (let i = 0; i < 2000; i++) check({ text: texts[i] });

  const t0 = performance.now();
  for (const text of texts) check({ text });
  const inProc = texts.length / ((performance.now() - t0) / 1000);

  const one =
    '您好，我是淘宝官方客服，您在11月9日购买的儿童羽绒服经检测甲醛超标，平台要召回并给您三倍赔偿。由于您的账户开通了百万保障，每月会自动扣费，不取消会影响征信。请您下载腾讯会议，开启屏幕共享，我指导您操作，再把收到的验证码告诉我。退款需要先在借呗申请额度转到我们的安全账户做资金核查，核查后会原路退回。请不要告诉家人，以免影响处理，十分钟内完成。如有疑问可添加客服微信kefu8823咨询，我们会全程为您服务。'.slice(
      0,
      300,
    );
  const lat = new Float64Array(20_000);
  for (let i = 0; i < lat.length; i++) {
    const s = process.hrtime.bigint();
    check({ text: one });
    lat[i] = Number(process.hrtime.bigint() - s) / 1e6;
  }
  lat.sort();
  const worst = worstAdversarial();

  const dir = mkdtempSync(join(tmpdir(), 'gk-bench-'));
  const file = join(dir, 'texts.jsonl');
  writeFileSync(file, texts.map((text, i) => JSON.stringify({ id: i, text })).join('\n') + '\n');
  const b0 = performance.now();
  const run = spawnSync('sh', ['-c', `node bin/gatekeeper.js check --jsonl < ${file} > ${join(dir, 'out.jsonl')}`], { cwd: ROOT });
  const batchS = (performance.now() - b0) / 1000;
  if (run.status !== 0) throw new Error(`batch run failed: ${run.stderr.toString()}`);
  const lines = Number(
    execFileSync('wc', ['-l', join(dir, 'out.jsonl')])
      .toString()
      .trim()
      .split(' ')[0],
  );
  const batch = texts.length / batchS;

  let peer: number | undefined;
  let peerLine = 'not measured: python3-sklearn is not installed';
  const py = '/usr/bin/python3';
  if (existsSync(py) && spawnSync(py, ['-c', 'import sklearn']).status === 0) {
    const out = spawnSync(py, [join(ROOT, 'bench/sklearn_baseline.py'), file], { encoding: 'utf8' });
    peerLine = out.status === 0 ? out.stdout.trim() : `failed: ${out.stderr.slice(0, 200)}`;
    peer = Number(/^([\d.]+) texts\/s scoring/.exec(peerLine)?.[1] ?? NaN);
  }

  const f = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
  const ratio = peer !== undefined && Number.isFinite(peer) ? `${(batch / peer).toFixed(1)}x` : 'n/a';
  console.log(`| measure | value | target |
|---|---|---|
| in-process throughput (${f(texts.length)} texts, mean ${f(chars / texts.length)} chars) | ${f(inProc)} texts/s | >= 20,000 |
| one 300-char text, p50 / p99 | ${(percentile(lat, 0.5) * 1000).toFixed(1)} us / ${(percentile(lat, 0.99) * 1000).toFixed(1)} us | p99 <= 2 ms |
| slowest adversarial 20,000-char text (${worst.name}) | ${worst.ms.toFixed(0)} ms | <= 50 ms |
| whole-process batch \`node bin/gatekeeper.js check --jsonl\` (${f(lines)} lines out) | ${batchS.toFixed(2)} s = ${f(batch)} texts/s | |
| scikit-learn peer (\`bench/sklearn_baseline.py\`, same texts, this machine) | ${peerLine} | |
| batch rate over the peer's predict-only rate | ${ratio} | >= 3x |`);
}
