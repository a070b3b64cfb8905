/** 检测: paste, check, see the marked text and the advice. */
import { useState } from 'preact/hooks';
import { post } from './api.ts';
import { Highlight } from './highlight.tsx';
import { STRINGS, type Lang } from './i18n.ts';
import { Alert } from './alert.tsx';

interface Finding {
  id: string;
  zh: string;
  en: string;
}
interface Result {
  risk: number;
  level: 'high' | 'medium' | 'low';
  traps: Finding[];
  asks: Finding[];
  types: Finding[];
  channel: Finding[];
  spans: Array<{ start: number; end: number; label: string; group: string }>;
  advice: { zh: string[]; en: string[] };
  text: string;
}

/** The longest text the check takes (the server refuses longer ones). */
const MAX_TEXT = 20_000;

/** The check page. */
export function CheckPage({ lang }: { lang: Lang }) {
  const [text, setText] = useState('');
  const [caller, setCaller] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const t = STRINGS[lang];
  const over = text.length > MAX_TEXT;

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!text.trim()) {
      setError(t.empty);
      return;
    }
    setBusy(true);
    setError('');
    const r = await post<Result>('/api/v1/check', caller.trim() ? { text, caller: caller.trim() } : { text }).catch(() => null);
    setBusy(false);
    if (r?.ok) setResult(r.data);
    else setError(r?.status === 429 ? t.tooMany : r?.status === 413 ? t.overLimit(text.length, MAX_TEXT) : t.error);
  };

  const findings = result ? [...result.types, ...result.traps, ...result.asks, ...result.channel] : [];
  return (
    <>
      <p class="lead">{t.lead}</p>
      <form
        onSubmit={(e) => {
          void submit(e);
        }}
      >
        <label for="text">{t.textLabel}</label>
        <textarea
          id="text"
          rows={7}
          aria-describedby="text-count"
          aria-invalid={over}
          placeholder={t.placeholder}
          value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
          }}
        />
        {/* Pasted text is never cut silently: the count shows, and over the limit the reader is told how much to remove. */}
        <small id="text-count" class={over ? 'over' : undefined} role={over ? 'alert' : undefined}>
          {over ? t.overLimit(text.length, MAX_TEXT) : t.count(text.length, MAX_TEXT)}
        </small>
        <label for="caller">{t.callerLabel}</label>
        <input
          id="caller"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          value={caller}
          onInput={(e) => {
            setCaller(e.currentTarget.value);
          }}
        />
        <button type="submit" disabled={busy || over}>
          {busy ? t.checking : t.submit}
        </button>
        <Alert message={error} />
      </form>
      {result && (
        <section class={`verdict level-${result.level}`} aria-live="polite">
          <h2>
            <span class="badge">{t.levels[result.level]}</span> · {t.risk} {Math.round(result.risk * 100)}%
          </h2>
          <Highlight text={result.text} spans={result.spans} />
          {findings.length > 0 && (
            <>
              <h3>{t.found}</h3>
              <ul>
                {findings.map((f) => (
                  <li key={f.id}>{f[lang]}</li>
                ))}
              </ul>
            </>
          )}
          <h3>{t.advice}</h3>
          <ul class="advice">
            {result.advice[lang].map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
          {caller.trim() && (
            <p>
              <a
                href="#/verify"
                onClick={() => {
                  sessionStorage.setItem('gk-verify-number', caller.trim());
                }}
              >
                {t.verifyLink}
              </a>
            </p>
          )}
          {result.level !== 'low' && (
            <p>
              <a href="#/report">{t.reportLink}</a>
            </p>
          )}
        </section>
      )}
    </>
  );
}
