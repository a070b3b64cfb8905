/** Section 1: who they claimed to be, when they made contact, and what happened. */
import type { FieldSetter, Fields, ReportText } from './form-state.ts';

/** What happened, in the victim's words. */
export function Incident({ t, f, set }: { t: ReportText; f: Fields; set: FieldSetter }) {
  return (
    <fieldset>
      <legend>1. {t.what}</legend>
      <label for="claimed">{t.claimed}</label>
      <input id="claimed" value={f.claimed} onInput={set('claimed')} placeholder={t.claimedHint} />
      <label for="contacted-at">{t.contactedAt} *</label>
      <input id="contacted-at" type="datetime-local" required value={f.contactedAt} onInput={set('contactedAt')} />
      <label for="narrative">{t.narrative} *</label>
      <textarea id="narrative" rows={5} required minLength={10} maxLength={5000} value={f.narrative} onInput={set('narrative')} />
    </fieldset>
  );
}
