/** Per-link accountability: the ranked leads of the caller's reach with their reasons, and one party's taking over time. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { LEADS_NOTICE } from '../../../src/supervise/browser.ts';
import { download, get } from '../api.ts';
import { Chart } from './chart.tsx';
import { C, type Lang } from './i18n.ts';

interface Reason {
  code: string;
  zh: string;
  en: string;
  log10P: number;
}
/** An API key a party's entries name, and who minted it. */
interface KeyUse {
  id: string;
  seen_by: { id: string; name: string }[];
  zh: string;
  en: string;
}
interface Lead {
  rank: number;
  party: { id: string; name: string; kind: string; org: string };
  score: number;
  reasons: Reason[];
  keys: KeyUse[];
}
interface Leads {
  since: string;
  until: string;
  parties: number;
  anomalies: Lead[];
}
interface Profile {
  party: { id: string; name: string; kind: string };
  need: number;
  views: number;
  unassigned_views: number;
  refused_attempts: number;
  decrypts: number;
  decrypts_without_ticket: number;
  exports: number;
  exported_orders: number;
  odd_hour_exports: number;
  days: { day: string; views: number; decrypts: number; exports: number; need: number }[];
  hours: number[];
  peers: { parties: number; records_per_order: number };
  keys: KeyUse[];
}

/** One alert of the caller's webhooks, as the feed lists it. */
interface Alert {
  id: string;
  kind: string;
  payload: { party?: { name: string; kind: string }; score?: number; flag?: { party: { name: string; kind: string } } };
  created_at: string;
  attempts: number;
  delivered_at: string | null;
  last_status: number | null;
}

const WINDOWS = [7, 30, 92] as const;

/** The accountability tab. */
export function Accountability({ lang, token }: { lang: Lang; token: string }) {
  const t = C[lang];
  const [days, setDays] = useState<(typeof WINDOWS)[number]>(7);
  const [leads, setLeads] = useState<Leads | null>(null);
  const [failed, setFailed] = useState(false);
  const [open, setOpen] = useState<{ profile: Profile; lead: Lead | null } | null>(null);
  const since = useMemo(() => new Date(Date.now() - days * 86_400_000).toISOString(), [days]);
  useEffect(() => {
    setLeads(null);
    setOpen(null);
    void get<Leads>(`/api/v1/supervision/anomalies?since=${encodeURIComponent(since)}&limit=200`, token).then((r) => {
      setFailed(!r.ok);
      if (r.ok) setLeads(r.data);
    });
  }, [since, token]);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  useEffect(() => {
    void get<{ alerts: Alert[] }>('/api/v1/supervision/alerts?limit=50', token).then((r) => {
      if (r.ok) setAlerts(r.data.alerts);
    });
  }, [token]);
  const show = async (id: string): Promise<void> => {
    const r = await get<{ profile: Profile; lead: Lead | null }>(
      `/api/v1/supervision/parties/${id}?since=${encodeURIComponent(since)}`,
      token,
    );
    if (r.ok) setOpen(r.data);
  };
  const byDay = open && {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t.acct.views, t.acct.decrypts, t.acct.exported, t.acct.need] },
    grid: { left: 48, right: 16, top: 40, bottom: 28 },
    xAxis: { type: 'category', data: open.profile.days.map((d) => d.day) },
    yAxis: { type: 'value' },
    series: [
      { name: t.acct.views, type: 'bar', stack: 'took', data: open.profile.days.map((d) => d.views) },
      { name: t.acct.decrypts, type: 'bar', stack: 'took', data: open.profile.days.map((d) => d.decrypts) },
      { name: t.acct.exported, type: 'bar', data: open.profile.days.map((d) => d.exports) },
      { name: t.acct.need, type: 'line', data: open.profile.days.map((d) => Math.round(d.need)) },
    ],
  };
  const byHour = open && {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 28 },
    xAxis: { type: 'category', data: open.profile.hours.map((_, h) => String(h)) },
    yAxis: { type: 'value' },
    series: [
      {
        name: t.acct.records,
        type: 'bar',
        data: open.profile.hours.map((n, h) => ({ value: n, itemStyle: { color: h < 6 ? '#b71c1c' : '#5470c6' } })),
      },
    ],
  };
  return (
    <div class="grid">
      <section class="card wide">
        <p class="leads-notice" role="note" data-testid="leads-notice">
          {LEADS_NOTICE[lang]}
        </p>
        <label for="window">{t.acct.window}</label>{' '}
        <select
          id="window"
          value={days}
          onChange={(e) => {
            setDays(Number(e.currentTarget.value) as (typeof WINDOWS)[number]);
          }}
        >
          {WINDOWS.map((d) => (
            <option key={d} value={d}>
              {t.acct.days(d)}
            </option>
          ))}
        </select>
        {failed && <p class="bad">{t.error}</p>}
        {leads && <p class="small">{t.acct.summary(leads.parties, leads.anomalies.length)}</p>}
        {leads && leads.anomalies.length === 0 && <p>{t.acct.noLeads}</p>}
        {leads && leads.anomalies.length > 0 && (
          <table data-testid="leads">
            <thead>
              <tr>
                <th class="num">#</th>
                <th>{t.name}</th>
                <th class="num">{t.acct.score}</th>
                <th>{t.acct.reasons}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {leads.anomalies.map((a) => (
                <tr key={a.party.id}>
                  <td class="num">{a.rank}</td>
                  <td>
                    {t.kind(a.party.kind)} {a.party.name}
                    <div class="mono small">{a.party.id}</div>
                  </td>
                  <td class="num">{a.score.toFixed(1)}</td>
                  <td>
                    <ul class="reasons">
                      {a.reasons.map((r) => (
                        <li key={r.code}>{r[lang]}</li>
                      ))}
                      {a.keys
                        .filter((k) => k.seen_by.length > 0)
                        .map((k) => (
                          <li key={k.id} class="key-minter" data-testid="key-minter">
                            {k[lang]}
                          </li>
                        ))}
                    </ul>
                  </td>
                  <td>
                    <button type="button" onClick={() => void show(a.party.id)}>
                      {t.open}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {alerts.length > 0 && (
        <section class="card wide" data-testid="alerts">
          <h2>{t.acct.alerts}</h2>
          <table>
            <thead>
              <tr>
                <th>{t.created}</th>
                <th>{t.entryKind}</th>
                <th>{t.name}</th>
                <th>{t.status}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => {
                const who = a.payload.party ?? a.payload.flag?.party;
                return (
                  <tr key={a.id}>
                    <td>{a.created_at.slice(0, 16).replace('T', ' ')}</td>
                    <td>{a.kind === 'lead' ? t.acct.alertLead(a.payload.score ?? 0) : t.acct.alertFlag}</td>
                    <td>{who ? `${t.kind(who.kind)} ${who.name}` : ''}</td>
                    <td>{t.acct.delivery(a.delivered_at !== null, a.attempts, a.last_status)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      {open && byDay && byHour && (
        <section class="card wide" data-testid="party-profile">
          <h2>
            {t.kind(open.profile.party.kind)} {open.profile.party.name}
          </h2>
          <p class="small">{t.acct.profile(open.profile)}</p>
          {open.lead && (
            <ul class="reasons">
              {open.lead.reasons.map((r) => (
                <li key={r.code}>{r[lang]}</li>
              ))}
            </ul>
          )}
          {open.profile.keys.length > 0 && (
            <ul class="small" data-testid="party-keys">
              {open.profile.keys.map((k) => (
                <li key={k.id}>{k[lang]}</li>
              ))}
            </ul>
          )}
          <h3>{t.acct.perDay}</h3>
          <Chart option={byDay} label={t.acct.perDay} />
          <h3>{t.acct.perHour}</h3>
          <Chart option={byHour} height={200} label={t.acct.perHour} />
          <button
            type="button"
            onClick={() =>
              void download(
                `/api/v1/supervision/parties/${open.profile.party.id}/report.pdf?since=${encodeURIComponent(since)}`,
                token,
                `accountability-${open.profile.party.id}.pdf`,
              )
            }
          >
            {t.pdf}
          </button>
        </section>
      )}
    </div>
  );
}
