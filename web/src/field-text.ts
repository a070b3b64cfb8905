/** The server names a refused field by its path (`scammer.accounts.0.value`); the form says it in the reader's words. */
import type { Lang } from './i18n.ts';

const FIELDS: Record<string, { zh: string; en: string }> = {
  victim: { zh: '你的信息', en: 'Your details' },
  name: { zh: '姓名', en: 'name' },
  phone: { zh: '手机号', en: 'phone' },
  region: { zh: '所在地区', en: 'region' },
  claimed: { zh: '对方自称', en: 'Who they claimed to be' },
  contacted_at: { zh: '对方第一次联系你的时间', en: 'When they first contacted you' },
  scammer: { zh: '对方', en: 'The scammer' },
  numbers: { zh: '电话号码', en: 'number' },
  accounts: { zh: '账户', en: 'account' },
  links: { zh: '链接', en: 'link' },
  kind: { zh: '类型', en: 'type' },
  value: { zh: '账号', en: 'account number' },
  transfers: { zh: '转账', en: 'Transfer' },
  at: { zh: '时间', en: 'time' },
  amount_yuan: { zh: '金额', en: 'amount' },
  method: { zh: '方式', en: 'method' },
  to: { zh: '收款账户', en: 'receiving account' },
  reference: { zh: '流水号', en: 'receipt number' },
  timeline: { zh: '关键时间', en: 'Timeline' },
  what: { zh: '事件', en: 'event' },
  quoted: { zh: '对方说出的订单信息', en: 'What they quoted' },
  order_tail: { zh: '订单号尾号', en: 'order number tail' },
  order: { zh: '订单', en: 'Order' },
  platform_order_id: { zh: '订单号', en: 'order number' },
  narrative: { zh: '经过', en: 'What happened' },
  evidence: { zh: '证据文件', en: 'Evidence file' },
  consent: { zh: '同意', en: 'Consent' },
  case: { zh: '报案内容', en: 'The report' },
  '(body)': { zh: '提交的内容', en: 'The submission' },
};

/** Server messages a reader meets, in Chinese; anything else reads as "not valid". */
const MESSAGES_ZH: [RegExp, string][] = [
  [/^not a valid (\w+)/, '格式不对'],
  [/required|expected .* received undefined/i, '必须填写'],
  [/too (big|long)|at most|<=?\s*\d|maximum/i, '太长或太多'],
  [/too small|at least|>=?\s*\d|minimum/i, '太短或太少'],
  [/date|datetime|iso/i, '时间格式不对'],
  [/larger than/i, '文件太大'],
  [/disguised|not an accepted|type/i, '文件类型不支持（只收图片、录音和PDF）'],
];

/** One refused field as the reader should read it: `scammer.accounts.0.value` becomes 对方 · 第1个账户 · 账号. */
export function fieldText(field: string, message: string, lang: Lang): string {
  const parts: string[] = [];
  const segs = field.split('.');
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as string;
    const next = segs[i + 1];
    const label = FIELDS[seg];
    if (next !== undefined && /^\d+$/.test(next)) {
      const n = Number(next) + 1;
      const what = label?.[lang] ?? seg;
      parts.push(lang === 'zh' ? `第${String(n)}个${what}` : `${what} ${String(n)}`);
      i++;
    } else if (!/^\d+$/.test(seg)) parts.push(label?.[lang] ?? seg);
  }
  const where = parts.join(' · ');
  if (lang === 'en') return `${where}: ${message}`;
  const zh = MESSAGES_ZH.find(([re]) => re.test(message))?.[1] ?? '填写不正确';
  return `${where}：${zh}`;
}
