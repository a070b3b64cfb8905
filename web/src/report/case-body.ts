/** The case the report form sends: the shape POST /api/v1/cases reads. */
import type { Account, Fields, Moment, Transfer } from './form-state.ts';

const lines = (s: string): string[] =>
  s
    .split(/[\n,，;；]/)
    .map((x) => x.trim())
    .filter(Boolean);
const iso = (local: string): string => new Date(local).toISOString();

/** The case as JSON, leaving out what was left empty. */
export function caseBody(f: Fields, accounts: readonly Account[], events: readonly Moment[], transfers: readonly Transfer[]) {
  return {
    victim: { ...(f.name ? { name: f.name } : {}), ...(f.phone ? { phone: f.phone } : {}), ...(f.region ? { region: f.region } : {}) },
    ...(f.claimed ? { claimed: f.claimed } : {}),
    contacted_at: iso(f.contactedAt),
    scammer: { numbers: lines(f.numbers), accounts: accounts.filter((a) => a.value.trim()), links: lines(f.links) },
    timeline: events.filter((x) => x.at && x.what.trim()).map((x) => ({ at: iso(x.at), what: x.what.trim() })),
    transfers: transfers
      .filter((x) => x.at && x.amount)
      .map((x) => ({
        at: iso(x.at),
        amount_yuan: Number(x.amount),
        method: x.method,
        ...(x.toValue ? { to: { kind: x.toKind, value: x.toValue } } : {}),
      })),
    quoted: { ...(f.quotedText ? { text: f.quotedText } : {}), ...(f.orderTail ? { order_tail: f.orderTail } : {}) },
    ...(f.orderNo ? { order: { platform_order_id: f.orderNo } } : {}),
    narrative: f.narrative,
    consent: true,
  };
}
