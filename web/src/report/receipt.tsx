/** The result once a case is filed: its number, the one-time access token and the PDF. */
import { download } from '../api.ts';
import type { ReportText } from './form-state.ts';
import type { Receipt } from './send.ts';

/** The filed case: what to keep, and the report to download. */
export function ReceiptView({ t, receipt, onError }: { t: ReportText; receipt: Receipt; onError: () => void }) {
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
              void download(`/api/v1/cases/${receipt.id}/report.pdf`, receipt.token ?? '', `${receipt.id}.pdf`).catch(onError);
            }}
          >
            {t.pdf}
          </button>
        </>
      )}
      <p class="urgent">{t.urgentDone}</p>
    </section>
  );
}
