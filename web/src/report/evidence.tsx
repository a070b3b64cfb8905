/** Section 5: evidence files, checked here for count and size (the server checks them again, by content). */
import type { ReportText } from './form-state.ts';

const MAX_FILES = 5;
const MAX_BYTES = 10 * 1024 * 1024;

/** The file picker: hands on the chosen files, or none and what is wrong with them. */
export function Evidence({ t, onPick }: { t: ReportText; onPick: (files: File[], problems: string[]) => void }) {
  const pick = (e: Event): void => {
    const chosen = [...((e.currentTarget as HTMLInputElement).files ?? [])];
    const problems =
      chosen.length > MAX_FILES ? [t.tooManyFiles] : chosen.filter((x) => x.size > MAX_BYTES).map((x) => `${x.name}: ${t.tooBig}`);
    onPick(problems.length ? [] : chosen, problems);
  };
  return (
    <fieldset>
      <legend>5. {t.evidence}</legend>
      <label for="evidence">{t.evidenceHelp}</label>
      <input id="evidence" type="file" multiple accept="image/*,audio/*,application/pdf" onChange={pick} />
    </fieldset>
  );
}
