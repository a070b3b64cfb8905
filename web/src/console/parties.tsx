/** Parties and how many views each received. */
import { useEffect, useState } from 'preact/hooks';
import { KIND_ZH } from '../../../src/shared/kinds.ts';
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

/** The parties tab. */
export function Parties({ lang, token }: { lang: Lang; token: string }) {
  const t = C[lang];
  const [kind, setKind] = useState('station');
  const [rows, setRows] = useState<Row[]>([]);
  useEffect(() => {
    void get<{ parties: Row[] }>(`/api/v1/parties?limit=2000${kind ? `&kind=${kind}` : ''}`, token).then((r) => {
      if (r.ok) setRows(r.data.parties);
    });
  }, [kind, token]);
  return (
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
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
