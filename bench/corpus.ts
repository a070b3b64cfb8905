/** The benchmark corpus: TeleAntiFraud dialogues and synthetic SMS, mixed half and half, deterministic. */
import { loadTeleAntiFraud } from '../src/check/train/dataset.ts';
import { syntheticExamples } from '../src/check/train/synthetic.ts';

/** `n` texts, alternating a dialogue and an SMS-like text. */
export function benchCorpus(n: number): string[] {
  const dialogues = loadTeleAntiFraud().map((e) => e.text);
  const sms = syntheticExamples(Math.ceil(n / 4), 77).map((e) => e.text);
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    out.push(i % 2 ? (sms[(i >> 1) % sms.length] as string) : (dialogues[(i >> 1) % dialogues.length] as string));
  }
  return out;
}
