/** The console for platforms, regulators and police: sign in with an API key, then parties, cases, reputation, investigations and the ledger. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.ts';
import { Accountability } from './accountability.tsx';
import { Cases } from './cases.tsx';
import { C, type Lang } from './i18n.ts';
import { Investigate } from './investigate.tsx';
import { Overview } from './overview.tsx';
import { Parties } from './parties.tsx';
import { Reputation } from './reputation.tsx';
import { Alert } from '../alert.tsx';

type Tab = 'overview' | 'parties' | 'accountability' | 'cases' | 'reputation' | 'investigate';
/** The scope each tab needs (admin has them all). */
const NEEDS: Record<Tab, string> = {
  overview: 'ledger',
  parties: 'trace',
  accountability: 'trace',
  cases: 'cases',
  reputation: 'reputation',
  investigate: 'trace',
};
interface Me {
  party: { id: string; name: string; kind: string };
  scopes: string[];
}

function App() {
  const [lang, setLang] = useState<Lang>(localStorage.getItem('lang') === 'en' ? 'en' : 'zh');
  const [token, setToken] = useState(sessionStorage.getItem('gk-key') ?? '');
  const [me, setMe] = useState<Me | null>(null);
  const [keyInput, setKeyInput] = useState('');
  const [error, setError] = useState('');
  const [tab, setTab] = useState<Tab>('overview');
  const t = C[lang];

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t.title;
  }, [lang, t]);
  useEffect(() => {
    if (!token) return;
    void get<Me>('/api/v1/me', token).then((r) => {
      if (r.ok) setMe(r.data);
      else {
        sessionStorage.removeItem('gk-key');
        setToken('');
        setError(t.badKey);
      }
    });
  }, [token]);

  const signIn = (e: Event): void => {
    e.preventDefault();
    setError('');
    sessionStorage.setItem('gk-key', keyInput.trim());
    setToken(keyInput.trim());
    setKeyInput('');
  };
  const signOut = (): void => {
    sessionStorage.removeItem('gk-key');
    setToken('');
    setMe(null);
  };
  const switchLang = (): void => {
    const next = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('lang', next);
    setLang(next);
  };
  const can = (s: string): boolean => !!me && (me.scopes.includes('admin') || me.scopes.includes(s));
  const tabs = (Object.keys(NEEDS) as Tab[]).filter((k) => can(NEEDS[k]));

  return (
    <main class="console">
      <header>
        <h1>{t.title}</h1>
        <div>
          {me && (
            <span class="who">
              {t.as}: {t.kind(me.party.kind)} {me.party.name}{' '}
              <button type="button" class="lang" onClick={signOut}>
                {t.signOut}
              </button>{' '}
            </span>
          )}
          <button type="button" class="lang" onClick={switchLang}>
            {lang === 'zh' ? 'English' : '中文'}
          </button>
        </div>
      </header>
      {!me ? (
        <form class="card signin" onSubmit={signIn}>
          <label for="key">{t.keyLabel}</label>
          <input
            id="key"
            type="password"
            autoComplete="off"
            required
            value={keyInput}
            onInput={(e) => {
              setKeyInput(e.currentTarget.value);
            }}
          />
          <small>{t.keyHelp}</small>
          <button type="submit">{t.signIn}</button>
          <Alert message={error} />
        </form>
      ) : (
        <>
          <nav aria-label={t.title}>
            {tabs.map((k) => (
              <a
                key={k}
                href={`#${k}`}
                aria-current={k === tab ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  setTab(k);
                }}
              >
                {t.tabs[k]}
              </a>
            ))}
          </nav>
          {tab === 'overview' && <Overview lang={lang} token={token} scopes={me.scopes} />}
          {tab === 'parties' && <Parties lang={lang} token={token} />}
          {tab === 'accountability' && <Accountability lang={lang} token={token} />}
          {tab === 'cases' && <Cases lang={lang} token={token} scopes={me.scopes} />}
          {tab === 'reputation' && <Reputation lang={lang} token={token} />}
          {tab === 'investigate' && <Investigate lang={lang} token={token} />}
        </>
      )}
    </main>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
