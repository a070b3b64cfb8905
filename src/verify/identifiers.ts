/** Canonical forms of numbers, accounts and domains, so a registry entry, a report and a text match exactly. */
import { z } from 'zod';
import { canonicalPhone, hostOf, REPUTATION_KINDS, type ReputationKind } from '../check/index.ts';

/** What an organisation registers as its official channels. `name` is what consumers hear it called. */
export const CHANNEL_KINDS = ['phone', 'sms', 'account', 'domain', 'name'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const HOST_RE = /^(?=.{3,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$/;
const EMAIL_RE = /^[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,200}\.[a-z]{2,24}$/;

/** A domain from a URL or a bare host, or undefined. */
export function canonicalDomain(raw: string): string | undefined {
  const host = hostOf(raw.trim());
  return HOST_RE.test(host) ? host : undefined;
}

/** The canonical form of a registered channel, or undefined when it is not one of its kind. */
export function canonicalChannel(kind: ChannelKind, raw: string): string | undefined {
  const t = raw.trim();
  switch (kind) {
    case 'phone':
    case 'sms':
      return canonicalPhone(t);
    case 'domain':
      return canonicalDomain(t);
    case 'account':
    case 'name': {
      const v = t.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
      return v.length >= 2 && v.length <= 60 ? v : undefined;
    }
  }
}

/** The canonical form of a reported identifier, or undefined. */
export function canonicalIdentifier(kind: ReputationKind, raw: string): string | undefined {
  const t = raw.trim().normalize('NFKC').toLowerCase();
  switch (kind) {
    case 'phone':
      return canonicalPhone(t);
    case 'bank_card': {
      const d = t.replace(/[\s-]/g, '');
      return /^\d{12,19}$/.test(d) ? d : undefined;
    }
    case 'alipay':
      return EMAIL_RE.test(t) ? t : canonicalPhone(t);
    case 'wechat':
      return /^[a-z][a-z0-9_-]{5,19}$/.test(t) ? t : canonicalPhone(t);
    case 'qq':
      return /^[1-9]\d{4,11}$/.test(t) ? t : undefined;
    case 'domain':
      return canonicalDomain(t);
  }
}

/** A zod schema for `{kind, value}` that canonicalises the value or names the field it rejects. */
export const identifierSchema = z
  .strictObject({ kind: z.enum(REPUTATION_KINDS), value: z.string().min(1).max(200) })
  .transform((v, ctx) => {
    const value = canonicalIdentifier(v.kind, v.value);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `not a valid ${v.kind}` });
      return z.NEVER;
    }
    return { kind: v.kind, value };
  });

/** How a reported identifier is shown in lists: enough to recognise, not enough to reuse. */
export function maskIdentifier(kind: ReputationKind, value: string): string {
  if (kind === 'domain') return value;
  if (kind === 'bank_card') return `${value.slice(0, 6)}******${value.slice(-4)}`;
  if (/^\d{3,6}$/.test(value)) return value;
  const at = value.indexOf('@');
  if (at > 0) return `${value.slice(0, 1)}***${value.slice(at)}`;
  if (value.length <= 6) return `${value.slice(0, 1)}***`;
  if (value.startsWith('+86')) return `${value.slice(0, 6)}****${value.slice(-4)}`;
  return `${value.slice(0, 3)}****${value.slice(-4)}`;
}
