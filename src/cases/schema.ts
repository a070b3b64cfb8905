/** What a victim reports (报案), validated; identifiers are brought to canonical form or named as invalid. */
import { z } from 'zod';
import { canonicalPhone } from '../check/index.ts';
import { canonicalDomain, canonicalIdentifier } from '../verify/index.ts';

const iso = z.iso.datetime({ offset: true });
const ACCOUNT_KINDS = ['bank_card', 'alipay', 'wechat', 'qq'] as const;

const account = z.strictObject({
  kind: z.enum(ACCOUNT_KINDS),
  value: z.string().min(1).max(100),
  holder: z.string().max(50).optional().describe('the name the account showed'),
  bank: z.string().max(50).optional(),
});

/** A case as the victim (or someone helping them) submits it. */
export const caseInputSchema = z
  .strictObject({
    victim: z
      .strictObject({
        name: z.string().max(50).optional(),
        phone: z.string().max(40).optional().describe('how the police reach the victim'),
        region: z.string().max(60).optional(),
      })
      .default({}),
    claimed: z.string().max(60).optional().describe('who the scammer claimed to be, e.g. 淘宝客服'),
    contacted_at: iso.describe('when the scammer first made contact'),
    scammer: z
      .strictObject({
        numbers: z.array(z.string().max(40)).max(10).default([]),
        accounts: z.array(account).max(10).default([]),
        links: z.array(z.string().max(500)).max(10).default([]),
      })
      .default({ numbers: [], accounts: [], links: [] }),
    transfers: z
      .array(
        z.strictObject({
          at: iso,
          amount_yuan: z.number().positive().max(100_000_000),
          method: z.enum(['bank', 'alipay', 'wechat', 'other']),
          to: account.optional().describe('the receiving account'),
          reference: z.string().max(100).optional().describe('the transfer receipt number'),
        }),
      )
      .max(50)
      .default([]),
    timeline: z
      .array(z.strictObject({ at: iso, what: z.string().min(1).max(500) }))
      .max(100)
      .default([]),
    quoted: z
      .strictObject({
        text: z.string().max(2000).optional().describe('what the scammer said about the order'),
        order_tail: z
          .string()
          .regex(/^\d{4,19}$/, '4 to 19 digits')
          .optional(),
        item: z.string().max(100).optional(),
        price: z.string().max(30).optional(),
        order_time: z.string().max(40).optional(),
        address: z.string().max(200).optional(),
      })
      .default({}),
    order: z
      .strictObject({ platform_order_id: z.string().max(64) })
      .optional()
      .describe('the real order the scammer quoted'),
    narrative: z.string().min(10, 'describe what happened (at least 10 characters)').max(5000),
    consent: z.literal(true, { error: 'the victim must agree that the case goes to the police' }),
  })
  .superRefine((v, ctx) => {
    const bad = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    if (v.victim.phone !== undefined && !canonicalPhone(v.victim.phone)) bad(['victim', 'phone'], 'must be a valid phone number');
    v.scammer.numbers.forEach((n, i) => {
      if (!canonicalPhone(n)) bad(['scammer', 'numbers', i], 'must be a valid phone number');
    });
    v.scammer.links.forEach((l, i) => {
      if (!canonicalDomain(l)) bad(['scammer', 'links', i], 'must be a link or domain');
    });
    v.scammer.accounts.forEach((a, i) => {
      if (!canonicalIdentifier(a.kind, a.value)) bad(['scammer', 'accounts', i, 'value'], `not a valid ${a.kind}`);
    });
    v.transfers.forEach((t, i) => {
      if (t.to && !canonicalIdentifier(t.to.kind, t.to.value)) bad(['transfers', i, 'to', 'value'], `not a valid ${t.to.kind}`);
    });
  });

/** A validated case. */
export type CaseInput = z.output<typeof caseInputSchema>;
