/** Sends the report with its evidence and says what came back. */
import { post } from '../api.ts';
import { fieldText } from '../field-text.ts';
import { STRINGS, type Lang } from '../i18n.ts';

/** The server's receipt for a filed case. */
export interface Receipt {
  id: string;
  token: string | null;
  merged: boolean;
}

/** Posts the case and its files: the receipt, or the lines to show the victim. */
export async function sendCase(body: unknown, files: readonly File[], lang: Lang): Promise<{ receipt: Receipt } | { errors: string[] }> {
  const form = new FormData();
  form.set('case', JSON.stringify(body));
  for (const file of files) form.append('evidence', file, file.name);
  const r = await post<Receipt>('/api/v1/cases', form).catch(() => null);
  if (r?.ok) return { receipt: r.data };
  return {
    errors:
      r && r.issues.length
        ? r.issues.map((i) => fieldText(i.field, i.message, lang))
        : [r?.status === 429 ? STRINGS[lang].tooMany : r?.status === 413 ? STRINGS[lang].tooLarge : STRINGS[lang].error],
  };
}
