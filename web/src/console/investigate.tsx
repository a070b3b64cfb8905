/**
 * Investigate: paste a leaked dump or choose its file (sent as bytes, so the server reads GBK and UTF-16 too),
 * see how it was read and mapped, who is accused (channel, bound, evidence, proofs) and the suspects; download
 * the evidence PDF.
 */
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
interface DumpReport {
  encoding: string;
  bom: boolean;
  format: string;
  header: { line: number; columns: Array<{ header: string; field: string | null; status: string }> } | null;
  records: number;
  mapped: number;
  mappedBy: Record<string, number>;
  notMapped: number;
  reasons: Array<{ reason: string; count: number; lines: number[] }>;
  warnings: Array<{ code: string; message: string }>;
}
interface Investigation {
  records: number;
  report: DumpReport;
  log10Threshold: number;
  accused: Accusation[];
  suspects: Array<{ party: string; kind: string; name: string; channel: string; log10Bound: number }>;
}

/** The investigate tab. */
export function Investigate({ lang, token }: { lang: Lang; token: string }) {
  const t = C[lang];
  const [dump, setDump] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [inv, setInv] = useState<Investigation | null>(null);
  const pick = (e: Event): void => {
    setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null);
  };
  /** The request body: the chosen file's bytes as they are, else the pasted text. */
  const body = (extra: Record<string, string> = {}): FormData | Record<string, string> => {
    if (!file) return { dump, ...extra };
    const form = new FormData();
    form.append('file', file);
    for (const [k, v] of Object.entries(extra)) form.append(k, v);
    return form;
  };
  const run = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError('');
    const r = await post<Investigation>('/api/v1/trace/dump', body(), token);
    setBusy(false);
    if (r.ok) setInv(r.data);
    else setError(`${t.error}: ${r.fields.join('; ') || String(r.status)}`);
  };
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
          <input id="dump-file" type="file" accept=".csv,.tsv,.txt,.jsonl,.json,text/*" onChange={pick} />
          {file && <p class="small">{t.dumpFileChosen(file.name, file.size)}</p>}
          <button type="submit" disabled={busy || (!file && !dump.trim())}>
            {busy ? t.running : t.run}
          </button>
          <Alert message={error} />
        </form>
      </section>
      {inv && (
        <section class="card wide" data-testid="investigation">
          <MappingReport lang={lang} report={inv.report} />
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
                ...(file
                  ? { body: body() as FormData }
                  : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body()) }),
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

/** How the dump was read and mapped: a warning when nothing maps, the header, and why records were left out. */
function MappingReport({ lang, report: r }: { lang: Lang; report: DumpReport }) {
  const t = C[lang];
  const serious = r.warnings.filter((w) => w.code === 'nothing_mapped' || w.code === 'empty' || w.code === 'binary_file');
  const notes = r.warnings.filter((w) => !serious.includes(w));
  return (
    <div data-testid="mapping-report">
      {serious.map((w) => (
        <Alert key={w.code} message={t.warning(w.code, w.message)} />
      ))}
      <p>{t.records(r.records, r.mapped)}</p>
      <p class="small">
        {t.readAs(r.encoding, r.bom, r.format)} ·{' '}
        {Object.entries(r.mappedBy)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${t.mappedVia(k)} ${String(n)}`)
          .join(' · ')}
      </p>
      {r.header && (
        <p class="small">
          {t.header(r.header.line)}: {r.header.columns.map((c) => `${c.header} → ${c.field ?? t.columnStatus(c.status)}`).join(' · ')}
        </p>
      )}
      {r.notMapped > 0 && (
        <details open={r.mapped === 0}>
          <summary>{t.notMapped(r.notMapped)}</summary>
          <ul class="small">
            {r.reasons.map((x) => (
              <li key={x.reason}>
                {t.notMappedReason(x.reason)}: {x.count} ({t.lines} {x.lines.join(', ')}
                {x.count > x.lines.length ? ', …' : ''})
              </li>
            ))}
          </ul>
        </details>
      )}
      {notes.map((w) => (
        <p class="small" key={w.code}>
          {t.warning(w.code, w.message)}
        </p>
      ))}
    </div>
  );
}
