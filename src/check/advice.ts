/** Advice in Chinese and English, naming exactly the asks and traps that were found. */
import { ASK_TEXT, type AskId, type Text2, type TrapId } from './labels.ts';

export type Level = 'high' | 'medium' | 'low';

/** Advice lines in both languages. */
export interface Advice {
  zh: string[];
  en: string[];
}

const HEADLINE: Record<Level, [string, string]> = {
  high: [
    '高风险：这很可能是诈骗。立即停止操作，挂断电话，不要回复。',
    'High risk: this is very likely a scam. Stop, hang up and do not reply.',
  ],
  medium: ['有风险：含有常见诈骗特征，请先核实再做任何操作。', 'Some risk: it has common scam signs. Verify before you do anything.'],
  low: ['未发现明显诈骗特征。仍请牢记：不信、不点、不给。', 'No clear scam signs found. Still: do not trust, do not click, do not pay.'],
};

/** The low-risk headline when something was found all the same: it never says "no signs" next to a listed danger. */
const LOW_WITH_FINDINGS: [string, string] = [
  '风险较低，但有下列需要留意的地方。不信、不点、不给。',
  'Lower risk, but note what is listed below. Do not trust, do not click, do not pay.',
];

const MONEY_ASKS: ReadonlySet<AskId> = new Set(['code', 'card', 'personal']);
const CLICK_ASKS: ReadonlySet<AskId> = new Set(['link', 'qr', 'app', 'screen']);

/**
 * Builds the advice for a verdict; `facts` are registry and reputation findings, each said in full; `noted`: the
 * verdict shows other findings (highlighted cues, channel signs), so a low headline must not say "no signs".
 */
export function buildAdvice(
  level: Level,
  traps: readonly TrapId[],
  asks: readonly AskId[],
  facts: readonly Text2[] = [],
  noted = false,
): Advice {
  const [hz, he] =
    level === 'low' && (noted || traps.length > 0 || asks.length > 0 || facts.length > 0) ? LOW_WITH_FINDINGS : HEADLINE[level];
  const zh = [hz, ...facts.map((f) => `${f.zh}。`)];
  const en = [he, ...facts.map((f) => `${f.en}.`)];
  for (const a of asks) {
    const t = ASK_TEXT[a];
    zh.push(`对方${t.zh}：${t.never.zh}。`);
    en.push(`It ${t.en}: ${t.never.en}.`);
  }
  if (traps.includes('benefit') || traps.includes('credit') || traps.includes('identity')) {
    zh.push('不要相信电话里的退款、赔偿、注销会员或"影响征信"的说法；请自己打开官方App或拨打官方客服电话核实。');
    en.push(
      'Do not trust refund, compensation, cancel-membership or "credit record" talk on a call; open the official app yourself or call the official number.',
    );
  }
  if (traps.includes('information')) {
    zh.push('对方能说出你的订单信息，只说明信息已泄露，不能证明对方是客服。');
    en.push('Knowing your order details only shows the data leaked; it does not prove the caller is customer service.');
  }
  if (asks.some((a) => MONEY_ASKS.has(a))) {
    zh.push('任何情况下都不要说出银行卡号、验证码或密码。');
    en.push('Never give anyone card numbers, verification codes or passwords.');
  }
  if (asks.some((a) => CLICK_ASKS.has(a))) {
    zh.push('不要点击陌生链接、扫描付款码或下载对方指定的软件。');
    en.push('Do not click unknown links, scan payment codes or install apps the caller names.');
  }
  if (asks.includes('off_platform')) {
    zh.push('售后只在平台内处理，不要加对方QQ/微信。');
    en.push('After-sales stays on the platform; do not add the caller on QQ/WeChat.');
  }
  if (level === 'high') {
    zh.push('如果已经转账或泄露信息：立即拨打110或96110报警，保留对方号码、收款账户和转账凭证。');
    en.push(
      "If money already left or you gave details: call 110 or 96110 now, and keep the caller's number, the receiving accounts and the transfer receipts.",
    );
  }
  return { zh, en };
}
