/**
 * 谁看过我的订单: the token comes in the URL fragment (never sent to a server by the browser) and is cleared
 * from the address bar at once; the rows come back by POST and are verified here, with WebCrypto, against the
 * ledger key this device pinned on first use.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  checkOrderAccess,
  followHandovers,
  followsFrom,
  ORDER_NO,
  wellFormed,
  type AccessRow,
  type OrderAccess,
  type ProofReport,
} from '../../src/supervise/browser.ts';
import { post } from './api.ts';
import { STRINGS, type Lang } from './i18n.ts';
import { MY_ORDER_TEXT } from './my-order-text.ts';
import { hidesRemembered, linkKey, REF, rememberChain, rememberedChains, stored, type Remembered } from './chain-memory.ts';
import { Alert } from './alert.tsx';

/** Where this device keeps the ledger's verifier key it trusts (pinned on first use). */
const PIN = 'gk-ledger-key';
/** The largest verified ledger tree this device has seen (size and root), to notice an old or rewritten one. */
const SEEN = 'gk-ledger-tree';
/** The token for this tab only, so that a reload still works once the fragment is cleared. */
const TAB_TOKEN = 'gk-my-order';

/** Takes the token out of the fragment (and the address bar), or the one this tab already took. */
function takeToken(): string | null {
  const m = /^#\/my-order\/(gko_[A-Za-z0-9_-]{43})$/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TAB_TOKEN, m[1] as string);
    history.replaceState(null, '', `${location.pathname}#/my-order`);
    return m[1] as string;
  }
  return sessionStorage.getItem(TAB_TOKEN);
}

/** The tree this device saw last, or null. */
const seenTree = (): { size: number; root: string } | null =>
  stored(SEEN, ({ size, root }) => (typeof size === 'number' && typeof root === 'string' ? { size, root } : null));

/** The text a table gives for a name the server sent, reading only the table's own entries (never `__proto__` and the like). */
const own = (table: Record<string, string>, key: string): string | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

const keyIdOf = (vkey: string): string => vkey.split('+')[1] ?? '?';

type Pin = { state: 'first' | 'same' | 'handedOver' | 'changed'; pinned: string; served: string; from?: string };

/**
 * Pins the served key on first use; otherwise keeps (and verifies against) the one pinned before, unless the
 * log's handovers lead from it to the served key (each signed by the key before), which is then pinned.
 */
async function pinKey(data: OrderAccess): Promise<Pin> {
  const served = data.verifier_key;
  const pinned = localStorage.getItem(PIN);
  if (pinned === null) {
    localStorage.setItem(PIN, served);
    return { state: 'first', pinned: served, served };
  }
  if (pinned === served) return { state: 'same', pinned, served };
  if ((await followHandovers(pinned, data.handovers)) !== served) return { state: 'changed', pinned, served };
  localStorage.setItem(PIN, served);
  return { state: 'handedOver', pinned: served, served, from: pinned };
}

/** The page. */
export function MyOrderPage({ lang }: { lang: Lang }) {
  const t = MY_ORDER_TEXT[lang];
  const [token] = useState(takeToken);
  // Another link opened in this tab while the page shows: take its token (clearing the address) and start over.
  useEffect(() => {
    const next = (): void => {
      if (/^#\/my-order\/gko_/.test(location.hash) && takeToken() !== token) location.reload();
    };
    addEventListener('hashchange', next);
    return () => {
      removeEventListener('hashchange', next);
    };
  }, [token]);
  const [state, setState] = useState<'loading' | 'ready' | 'notFound' | 'error'>('loading');
  const [data, setData] = useState<OrderAccess | null>(null);
  const [pin, setPin] = useState<Pin | null>(null);
  const [report, setReport] = useState<ProofReport | null>(null);
  const [flags, setFlags] = useState<Record<number, 'done' | 'failed'>>({});
  const [rollback, setRollback] = useState<{ seen: number; now: number } | null>(null);
  const [chainRolledBack, setChainRolledBack] = useState(false);
  /** The tree this page's request named as seen (null on a first visit). */
  const [sentTree, setSentTree] = useState<{ size: number; root: string } | null>(null);
  /** What this device remembered of orders' chains when the request was sent. */
  const [sentChains, setSentChains] = useState<Remembered | null>(null);

  useEffect(() => {
    if (!token) return;
    const seen = seenTree();
    setSentTree(seen);
    void linkKey(token)
      .then((link) => {
        setSentChains(rememberedChains(link));
        return post<OrderAccess>('/api/v1/my-order', seen === null ? { token } : { token, seen_size: seen.size });
      })
      .then(
        (r) => {
          if (!r.ok) {
            setState(r.status === 404 || r.status === 400 ? 'notFound' : 'error');
            return;
          }
          const data = r.data;
          if (!wellFormed(data)) {
            setState('error');
            return;
          }
          void pinKey(data).then((p) => {
            setData(data);
            setPin(p);
            setState('ready');
          });
        },
        () => {
          setState('error');
        },
      );
  }, [token]);

  useEffect(() => {
    if (!data || !pin || !sentChains) return;
    // Each check (again after the consumer accepts a changed key) starts without the last one's warnings.
    setReport(null);
    setChainRolledBack(false);
    setRollback(null);
    void checkOrderAccess(data, pin.pinned).then((r) => {
      setReport(r);
      const chain = r.chain;
      const ref = r.order !== undefined && REF.test(r.order) ? r.order : null;
      // Once this device saw a record of the order, every later answer must be about the same order and still
      // hold that record on its chain (an empty answer fails this too). A check that cannot run warns.
      try {
        if (hidesRemembered(sentChains, data, ref, chain)) setChainRolledBack(true);
        else if (chain?.ok && ref !== null && chain.entries[0] !== undefined)
          rememberChain(data, ref, chain.entries[0], sentChains.link.key);
      } catch {
        setChainRolledBack(true);
      }
      if (!r.tree) return;
      const tree = r.tree;
      // Checked against the tree this request named (another tab may have stored a newer one meanwhile).
      const seen = sentTree;
      void (seen === null ? Promise.resolve(true) : followsFrom(seen, data, tree).catch(() => false)).then((ok) => {
        if (!ok) {
          setRollback({ seen: seen?.size ?? 0, now: tree.size });
          return;
        }
        const stored = seenTree();
        try {
          if (stored === null || stored.size <= tree.size) localStorage.setItem(SEEN, JSON.stringify(tree));
        } catch {
          // A full storage only loses the memory; the check above has run.
        }
      });
    });
  }, [data, pin, sentTree, sentChains]);

  if (!token) return <Alert message={t.noToken} />;
  if (state === 'loading') return <p role="status">{t.loading}</p>;
  if (state === 'notFound') return <Alert message={t.notFound} />;
  if (state === 'error' || !data || !pin) return <Alert message={STRINGS[lang].error} />;

  const flag = (row: AccessRow): void => {
    void post('/api/v1/my-order/flags', { token, entry: row.entry, reason: 'never_dealt' }).then((r) => {
      setFlags((f) => ({ ...f, [row.entry]: r.ok ? 'done' : 'failed' }));
    });
  };
  const when = (iso: string): string =>
    new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' });
  const colon = lang === 'zh' ? '：' : ': ';
  const kind = (k: string): string => own(t.kinds, k) ?? t.kinds.other ?? k;
  const seen = (row: AccessRow): string =>
    row.fields
      .map((f) => {
        const form = own(t.forms, f.form) ?? '';
        const name = own(t.fields, f.field) ?? f.field;
        return form ? `${name}（${form}）` : name;
      })
      .join(lang === 'zh' ? '、' : ', ');

  return (
    <>
      <p class="lead">{t.lead}</p>
      <p>
        <strong>{t.order(data.order.platform, data.order.platform_order_id, data.order.item)}</strong>
        <br />
        {t.orderedAt}
        {colon}
        {when(data.order.ordered_at)}
      </p>
      {pin.state === 'changed' ? (
        <div class="verdict level-high" role="alert" data-key="changed">
          <p>
            <strong>{t.keyChanged(keyIdOf(pin.pinned), keyIdOf(pin.served))}</strong>
          </p>
          <button
            type="button"
            onClick={() => {
              localStorage.setItem(PIN, pin.served);
              setPin({ state: 'same', pinned: pin.served, served: pin.served });
            }}
          >
            {t.acceptKey}
          </button>
        </div>
      ) : (
        <p class="key" data-key={pin.state}>
          {pin.state === 'first'
            ? t.keyFirst(keyIdOf(pin.pinned))
            : pin.state === 'handedOver'
              ? t.keyHandedOver(keyIdOf(pin.from ?? ''), keyIdOf(pin.pinned))
              : t.keySame(keyIdOf(pin.pinned))}
        </p>
      )}
      {!ORDER_NO.test(data.order.platform_order_id) && (
        <div class="verdict level-high" role="alert" data-order-no="odd">
          <p>
            <strong>{t.oddOrderNo}</strong>
          </p>
        </div>
      )}
      {report && report.checkpoint !== true && <Alert message={t.checkpointFailed(t.failures[report.checkpoint])} />}
      {rollback && (
        <div class="verdict level-high" role="alert" data-tree="rolled-back">
          <p>
            <strong>{t.rolledBack(rollback.seen, rollback.now)}</strong>
          </p>
        </div>
      )}
      {report?.chain && !report.chain.ok && <Alert message={t.chainFailed(t.chainFailures[report.chain.why])} />}
      {chainRolledBack && (
        <div class="verdict level-high" role="alert" data-chain="rolled-back">
          <p>
            <strong>{t.chainRolledBack}</strong>
          </p>
        </div>
      )}
      {report?.chain?.ok && (report.chain.records > 0 || report.chain.unchained > 0) && (
        <p class="chain" data-chain={String(report.chain.records)}>
          {report.chain.records > 0 &&
            (report.chain.complete
              ? t.chainOk(report.chain.records, when(report.chain.latestAt ?? ''))
              : t.chainPartial(report.chain.records, when(report.chain.latestAt ?? '')))}
          {report.chain.records > 0 && !chainRolledBack && ` ${t.chainRemembered}`}
          {report.chain.unchained > 0 && ` ${t.chainUnchained(report.chain.unchained)}`}
        </p>
      )}
      {data.rows.length === 0 && <p>{t.none}</p>}
      {data.rows.map((row) => {
        const outcome = report?.rows.get(row.entry);
        const ok = outcome === true;
        return (
          <section
            key={row.entry}
            class={`verdict seen-row${outcome === undefined ? '' : ok ? '' : ' level-high'}`}
            data-entry={row.entry}
            data-verified={outcome === undefined ? 'pending' : ok ? 'yes' : 'no'}
          >
            <h2>
              {row.party.name} <small>（{kind(row.party.kind)}）</small>{' '}
              {outcome !== undefined && <span class="badge">{ok ? t.verified : t.failed}</span>}
            </h2>
            <p>
              {row.action === 'view' ? t.received : t.decrypted}
              {colon}
              {seen(row)}
            </p>
            <p>
              {t.at}
              {colon}
              {when(row.at)}
            </p>
            <p>
              {t.why}
              {colon}
              {'role' in row.why
                ? t.role(kind(row.why.role))
                : t.decryptWhy(
                    own(t.reasons, row.why.decrypt) ?? row.why.decrypt,
                    row.why.ticket_entry ? when(row.why.ticket_entry.opened_at) : null,
                    !report?.unvouched?.has(row.entry),
                  )}
            </p>
            {outcome !== undefined && <p class="proof">{outcome === true ? t.verifiedLong : t.failedLong(t.failures[outcome])}</p>}
            {row.flagged || flags[row.entry] === 'done' ? (
              <p role="status">{t.flagged}</p>
            ) : (
              <>
                <button
                  type="button"
                  class="flag"
                  onClick={() => {
                    flag(row);
                  }}
                >
                  {t.flag}
                </button>
                {flags[row.entry] === 'failed' && <Alert message={t.flagFailed} />}
              </>
            )}
          </section>
        );
      })}
    </>
  );
}
