/** 报案: a guided form for victims; evidence is checked here for size and again (by content) on the server. */
import { useState } from 'preact/hooks';
import { download, post } from './api.ts';
import { fieldText } from './field-text.ts';
import { STRINGS, type Lang } from './i18n.ts';

const MAX_FILES = 5;
const MAX_BYTES = 10 * 1024 * 1024;

interface Transfer {
  at: string;
  amount: string;
  method: 'bank' | 'alipay' | 'wechat' | 'other';
  toKind: 'bank_card' | 'alipay' | 'wechat' | 'qq';
  toValue: string;
}
interface Account {
  kind: 'bank_card' | 'alipay' | 'wechat' | 'qq';
  value: string;
}
interface Moment {
  at: string;
  what: string;
}
interface Receipt {
  id: string;
  token: string | null;
  merged: boolean;
}

const lines = (s: string): string[] =>
  s
    .split(/[\n,，;；]/)
    .map((x) => x.trim())
    .filter(Boolean);
const iso = (local: string): string => new Date(local).toISOString();
const emptyTransfer = (): Transfer => ({ at: '', amount: '', method: 'bank', toKind: 'bank_card', toValue: '' });

type AccountKind = Account['kind'];
const ACCOUNT_KINDS: readonly AccountKind[] = ['bank_card', 'alipay', 'wechat', 'qq'];

/** A labelled choice of account type. */
function KindSelect(props: { label: string; names: Record<AccountKind, string>; value: AccountKind; onChange: (k: AccountKind) => void }) {
  return (
    <label>
      {props.label}
      <select
        value={props.value}
        onChange={(e) => {
          props.onChange(e.currentTarget.value as AccountKind);
        }}
      >
        {ACCOUNT_KINDS.map((m) => (
          <option key={m} value={m}>
            {props.names[m]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The report page. */
export function ReportPage({ lang }: { lang: Lang }) {
  const t = STRINGS[lang].report;
  const [f, setF] = useState({
    claimed: '',
    contactedAt: '',
    narrative: '',
    numbers: '',
    links: '',
    quotedText: '',
    orderTail: '',
    orderNo: '',
    name: '',
    phone: '',
    region: '',
  });
  const [transfers, setTransfers] = useState<Transfer[]>([]);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [events, setEvents] = useState<Moment[]>([]);
  const [files, setFiles] = useState<File[]>([]);
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const set = (k: keyof typeof f) => (e: Event) => {
    setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  };
  const setTransfer = (i: number, patch: Partial<Transfer>): void => {
    setTransfers(transfers.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  };

  const pick = (e: Event): void => {
    const chosen = [...((e.currentTarget as HTMLInputElement).files ?? [])];
    const problems =
      chosen.length > MAX_FILES ? [t.tooManyFiles] : chosen.filter((x) => x.size > MAX_BYTES).map((x) => `${x.name}: ${t.tooBig}`);
    setErrors(problems);
    setFiles(problems.length ? [] : chosen);
  };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!f.contactedAt || f.narrative.trim().length < 10 || !consent) {
      setErrors([t.required]);
      return;
    }
    const body = {
      victim: { ...(f.name ? { name: f.name } : {}), ...(f.phone ? { phone: f.phone } : {}), ...(f.region ? { region: f.region } : {}) },
      ...(f.claimed ? { claimed: f.claimed } : {}),
      contacted_at: iso(f.contactedAt),
      scammer: { numbers: lines(f.numbers), accounts: accounts.filter((a) => a.value.trim()), links: lines(f.links) },
      timeline: events.filter((x) => x.at && x.what.trim()).map((x) => ({ at: iso(x.at), what: x.what.trim() })),
      transfers: transfers
        .filter((x) => x.at && x.amount)
        .map((x) => ({
          at: iso(x.at),
          amount_yuan: Number(x.amount),
          method: x.method,
          ...(x.toValue ? { to: { kind: x.toKind, value: x.toValue } } : {}),
        })),
      quoted: { ...(f.quotedText ? { text: f.quotedText } : {}), ...(f.orderTail ? { order_tail: f.orderTail } : {}) },
      ...(f.orderNo ? { order: { platform_order_id: f.orderNo } } : {}),
      narrative: f.narrative,
      consent: true,
    };
    const form = new FormData();
    form.set('case', JSON.stringify(body));
    for (const file of files) form.append('evidence', file, file.name);
    setBusy(true);
    setErrors([]);
    const r = await post<Receipt>('/api/v1/cases', form).catch(() => null);
    setBusy(false);
    if (r?.ok) {
      setReceipt(r.data);
      window.scrollTo(0, 0);
    } else
      setErrors(
        r && r.issues.length
          ? r.issues.map((i) => fieldText(i.field, i.message, lang))
          : [r?.status === 429 ? STRINGS[lang].tooMany : r?.status === 413 ? STRINGS[lang].tooLarge : STRINGS[lang].error],
      );
  };

  if (receipt)
    return (
      <section class="verdict level-low" aria-live="polite" data-case={receipt.id}>
        <h2>{t.done}</h2>
        <p>
          {t.caseNo} <strong class="case-no">{receipt.id}</strong>
          {receipt.merged ? ` ${t.merged}` : ''}
        </p>
        {receipt.token === null ? (
          <p>{t.mergedNoToken}</p>
        ) : (
          <>
            <p>{t.tokenHelp}</p>
            <pre class="token">{receipt.token}</pre>
            <button
              type="button"
              class="primary"
              onClick={() => {
                void download(`/api/v1/cases/${receipt.id}/report.pdf`, receipt.token ?? '', `${receipt.id}.pdf`).catch(() => {
                  setErrors([STRINGS[lang].error]);
                });
              }}
            >
              {t.pdf}
            </button>
          </>
        )}
        <p class="urgent">{t.urgentDone}</p>
      </section>
    );

  return (
    <>
      <p class="urgent">{t.urgent}</p>
      <p class="lead">{t.lead}</p>
      <form
        onSubmit={(e) => {
          void submit(e);
        }}
      >
        <fieldset>
          <legend>1. {t.what}</legend>
          <label for="claimed">{t.claimed}</label>
          <input id="claimed" value={f.claimed} onInput={set('claimed')} placeholder={t.claimedHint} />
          <label for="contacted-at">{t.contactedAt} *</label>
          <input id="contacted-at" type="datetime-local" required value={f.contactedAt} onInput={set('contactedAt')} />
          <label for="narrative">{t.narrative} *</label>
          <textarea id="narrative" rows={5} required minLength={10} maxLength={5000} value={f.narrative} onInput={set('narrative')} />
        </fieldset>
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
                  setAccounts(accounts.map((x, j) => (j === i ? { ...x, kind } : x)));
                }}
              />
              <label>
                {t.accountValue}
                <input
                  value={a.value}
                  onInput={(e) => {
                    setAccounts(accounts.map((x, j) => (j === i ? { ...x, value: e.currentTarget.value } : x)));
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
          <h3 class="sub">{t.timeline}</h3>
          {events.map((x, i) => (
            <div class="row" key={i} role="group" aria-label={`${t.event} ${String(i + 1)}`}>
              <label>
                {t.when}
                <input
                  type="datetime-local"
                  value={x.at}
                  onInput={(e) => {
                    setEvents(events.map((y, j) => (j === i ? { ...y, at: e.currentTarget.value } : y)));
                  }}
                />
              </label>
              <label>
                {t.momentWhat}
                <input
                  maxLength={500}
                  value={x.what}
                  onInput={(e) => {
                    setEvents(events.map((y, j) => (j === i ? { ...y, what: e.currentTarget.value } : y)));
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
        </fieldset>
        <fieldset>
          <legend>3. {t.transfers}</legend>
          {transfers.map((x, i) => (
            <div class="row" key={i} role="group" aria-label={`${t.transfer} ${String(i + 1)}`}>
              <label>
                {t.when}
                <input
                  type="datetime-local"
                  value={x.at}
                  onInput={(e) => {
                    setTransfer(i, { at: e.currentTarget.value });
                  }}
                />
              </label>
              <label>
                {t.amount}
                <input
                  type="number"
                  min="0.01"
                  step="0.01"
                  inputMode="decimal"
                  value={x.amount}
                  onInput={(e) => {
                    setTransfer(i, { amount: e.currentTarget.value });
                  }}
                />
              </label>
              <label>
                {t.method}
                <select
                  value={x.method}
                  onChange={(e) => {
                    setTransfer(i, { method: e.currentTarget.value as Transfer['method'] });
                  }}
                >
                  {(['bank', 'alipay', 'wechat', 'other'] as const).map((m) => (
                    <option key={m} value={m}>
                      {t.methods[m]}
                    </option>
                  ))}
                </select>
              </label>
              <KindSelect
                label={t.toKind}
                names={t.kinds}
                value={x.toKind}
                onChange={(toKind) => {
                  setTransfer(i, { toKind });
                }}
              />
              <label>
                {t.toValue}
                <input
                  value={x.toValue}
                  onInput={(e) => {
                    setTransfer(i, { toValue: e.currentTarget.value });
                  }}
                />
              </label>
            </div>
          ))}
          <button
            type="button"
            onClick={() => {
              setTransfers([...transfers, emptyTransfer()]);
            }}
          >
            + {t.addTransfer}
          </button>
        </fieldset>
        <fieldset>
          <legend>4. {t.quoted}</legend>
          <label for="quoted">{t.quotedText}</label>
          <textarea id="quoted" rows={2} value={f.quotedText} onInput={set('quotedText')} />
          <label for="order-tail">{t.orderTail}</label>
          <input id="order-tail" inputMode="numeric" pattern="\d{4,19}" value={f.orderTail} onInput={set('orderTail')} />
          <label for="order-no">{t.orderNo}</label>
          <input id="order-no" value={f.orderNo} onInput={set('orderNo')} />
        </fieldset>
        <fieldset>
          <legend>5. {t.evidence}</legend>
          <label for="evidence">{t.evidenceHelp}</label>
          <input id="evidence" type="file" multiple accept="image/*,audio/*,application/pdf" onChange={pick} />
        </fieldset>
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
              checked={consent}
              onChange={(e) => {
                setConsent(e.currentTarget.checked);
              }}
            />{' '}
            {t.consent} *
          </label>
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? t.sending : t.submit}
        </button>
        {errors.length > 0 && (
          <ul class="error" role="alert">
            {errors.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        )}
      </form>
    </>
  );
}
