/** The timeline of the contact: when each thing happened, in a line. */
import { patchAt, type Moment, type ReportText } from './form-state.ts';
import { WhenField } from './when-field.tsx';

/** The moments of the contact, one row each. */
export function Timeline({ t, events, setEvents }: { t: ReportText; events: Moment[]; setEvents: (xs: Moment[]) => void }) {
  return (
    <>
      <h3 class="sub">{t.timeline}</h3>
      {events.map((x, i) => (
        <div class="row" key={i} role="group" aria-label={`${t.event} ${String(i + 1)}`}>
          <WhenField
            label={t.when}
            value={x.at}
            onChange={(v) => {
              setEvents(patchAt(events, i, { at: v }));
            }}
          />
          <label>
            {t.momentWhat}
            <input
              maxLength={500}
              value={x.what}
              onInput={(e) => {
                setEvents(patchAt(events, i, { what: e.currentTarget.value }));
              }}
            />
          </label>
        </div>
      ))}
      <button
        type="button"
        onClick={() => {
          setEvents([...events, { at: '', what: '' }]);
        }}
      >
        + {t.addEvent}
      </button>
    </>
  );
}
