/** Investigate: upload a leaked dump, see who is accused (channel, bound, evidence, proofs) and the suspects; download the evidence PDF. */
import { useState } from 'preact/hooks';
import { download, post } from '../api.ts';
import { C, pow10, type Lang } from './i18n.ts';
import { Alert } from '../alert.tsx';

interface Accusation {
  party: string;
  kind: string;
  name: string;
  channel: string;
  log10Bound: number;
  evidence: Record<string, string | number>;
  proofs: Array<{ order: string; index: number; size: number; proof: string[] }>;
}
interface Investigation {
  records: number;
  mapped: { alias: number; address: number; time: number };
  log10Threshold: number;
  accused: Accusation[];
  suspects: Array<{ party: string; kind: string; name: string; channel: string; log10Bound: number }>;
}

/** The investigate tab. */
export function Investigate({ lang, token }: { lang: Lang; token: string }) {
  const t = C[lang];
  const [dump, setDump] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [inv, setInv] = useState<Investigation | null>(null);
  const pick = async (e: Event): Promise<void> => {
    const f = (e.currentTarget as HTMLInputElement).files?.[0];
    if (f) setDump(await f.text());
  };
  const run = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError('');
    const r = await post<Investigation>('/api/v1/trace/dump', { dump }, token);
    setBusy(false);
    if (r.ok) setInv(r.data);
    else setError(`${t.error}: ${r.fields.join('; ') || String(r.status)}`);
  };
  const mapped = inv ? inv.mapped.alias + inv.mapped.address + inv.mapped.time : 0;
  return (
    <div class="grid">
      <section class="card wide">
        <form
          onSubmit={(e) => {
            void run(e);
          }}
        >
          <label for="dump">{t.dumpLabel}</label>
          <textarea
            id="dump"
            rows={8}
            value={dump}
            onInput={(e) => {
              setDump(e.currentTarget.value);
            }}
          />
          <label for="dump-file">{t.dumpFile}</label>
          <input id="dump-file" type="file" accept=".csv,.txt,.jsonl,.json,text/*" onChange={(e) => void pick(e)} />
          <button type="submit" disabled={busy || !dump.trim()}>
            {busy ? t.running : t.run}
          </button>
          <Alert message={error} />
        </form>
      </section>
      {inv && (
        <section class="card wide" data-testid="investigation">
          <p>{t.records(inv.records, mapped)}</p>
          <h2>{t.accused}</h2>
          {inv.accused.length === 0 && <p>{t.none}</p>}
          {inv.accused.map((a) => (
            <div class="accused" key={a.party}>
              <h3>
                {t.kind(a.kind)} {a.name} <span class="mono">{a.party}</span>
              </h3>
              <p>
                {t.channel}: {a.channel} · {t.bound} ≤ {pow10(a.log10Bound)}
              </p>
              <p class="mono small">
                {Object.entries(a.evidence)
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(' · ')}
              </p>
              <details>
                <summary>
                  {t.proofs} ({a.proofs.length})
                </summary>
                <ul class="mono small">
                  {a.proofs.slice(0, 20).map((p) => (
                    <li key={p.index}>
                      #{p.index} / {p.size}: {p.proof.slice(0, 2).join(' ')}…
                    </li>
                  ))}
                </ul>
              </details>
            </div>
          ))}
          <h2>{t.suspects}</h2>
          <ol>
            {inv.suspects.slice(0, 10).map((s) => (
              <li key={s.party}>
                {t.kind(s.kind)} {s.name} · {s.channel} · {pow10(s.log10Bound)}
              </li>
            ))}
          </ol>
          <button
            type="button"
            class="primary"
            onClick={() =>
              void download('/api/v1/trace/dump-report', token, 'evidence-report.pdf', {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ dump }),
              })
            }
          >
            {t.pdf}
          </button>
        </section>
      )}
    </div>
  );
}
