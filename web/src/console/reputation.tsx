/** Reputation: the most reported identifiers and the appeals, decided here. */
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api.ts';
import { C, type Lang } from './i18n.ts';
import { Alert } from '../alert.tsx';

interface Entry {
  kind: string;
  display: string;
  score: number;
  reports: number;
  lastAt: string | null;
  status: string;
}
interface Appeal {
  id: string;
  kind: string;
  display: string;
  status: string;
  openedAt: string;
  reason?: string;
  decision: string | null;
}

/** The reputation tab. */
export function Reputation({ lang, token }: { lang: Lang; token: string }) {
  const t = C[lang];
  const [entries, setEntries] = useState<Entry[]>([]);
  const [appeals, setAppeals] = useState<Appeal[]>([]);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const load = (): void => {
    void get<{ entries: Entry[] }>('/api/v1/reputation?limit=100', token).then((r) => {
      if (r.ok) setEntries(r.data.entries);
    });
    void get<{ appeals: Appeal[] }>('/api/v1/reputation/appeals', token).then((r) => {
      if (r.ok) setAppeals(r.data.appeals);
    });
  };
  useEffect(load, [token]);
  const decide = async (id: string, decision: 'upheld' | 'rejected'): Promise<void> => {
    const note = notes[id]?.trim() ?? '';
    const r = await post(`/api/v1/reputation/appeals/${id}/decision`, { decision, note: note || decision }, token);
    if (!r.ok) setError(`${t.error}: ${r.fields.join('; ')}`);
    load();
  };
  return (
    <div class="grid">
      <section class="card wide">
        <h2>{t.appeals}</h2>
        {appeals.length === 0 && <p>{t.noData}</p>}
        {appeals.map((a) => (
          <div class="appeal" key={a.id} data-appeal={a.id}>
            <p>
              <strong>{a.display}</strong> ({t.identifierKind[a.kind] ?? a.kind}) · {t.appealStatus[a.status] ?? a.status} ·{' '}
              {a.openedAt.slice(0, 10)}
            </p>
            {a.reason && (
              <p>
                {t.reason}: {a.reason}
              </p>
            )}
            {a.status === 'open' ? (
              <div class="actions">
                <label>
                  {t.note}
                  <input
                    value={notes[a.id] ?? ''}
                    onInput={(e) => {
                      setNotes({ ...notes, [a.id]: e.currentTarget.value });
                    }}
                  />
                </label>
                <button type="button" onClick={() => void decide(a.id, 'upheld')}>
                  {t.uphold}
                </button>
                <button type="button" onClick={() => void decide(a.id, 'rejected')}>
                  {t.reject}
                </button>
              </div>
            ) : (
              <p>{a.decision}</p>
            )}
          </div>
        ))}
        <Alert message={error} />
      </section>
      <section class="card wide">
        <table>
          <thead>
            <tr>
              <th>{t.identifier}</th>
              <th class="num">{t.score}</th>
              <th class="num">{t.reports}</th>
              <th>{t.status}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={`${e.kind}${e.display}`}>
                <td>
                  <span class="mono">{e.display}</span> ({t.identifierKind[e.kind] ?? e.kind})
                </td>
                <td class="num">{e.score}</td>
                <td class="num">{e.reports}</td>
                <td>{t.subjectStatus[e.status] ?? e.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
