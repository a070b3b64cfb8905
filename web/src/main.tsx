/** The consumer check page: paste, check, see the marked text and the advice. */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { Highlight } from './highlight.tsx';
import { STRINGS, type Lang } from './i18n.ts';

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

function initialLang(): Lang {
  const saved = localStorage.getItem('lang');
  return saved === 'en' || saved === 'zh' ? saved : 'zh';
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [text, setText] = useState('');
  const [caller, setCaller] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const t = STRINGS[lang];

  const switchLang = () => {
    const next = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('lang', next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setLang(next);
  };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!text.trim()) {
      setError(t.empty);
      return;
    }
    setBusy(true);
    setError('');
    try {
      const res = await fetch('/api/v1/check', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(caller.trim() ? { text, caller: caller.trim() } : { text }),
      });
      if (!res.ok) throw new Error(String(res.status));
      setResult((await res.json()) as Result);
    } catch {
      setError(t.error);
    } finally {
      setBusy(false);
    }
  };

  const findings = result ? [...result.types, ...result.traps, ...result.asks, ...result.channel] : [];
  return (
    <main>
      <header>
        <h1>{t.title}</h1>
        <button type="button" class="lang" onClick={switchLang}>
          {t.switchTo}
        </button>
      </header>
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
          maxLength={20000}
          placeholder={t.placeholder}
          value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
          }}
        />
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
        <button type="submit" disabled={busy}>
          {busy ? t.checking : t.submit}
        </button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
      {result && (
        <section class={`verdict level-${result.level}`} aria-live="polite">
          <h2>
            <span class="badge">{t.levels[result.level]}</span> {t.risk} {Math.round(result.risk * 100)}%
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
        </section>
      )}
      <footer>{t.footer}</footer>
    </main>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
