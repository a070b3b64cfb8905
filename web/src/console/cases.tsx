/** Cases: the list, one case's facts and evidence, its PDF, and tracing from it. */
import { useEffect, useState } from 'preact/hooks';
import { download, get, post } from '../api.ts';
import { C, pow10, type Lang } from './i18n.ts';
import { Alert } from '../alert.tsx';

interface Summary {
  id: string;
  status: string;
  createdAt: string;
  lossYuan: number;
  linkedOrder: boolean;
  evidence: number;
}
interface Detail {
  id: string;
  status: string;
  lossYuan: number;
  orderId: string | null;
  facts: { narrative: string; claimed?: string; transfers: Array<{ at: string; amount_yuan: number; method: string }> };
  evidence: Array<{ id: string; name: string; mime: string; size: number; sha256: string; ledgerIndex: number }>;
}
interface Traced {
  accused: Array<{ party: string; kind: string; name: string; channel: string; log10Bound: number }>;
}

/** The cases tab. */
export function Cases({ lang, token, scopes }: { lang: Lang; token: string; scopes: readonly string[] }) {
  const t = C[lang];
  const [rows, setRows] = useState<Summary[]>([]);
  const [open, setOpen] = useState<Detail | null>(null);
  const [traced, setTraced] = useState<Traced | null>(null);
  const [error, setError] = useState('');
  const canTrace = scopes.includes('admin') || scopes.includes('trace');
  useEffect(() => {
    void get<{ cases: Summary[] }>('/api/v1/cases', token).then((r) => {
      if (r.ok) setRows(r.data.cases);
    });
  }, [token]);
  const show = async (id: string): Promise<void> => {
    setTraced(null);
    const r = await get<Detail>(`/api/v1/cases/${id}`, token);
    if (r.ok) setOpen(r.data);
    else setError(t.error);
  };
  const setStatus = async (id: string, status: string): Promise<void> => {
    const r = await post(`/api/v1/cases/${id}/status`, { status }, token);
    if (!r.ok) {
      setError(`${t.error}: ${r.fields.join('; ')}`);
      return;
    }
    setRows(rows.map((x) => (x.id === id ? { ...x, status } : x)));
    if (open?.id === id) setOpen({ ...open, status });
  };
  const trace = async (id: string): Promise<void> => {
    const r = await post<Traced>(`/api/v1/trace/case/${id}`, {}, token);
    if (r.ok) setTraced(r.data);
    else setError(`${t.error}: ${r.fields.join('; ')}`);
  };
  return (
    <div class="grid">
      <section class="card wide">
        <table>
          <thead>
            <tr>
              <th>{t.caseNo}</th>
              <th>{t.created}</th>
              <th class="num">{t.loss}</th>
              <th class="num">{t.evidence}</th>
              <th>{t.linked}</th>
              <th>{t.status}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td class="mono">{r.id}</td>
                <td>{r.createdAt.slice(0, 16).replace('T', ' ')}</td>
                <td class="num">{r.lossYuan.toLocaleString()}</td>
                <td class="num">{r.evidence}</td>
                <td>{r.linkedOrder ? t.yes : t.no}</td>
                <td>{t.caseStatus[r.status as keyof typeof t.caseStatus]}</td>
                <td>
                  <button type="button" onClick={() => void show(r.id)}>
                    {t.open}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p>{t.noData}</p>}
      </section>
      <Alert message={error} />
      {open && (
        <section class="card wide" data-testid="case-detail">
          <h2 class="mono">{open.id}</h2>
          <label>
            {t.status}{' '}
            <select
              value={open.status}
              onChange={(e) => {
                void setStatus(open.id, e.currentTarget.value);
              }}
            >
              {Object.entries(t.caseStatus).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          {open.facts.claimed && <p>{open.facts.claimed}</p>}
          <h3>{t.narrative}</h3>
          <p>{open.facts.narrative}</p>
          <h3>{t.transfers}</h3>
          <ul>
            {open.facts.transfers.map((x) => (
              <li key={x.at}>
                {x.at.slice(0, 16).replace('T', ' ')} · {x.amount_yuan.toLocaleString()} · {t.payMethod[x.method] ?? x.method}
              </li>
            ))}
          </ul>
          <h3>{t.evidence}</h3>
          <ul>
            {open.evidence.map((e) => (
              <li key={e.id}>
                {e.name} ({e.mime}, {(e.size / 1024).toFixed(1)} KB) <span class="mono">SHA-256 {e.sha256.slice(0, 16)}…</span> · #
                {e.ledgerIndex}
              </li>
            ))}
          </ul>
          <button
            type="button"
            class="primary"
            onClick={() => void download(`/api/v1/cases/${open.id}/report.pdf`, token, `${open.id}.pdf`)}
          >
            {t.pdf}
          </button>{' '}
          {canTrace && open.orderId && (
            <button type="button" onClick={() => void trace(open.id)}>
              {t.trace}
            </button>
          )}
          {traced && (
            <ul data-testid="case-trace">
              {traced.accused.length === 0 && <li>{t.none}</li>}
              {traced.accused.map((a) => (
                <li key={a.party}>
                  <strong>
                    {t.kind(a.kind)} {a.name}
                  </strong>{' '}
                  · {a.channel} · {t.bound} ≤ {pow10(a.log10Bound)}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
