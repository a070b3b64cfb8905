/** Files the commands write where the user asked (`--pdf`, `--out`). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes `bytes` to `path`, creating its folder first, so `--pdf reports/x.pdf` works in a fresh clone. */
export function writeOutput(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}
