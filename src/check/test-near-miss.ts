/** Test helper for rule tables: each finding with a text that has it and a near miss that must not. */
import { expect, it } from 'vitest';

/** One test per case: `found(yes)` names the finding, `found(no)` does not. */
export function nearMisses(cases: ReadonlyArray<readonly [string, string, string]>, found: (text: string) => string[]): void {
  for (const [name, yes, no] of cases)
    it(`${name}: "${yes}" matches, "${no}" does not`, () => {
      expect(found(yes)).toContain(name);
      expect(found(no)).not.toContain(name);
    });
}
