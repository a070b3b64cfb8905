/** 报案: a guided form for victims; each section lives in report/, and this page holds the form's state and sends it. */
import { useState } from 'preact/hooks';
import { STRINGS, type Lang } from './i18n.ts';
import { caseBody } from './report/case-body.ts';
import { Evidence } from './report/evidence.tsx';
import { EMPTY_FIELDS, type Account, type FieldSetter, type Moment, type Transfer } from './report/form-state.ts';
import { Incident } from './report/incident.tsx';
import { Quoted } from './report/quoted.tsx';
import { ReceiptView } from './report/receipt.tsx';
import { Scammer } from './report/scammer.tsx';
import { sendCase, type Receipt } from './report/send.ts';
import { Transfers } from './report/transfers.tsx';
import { Victim } from './report/victim.tsx';

/** The report page. */
export function ReportPage({ lang }: { lang: Lang }) {
  const t = STRINGS[lang].report;
  const [f, setF] = useState(EMPTY_FIELDS);
  const [transfers, setTransfers] = useState<Transfer[]>([]);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [events, setEvents] = useState<Moment[]>([]);
  const [files, setFiles] = useState<File[]>([]);
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const set: FieldSetter = (k) => (e) => {
    setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!f.contactedAt || f.narrative.trim().length < 10 || !consent) {
      setErrors([t.required]);
      return;
    }
    const body = caseBody(f, accounts, events, transfers);
    setBusy(true);
    setErrors([]);
    const sent = await sendCase(body, files, lang);
    setBusy(false);
    if ('receipt' in sent) {
      setReceipt(sent.receipt);
      window.scrollTo(0, 0);
    } else setErrors(sent.errors);
  };

  if (receipt)
    return (
      <ReceiptView
        t={t}
        receipt={receipt}
        onError={() => {
          setErrors([STRINGS[lang].error]);
        }}
      />
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
        <Incident t={t} f={f} set={set} />
        <Scammer t={t} f={f} set={set} accounts={accounts} setAccounts={setAccounts} events={events} setEvents={setEvents} />
        <Transfers t={t} transfers={transfers} setTransfers={setTransfers} />
        <Quoted t={t} f={f} set={set} />
        <Evidence
          t={t}
          onPick={(chosen, problems) => {
            setErrors(problems);
            setFiles(chosen);
          }}
        />
        <Victim t={t} f={f} set={set} consent={consent} setConsent={setConsent} />
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
