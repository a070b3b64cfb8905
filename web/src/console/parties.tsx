/** Parties and how many views each received. */
import { useEffect, useState } from 'preact/hooks';
import { KIND_ZH } from '../../../src/shared/browser.ts';
import { get } from '../api.ts';
import { C, type Lang } from './i18n.ts';

interface Row {
  id: string;
  kind: string;
  name: string;
  releases: number;
  ledgerEntries: number;
}
const KINDS = Object.keys(KIND_ZH);

/** One ledger entry about the party, as the API returns it. */
interface Entry {
  index: number;
  entry: { t: string; at: string; order?: string; fields?: string[]; reason?: string; action?: string; subject?: string };
  proof: string[];
}

/** The parties tab. */
export function Parties({ lang, token }: { lang: Lang; token: string }) {
  const t = C[lang];
  const [kind, setKind] = useState('station');
  const [rows, setRows] = useState<Row[]>([]);
  const [open, setOpen] = useState<{ party: Row; entries: Entry[] } | null>(null);
  const show = async (party: Row): Promise<void> => {
    const r = await get<{ entries: Entry[] }>(`/api/v1/parties/${party.id}/entries?limit=50`, token);
    if (r.ok) setOpen({ party, entries: r.data.entries });
  };
  useEffect(() => {
    void get<{ parties: Row[] }>(`/api/v1/parties?limit=2000${kind ? `&kind=${kind}` : ''}`, token).then((r) => {
      if (r.ok) setRows(r.data.parties);
    });
  }, [kind, token]);
  return (
    <div class="grid">
      <section class="card wide">
        <label for="kind">{t.tabs.parties}</label>{' '}
        <select
          id="kind"
          value={kind}
          onChange={(e) => {
            setKind(e.currentTarget.value);
          }}
        >
          <option value="">{t.all}</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t.kind(k)}
            </option>
          ))}
        </select>
        <table>
          <thead>
            <tr>
              <th>{t.name}</th>
              <th>ID</th>
              <th class="num">{t.releases}</th>
              <th class="num">{t.entries}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  {t.kind(r.kind)} {r.name}
                </td>
                <td class="mono">{r.id}</td>
                <td class="num">{r.releases.toLocaleString()}</td>
                <td class="num">{r.ledgerEntries.toLocaleString()}</td>
                <td>
                  {r.ledgerEntries > 0 && (
                    <button type="button" onClick={() => void show(r)}>
                      {t.accessLog}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {open && (
        <section class="card wide" data-testid="access-log">
          <h2>
            {t.accessLog}: {t.kind(open.party.kind)} {open.party.name}
          </h2>
          <table>
            <thead>
              <tr>
                <th class="num">#</th>
                <th>{t.entryKind}</th>
                <th>{t.created}</th>
                <th>{t.entryWhat}</th>
                <th>{t.proofLen}</th>
              </tr>
            </thead>
            <tbody>
              {open.entries.map((e) => (
                <tr key={e.index}>
                  <td class="num">{e.index}</td>
                  <td>{(t.entryKinds as Record<string, string | undefined>)[e.entry.t] ?? e.entry.t}</td>
                  <td>{e.entry.at.slice(0, 19).replace('T', ' ')}</td>
                  <td class="mono small">
                    {[
                      e.entry.order && `order ${e.entry.order.slice(0, 12)}…`,
                      e.entry.fields?.join(','),
                      e.entry.reason,
                      e.entry.action,
                      e.entry.subject,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </td>
                  <td class="num">{e.proof.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
