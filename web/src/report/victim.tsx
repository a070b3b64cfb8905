/** Section 6: the victim's own contact details and consent. */
import type { FieldSetter, Fields, ReportText } from './form-state.ts';

/** Who is reporting, and their consent to pass the report on. */
export function Victim(props: { t: ReportText; f: Fields; set: FieldSetter; consent: boolean; setConsent: (yes: boolean) => void }) {
  const { t, f, set } = props;
  return (
    <fieldset>
      <legend>6. {t.you}</legend>
      <label for="victim-name">{t.name}</label>
      <input id="victim-name" autoComplete="name" value={f.name} onInput={set('name')} />
      <label for="victim-phone">{t.phone}</label>
      <input id="victim-phone" type="tel" autoComplete="tel" value={f.phone} onInput={set('phone')} />
      <label for="region">{t.region}</label>
      <input id="region" value={f.region} onInput={set('region')} />
      <label class="check">
        <input
          type="checkbox"
          checked={props.consent}
          onChange={(e) => {
            props.setConsent(e.currentTarget.checked);
          }}
        />{' '}
        {t.consent} *
      </label>
    </fieldset>
  );
}
