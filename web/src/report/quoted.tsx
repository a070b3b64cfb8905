/** Section 4: what the scammer knew about the victim's order, which points at a leak. */
import type { FieldSetter, Fields, ReportText } from './form-state.ts';

/** The order details the scammer quoted. */
export function Quoted({ t, f, set }: { t: ReportText; f: Fields; set: FieldSetter }) {
  return (
    <fieldset>
      <legend>4. {t.quoted}</legend>
      <label for="quoted">{t.quotedText}</label>
      <textarea id="quoted" rows={2} value={f.quotedText} onInput={set('quotedText')} />
      <label for="order-tail">{t.orderTail}</label>
      <input id="order-tail" inputMode="numeric" pattern="\d{4,19}" value={f.orderTail} onInput={set('orderTail')} />
      <label for="order-no">{t.orderNo}</label>
      <input id="order-no" value={f.orderNo} onInput={set('orderNo')} />
    </fieldset>
  );
}
