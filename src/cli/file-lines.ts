/** Line-oriented input files: their non-blank lines with the line numbers a user sees in an editor. */
import { existsSync, readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { InputError } from '../custody/index.ts';

/** A non-blank line of a file and its 1-based number. */
export interface FileLine {
  line: number;
  text: string;
}

/** The non-blank lines of `file`, trimmed; a missing file is named as such. */
export function fileLines(file: string): FileLine[] {
  if (!existsSync(file)) throw new InvalidArgumentError(`${file}: no such file`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, text: text.trim() }))
    .filter((l) => l.text !== '');
}

/**
 * Re-words an input error whose fields name items by their index in `lines` (`3.reason`, or `phones.3` with
 * `prefix` "phones") as the file's lines (`line 5: reason`); other errors pass unchanged.
 */
export function onFileLines(e: unknown, lines: readonly FileLine[], prefix = ''): unknown {
  if (!(e instanceof InputError)) return e;
  const head = new RegExp(`^${prefix ? `${prefix}\\.` : ''}(\\d+)(?:\\.|$)`);
  const issues = e.issues.map((i) => {
    const m = head.exec(i.field);
    if (!m) return `${i.field}: ${i.message}`;
    const rest = i.field.slice(m[0].length);
    return `line ${String(lines[Number(m[1])]?.line ?? m[1])}: ${rest ? `${rest}: ` : ''}${i.message}`;
  });
  return new InvalidArgumentError(issues.join('; '));
}
