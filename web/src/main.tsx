/**
 * The consumer pages: check (检测), verify a caller (核验来电), report (报案), switched by the URL hash; and who has
 * seen my order (谁看过我的订单), opened only from a platform's link (`#/my-order/<token>`), so not in the menu.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { CheckPage } from './check-page.tsx';
import { STRINGS, type Lang } from './i18n.ts';
import { MyOrderPage } from './my-order-page.tsx';
import { ReportPage } from './report-page.tsx';
import { VerifyPage } from './verify-page.tsx';

type Page = 'check' | 'verify' | 'report' | 'my-order';
const PAGES: readonly Page[] = ['check', 'verify', 'report'];

function pageOf(hash: string): Page {
  if (/^#\/my-order(\/|$)/.test(hash)) return 'my-order';
  const p = hash.replace(/^#\//, '') as Page;
  return PAGES.includes(p) ? p : 'check';
}

function initialLang(): Lang {
  const saved = localStorage.getItem('lang');
  return saved === 'en' || saved === 'zh' ? saved : 'zh';
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [page, setPage] = useState<Page>(pageOf(location.hash));
  const t = STRINGS[lang];
  useEffect(() => {
    const on = (): void => {
      setPage(pageOf(location.hash));
    };
    window.addEventListener('hashchange', on);
    return () => {
      window.removeEventListener('hashchange', on);
    };
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = `${t.title} · ${t.nav[page]}`;
  }, [lang, page, t]);

  const switchLang = (): void => {
    const next = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('lang', next);
    setLang(next);
  };

  return (
    <main>
      <header>
        <h1>{t.title}</h1>
        <button type="button" class="lang" onClick={switchLang}>
          {t.switchTo}
        </button>
      </header>
      <nav aria-label={t.title}>
        {PAGES.map((p) => (
          <a key={p} href={`#/${p}`} aria-current={p === page ? 'page' : undefined}>
            {t.nav[p]}
          </a>
        ))}
      </nav>
      {page === 'check' && <CheckPage lang={lang} />}
      {page === 'verify' && <VerifyPage lang={lang} />}
      {page === 'report' && <ReportPage lang={lang} />}
      {page === 'my-order' && <MyOrderPage lang={lang} />}
      <footer>{t.footer}</footer>
    </main>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
