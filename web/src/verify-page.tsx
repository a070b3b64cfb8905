/** 核验来电: is this number official, and did the platform really contact me? Your own number never leaves the browser. */
import { useState } from 'preact/hooks';
import { ASK_TEXT, type AskId } from '../../src/check/browser.ts';
import {
  contactAnswer,
  numberAnswer,
  openBucket,
  type BucketEntry,
  type CallerVerdict,
  type ContactAnswer,
} from '../../src/verify/browser.ts';
import { ownPhone, post } from './api.ts';
import { STRINGS, type Lang } from './i18n.ts';
import { Alert } from './alert.tsx';

type Outcome = { verdict: CallerVerdict; answer: ContactAnswer | { status: 'official'; zh: string; en: string } };

/** The verify page. */
export function VerifyPage({ lang }: { lang: Lang }) {
  // A number handed over from the check page (kept out of the URL).
  const [caller, setCaller] = useState(() => {
    const n = sessionStorage.getItem('gk-verify-number') ?? '';
    sessionStorage.removeItem('gk-verify-number');
    return n;
  });
  const [reported, setReported] = useState<'no' | 'yes' | 'again'>('no');
  const [mine, setMine] = useState('');
  const [days, setDays] = useState('3');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const t = STRINGS[lang].verify;

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError('');
    setOutcome(null);
    setReported('no');
    const me = mine.trim() ? ownPhone(mine) : undefined;
    if (mine.trim() && !me) {
      setError(t.badMine);
      return;
    }
    setBusy(true);
    try {
      const v = await post<CallerVerdict>('/api/v1/verify/number', { number: caller.trim() });
      if (!v.ok) {
        setError(v.status === 400 ? t.badCaller : v.status === 429 ? STRINGS[lang].tooMany : STRINGS[lang].error);
        return;
      }
      if (!me) {
        setOutcome({
          verdict: v.data,
          answer: v.data.official ? { status: 'official', ...numberAnswer(v.data) } : contactAnswer(v.data, []),
        });
        return;
      }
      const to = new Date();
      const from = new Date(to.getTime() - Number(days) * 86_400_000);
      const found = await openBucket(me, v.data.number, { from: from.toISOString(), to: to.toISOString() }, v.data.lookup, async (q) => {
        const r = await post<{ entries: BucketEntry[] }>('/api/v1/verify/contacts', q);
        if (!r.ok) throw new Error(String(r.status));
        return r.data.entries;
      });
      setOutcome({ verdict: v.data, answer: contactAnswer(v.data, found) });
    } catch {
      setError(STRINGS[lang].error);
    } finally {
      setBusy(false);
    }
  };

  const status = outcome?.answer.status;
  const cls = status === 'confirmed' ? 'low' : status === 'official' || status === 'no_registry' ? 'medium' : status ? 'high' : 'low';
  return (
    <>
      <p class="lead">{t.lead}</p>
      <form
        onSubmit={(e) => {
          void submit(e);
        }}
      >
        <label for="caller-number">{t.callerLabel}</label>
        <input
          id="caller-number"
          type="tel"
          inputMode="tel"
          required
          autoComplete="off"
          value={caller}
          onInput={(e) => {
            setCaller(e.currentTarget.value);
          }}
        />
        <label for="my-number">{t.mineLabel}</label>
        <input
          id="my-number"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          aria-describedby="mine-help"
          value={mine}
          onInput={(e) => {
            setMine(e.currentTarget.value);
          }}
        />
        <small id="mine-help">{t.mineHelp}</small>
        <label for="days">{t.windowLabel}</label>
        <select
          id="days"
          value={days}
          onChange={(e) => {
            setDays(e.currentTarget.value);
          }}
        >
          {(['1', '3', '7', '30'] as const).map((d) => (
            <option key={d} value={d}>
              {t.days[d]}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy}>
          {busy ? t.checking : t.submit}
        </button>
        <Alert message={error} />
      </form>
      {outcome && (
        <section class={`verdict level-${cls}`} aria-live="polite" data-status={outcome.answer.status}>
          <h2>
            <span class="badge">{t.status[outcome.answer.status]}</span>
          </h2>
          <p>{outcome.answer[lang]}</p>
          {outcome.verdict.official && outcome.verdict.official.never.length > 0 && (
            <>
              <h3>{t.never(outcome.verdict.official.party.name)}</h3>
              <ul>
                {outcome.verdict.official.never.map((a) => (
                  <li key={a}>{ASK_TEXT[a as AskId][lang]}</li>
                ))}
              </ul>
            </>
          )}
          {outcome.answer.status !== 'confirmed' && (
            <>
              {reported === 'no' ? (
                <button
                  type="button"
                  onClick={() => {
                    void post<{ results: Array<{ counted: boolean }> }>('/api/v1/reputation/reports', {
                      items: [{ kind: 'phone', value: outcome.verdict.number }],
                    }).then((r) => {
                      if (r.ok) setReported(r.data.results[0]?.counted ? 'yes' : 'again');
                      else setError(r.status === 429 ? STRINGS[lang].tooMany : STRINGS[lang].error);
                    });
                  }}
                >
                  {t.reportNumber}
                </button>
              ) : (
                <p role="status">{reported === 'yes' ? t.reportedThanks : t.reportedBefore}</p>
              )}
              <p>
                <a href="#/report">{STRINGS[lang].reportLink}</a>
              </p>
            </>
          )}
        </section>
      )}
    </>
  );
}
