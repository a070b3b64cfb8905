/** Section 2: the scammer's numbers, links and accounts, and the timeline of the contact. */
import { KindSelect } from './kind-select.tsx';
import { patchAt, type Account, type FieldSetter, type Fields, type Moment, type ReportText } from './form-state.ts';
import { Timeline } from './timeline.tsx';

/** The scammer's identifiers and how the contact went. */
export function Scammer(props: {
  t: ReportText;
  f: Fields;
  set: FieldSetter;
  accounts: Account[];
  setAccounts: (xs: Account[]) => void;
  events: Moment[];
  setEvents: (xs: Moment[]) => void;
}) {
  const { t, f, set, accounts, setAccounts } = props;
  return (
    <fieldset>
      <legend>2. {t.scammer}</legend>
      <label for="numbers">{t.numbers}</label>
      <textarea id="numbers" rows={2} value={f.numbers} onInput={set('numbers')} />
      <label for="links">{t.links}</label>
      <textarea id="links" rows={2} value={f.links} onInput={set('links')} />
      {accounts.map((a, i) => (
        <div class="row" key={i} role="group" aria-label={`${t.account} ${String(i + 1)}`}>
          <KindSelect
            label={t.accountKind}
            names={t.kinds}
            value={a.kind}
            onChange={(kind) => {
              setAccounts(patchAt(accounts, i, { kind }));
            }}
          />
          <label>
            {t.accountValue}
            <input
              value={a.value}
              onInput={(e) => {
                setAccounts(patchAt(accounts, i, { value: e.currentTarget.value }));
              }}
            />
          </label>
        </div>
      ))}
      <button
        type="button"
        onClick={() => {
          setAccounts([...accounts, { kind: 'wechat', value: '' }]);
        }}
      >
        + {t.addAccount}
      </button>
      <Timeline t={t} events={props.events} setEvents={props.setEvents} />
    </fieldset>
  );
}
