/**
 * The shared TeleAntiFraud dialogues as labelled texts with a fixed train/dev split. Each dialogue is
 * rendered in one of three forms a consumer might paste (labelled lines, caller side only, unlabelled),
 * chosen by a hash of its position so that the split and the forms are the same on every run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
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

/**
 * Which of `folders` (paths under the shared directory) are missing. Tests and scripts that need them call
 * this first: they skip with one line saying so, unless GATEKEEPER_REQUIRE_DATA=1, where missing data fails.
 */
export function missingShared(folders: readonly string[]): string[] {
  return folders.filter((f) => !existsSync(join(sharedDir(), f)));
}

/** True when GATEKEEPER_REQUIRE_DATA=1: tests and scripts fail instead of skipping without the shared data. */
export function dataRequired(): boolean {
  return process.env.GATEKEEPER_REQUIRE_DATA === '1';
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

/** A shared set in the common one-object-a-line form, and whether its licence allows training shipped weights. */
export interface SourceInfo {
  name: string;
  folder: string;
  /** Apache-2.0, MIT, CC-BY or CC0: may train the shipped model. Otherwise evaluation only. */
  shippable: boolean;
}

/** The shared sets in the common form (teleantifraud has its own loader). Licences from each folder's README. */
export const SOURCES: readonly SourceInfo[] = [
  { name: 'crosswoz', folder: 'data/crosswoz_service_dialogs', shippable: true },
  { name: 'chineseharm', folder: 'data/chineseharm_bench', shippable: false },
  { name: 'golfxiao', folder: 'data/golfxiao_fraud_dialogs', shippable: false },
  { name: 'autorule', folder: 'data/autorule_payment_notifications', shippable: false },
  { name: 'fintech', folder: 'data/fintech_cs_questions', shippable: false },
];

const SourceRecord = z.object({ text: z.string(), label: z.union([z.literal(0), z.literal(1), z.null()]), category: z.string() });

/**
 * Loads one common-form set; records labelled null (unclear) are dropped. `limit` keeps every k-th record
 * so that a large set (fintech, 90k questions) does not swamp the others.
 */
export function loadSource(src: SourceInfo, limit = Infinity): Example[] {
  const dir = join(sharedDir(), src.folder);
  const gz = join(dir, 'data.jsonl.gz');
  const raw = existsSync(gz) ? gunzipSync(readFileSync(gz)).toString('utf8') : readFileSync(join(dir, 'data.jsonl'), 'utf8');
  const lines = raw.split('\n').filter((l) => l.trim());
  const step = Math.max(1, Math.floor(lines.length / limit));
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i += step) {
    const r = SourceRecord.parse(JSON.parse(lines[i] as string));
    if (r.label === null) continue;
    const id = `${src.name}:${String(i)}`;
    out.push({ id, text: r.text, label: r.label, kind: `${src.name}/${r.category}`, split: stableHash(id) % 10 < 2 ? 'dev' : 'train' });
  }
  return out;
}
