/** The benchmark corpus: TeleAntiFraud dialogues and synthetic SMS, mixed half and half, deterministic. */
import { dataRequired, loadTeleAntiFraud, missingShared } from '../src/check/train/dataset.ts';
import { syntheticExamples } from '../src/check/train/synthetic.ts';

/**
 * `n` texts, alternating a dialogue and an SMS-like text. Without ../shared the dialogues are replaced by
 * synthetic texts (said on stderr), unless GATEKEEPER_REQUIRE_DATA=1.
 */
export function benchCorpus(n: number): string[] {
  const missing = missingShared(['data/teleantifraud']);
  if (missing.length > 0 && dataRequired()) throw new Error(`shared data missing: ${missing.join(', ')}`);
  if (missing.length > 0) console.error(`bench corpus: ${missing.join(', ')} not found under ../shared; synthetic texts only`);
  const dialogues =
    missing.length > 0 ? syntheticExamples(Math.ceil(n / 4), 78).map((e) => e.text) : loadTeleAntiFraud().map((e) => e.text);
  const sms = syntheticExamples(Math.ceil(n / 4), 77).map((e) => e.text);
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    out.push(i % 2 ? (sms[(i >> 1) % sms.length] as string) : (dialogues[(i >> 1) % dialogues.length] as string));
  }
  return out;
}
