/**
 * The shared TeleAntiFraud dialogues as labelled texts with a fixed train/dev split. Each dialogue is
 * rendered in one of three forms a consumer might paste (labelled lines, caller side only, unlabelled),
 * chosen by a hash of its position so that the split and the forms are the same on every run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** One labelled text. */
export interface Example {
  id: string;
  text: string;
  label: 0 | 1;
  kind: string;
  split: 'train' | 'dev';
}

const Dialogue = z.object({
  left: z.array(z.string()),
  right: z.array(z.string()),
  fraud_type: z.string().optional(),
  scene: z.string().optional(),
});

/** Where ../shared is: GATEKEEPER_SHARED, else beside the repository. */
export function sharedDir(): string {
  return process.env.GATEKEEPER_SHARED ?? resolve(fileURLToPath(new URL('../../../', import.meta.url)), '../shared');
}

/** FNV-1a over a string, for stable splits. */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function render(left: readonly string[], right: readonly string[], form: number): string {
  if (form === 1) return left.join('');
  const lines: string[] = [];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] !== undefined) lines.push(form === 0 ? `对方：${left[i] as string}` : (left[i] as string));
    if (right[i] !== undefined) lines.push(form === 0 ? `我：${right[i] as string}` : (right[i] as string));
  }
  return lines.join('\n');
}

/** Loads every dialogue; 20 % (by hash) form the development split. */
export function loadTeleAntiFraud(dir = join(sharedDir(), 'data/teleantifraud')): Example[] {
  const out: Example[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const d = Dialogue.parse(JSON.parse(line));
      const id = `${file}:${String(i)}`;
      const h = stableHash(id);
      const fraud = file.startsWith('fraud');
      out.push({
        id,
        text: render(d.left, d.right, h % 3),
        label: fraud ? 1 : 0,
        kind: d.fraud_type ?? d.scene ?? 'unknown',
        split: h % 10 < 2 ? 'dev' : 'train',
      });
    });
  }
  return out;
}

const HardCase = z.object({ id: z.string(), text: z.string(), label: z.union([z.literal(0), z.literal(1)]), kind: z.string() });

/** The hand-written hard cases (benign after-sales next to look-alike scams); development only. */
export function loadHardCases(): Example[] {
  const raw = readFileSync(new URL('../quality/hard-cases.jsonl', import.meta.url), 'utf8');
  return raw
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => ({ ...HardCase.parse(JSON.parse(l)), split: 'dev' as const }));
}
