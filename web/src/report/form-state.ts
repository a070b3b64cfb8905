/** What the report form holds while the victim fills it in. */
import type { Lang, STRINGS } from '../i18n.ts';

/** The report page's strings in one language. */
export type ReportText = (typeof STRINGS)[Lang]['report'];

/** The kinds of account money can be sent to. */
export type AccountKind = 'bank_card' | 'alipay' | 'wechat' | 'qq';
/** How a transfer was paid. */
export type TransferMethod = 'bank' | 'alipay' | 'wechat' | 'other';

/** One transfer to the scammer, as typed. */
export interface Transfer {
  at: string;
  amount: string;
  method: TransferMethod;
  toKind: AccountKind;
  toValue: string;
}
/** One of the scammer's accounts. */
export interface Account {
  kind: AccountKind;
  value: string;
}
/** One moment of the timeline. */
export interface Moment {
  at: string;
  what: string;
}

/** The form's plain text fields. */
export const EMPTY_FIELDS = {
  claimed: '',
  contactedAt: '',
  narrative: '',
  numbers: '',
  links: '',
  quotedText: '',
  orderTail: '',
  orderNo: '',
  name: '',
  phone: '',
  region: '',
};
/** The text fields' values. */
export type Fields = typeof EMPTY_FIELDS;
/** Gives the input handler that keeps one text field. */
export type FieldSetter = (k: keyof Fields) => (e: Event) => void;

/** A transfer row before anything is typed. */
export const emptyTransfer = (): Transfer => ({ at: '', amount: '', method: 'bank', toKind: 'bank_card', toValue: '' });

/** `xs` with row `i` changed by `patch`. */
export const patchAt = <T>(xs: readonly T[], i: number, patch: Partial<T>): T[] => xs.map((x, j) => (j === i ? { ...x, ...patch } : x));
