/** Overview: ledger status and the three charts. */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.ts';
import { Chart } from './chart.tsx';
import { C, type Lang } from './i18n.ts';

interface Status {
  size: number;
  checkpoint: string;
  verify: { ok: boolean; checkpoints: number; problems: unknown[] };
}
interface Day {
  day: string;
  cases: number;
  lossYuan: number;
}
interface Node {
  name: string;
  kind: string;
  reports: number;
  log10P: number;
  escalate: boolean;
  children: Node[];
}

const toTree = (n: Node, lang: Lang): Record<string, unknown> => ({
  name: `${C[lang].kind(n.kind)} ${n.name}\n${String(n.reports)} · p=${n.log10P < -300 ? '0' : `1e${n.log10P.toFixed(1)}`}`,
  itemStyle: { color: n.escalate ? '#b71c1c' : '#0b5cad' },
  children: n.children.map((c) => toTree(c, lang)),
});

/** The overview tab. */
export function Overview({ lang, token, scopes }: { lang: Lang; token: string; scopes: readonly string[] }) {
  const t = C[lang];
  const can = (s: string): boolean => scopes.includes('admin') || scopes.includes(s);
  const [status, setStatus] = useState<Status | null>(null);
  const [days, setDays] = useState<Day[]>([]);
  const [byKind, setByKind] = useState<Record<string, number>>({});
  const [tree, setTree] = useState<Node[]>([]);
  useEffect(() => {
    if (can('ledger'))
      void get<Status>('/api/v1/ledger/status', token).then((r) => {
        if (r.ok) setStatus(r.data);
      });
    if (can('cases'))
      void get<{ days: Day[] }>('/api/v1/stats/cases', token).then((r) => {
        if (r.ok) setDays(r.data.days);
      });
    if (can('trace')) {
      void get<{ byKind: Record<string, number> }>('/api/v1/stats/leaks', token).then((r) => {
        if (r.ok) setByKind(r.data.byKind);
      });
      void get<{ roots: Node[] }>('/api/v1/stats/carrier-suspects', token).then((r) => {
        if (r.ok) setTree(r.data.roots);
      });
    }
  }, [token]);

  return (
    <div class="grid">
      {status && (
        <section class="card" data-testid="ledger-status">
          <h2>{t.ledger}</h2>
          <p>
            <strong>{status.size.toLocaleString()}</strong> {t.ledgerSize} ·{' '}
            <span class={status.verify.ok ? 'ok' : 'bad'}>{status.verify.ok ? t.verifyOk : t.verifyBad}</span>
          </p>
          <h3>{t.checkpoint}</h3>
          <pre class="note">{status.checkpoint}</pre>
        </section>
      )}
      {can('cases') && (
        <section class="card">
          <h2>{t.casesOverTime}</h2>
          {days.length === 0 ? (
            <p>{t.noData}</p>
          ) : (
            <Chart
              label={t.casesOverTime}
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                xAxis: { type: 'category', data: days.map((d) => d.day) },
                yAxis: [
                  { type: 'value', name: t.cases },
                  { type: 'value', name: t.loss },
                ],
                series: [
                  { type: 'bar', name: t.cases, data: days.map((d) => d.cases) },
                  { type: 'line', name: t.loss, yAxisIndex: 1, data: days.map((d) => d.lossYuan) },
                ],
              }}
            />
          )}
        </section>
      )}
      {can('trace') && (
        <section class="card">
          <h2>{t.leaksByKind}</h2>
          {Object.keys(byKind).length === 0 ? (
            <p>{t.noData}</p>
          ) : (
            <Chart
              label={t.leaksByKind}
              option={{
                tooltip: {},
                xAxis: { type: 'category', data: Object.keys(byKind).map((k) => t.kind(k)) },
                yAxis: { type: 'value', minInterval: 1 },
                series: [{ type: 'bar', data: Object.values(byKind), itemStyle: { color: '#b71c1c' } }],
              }}
            />
          )}
        </section>
      )}
      {can('trace') && (
        <section class="card wide">
          <h2>{t.suspectsTree}</h2>
          {tree.length === 0 ? (
            <p>{t.noData}</p>
          ) : (
            <Chart
              label={t.suspectsTree}
              height={360}
              option={{
                tooltip: {},
                series: [
                  {
                    type: 'tree',
                    data: [{ name: lang === 'zh' ? '快递链路' : 'carriers', children: tree.map((n) => toTree(n, lang)) }],
                    orient: 'LR',
                    label: { fontSize: 11, position: 'right' },
                    initialTreeDepth: 4,
                    top: 10,
                    bottom: 10,
                    left: 60,
                    right: 280,
                  },
                ],
              }}
            />
          )}
        </section>
      )}
    </div>
  );
}
