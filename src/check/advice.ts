/** Advice in Chinese and English, naming exactly the asks and traps that were found. */
import { ASK_TEXT, type AskId, type ScamTypeId, type Text2, type TrapId } from './labels.ts';

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

/** What to do about each scam type, said when the verdict names it. */
const TYPE_ADVICE: Partial<Record<ScamTypeId, Text2>> = {
  police: {
    zh: '公检法机关不会通过电话、微信办案，不会要求转账到"安全账户"；挂断后拨打110核实。',
    en: 'Police, prosecutors and courts never handle cases by phone or chat or ask for money in a "safe account"; hang up and call 110.',
  },
  loan: {
    zh: '正规贷款放款前不收任何保证金、手续费或"解冻费"，也不能"修复征信"。',
    en: 'A real lender never charges a deposit, fee or "unfreezing" charge before paying out, and nobody can "repair" a credit record.',
  },
  acquaintance: {
    zh: '自称熟人、领导或家人要钱时，先打对方原来的号码或当面核实，不要用对方给的新号码。',
    en: 'When a friend, boss or relative asks for money, call their old number or ask in person first; never use the new number they give.',
  },
  investment: {
    zh: '"内幕消息""稳赚不赔""老师带单"都是投资诈骗的说法；不要进群，不要在对方给的平台充值。',
    en: '"Insider tips", "guaranteed returns" and "teachers" who trade for you are investment-scam talk; do not join the group or pay into their platform.',
  },
  part_time: {
    zh: '刷单、点赞返利、先垫付的兼职都是诈骗；出租、出借银行卡和账户是违法的。',
    en: 'Jobs that pay for fake orders or likes, or make you pay first, are scams; renting out bank cards or accounts is a crime.',
  },
  romance: {
    zh: '网上认识的人推荐投资平台或要钱，基本都是"杀猪盘"，不要充值。',
    en: 'Someone you met online who recommends an investment platform or asks for money is almost always running a romance scam; do not pay.',
  },
  lottery: {
    zh: '领奖要先交手续费、税费的都是诈骗。',
    en: 'A prize that needs a fee or tax paid first is a scam.',
  },
  kidnap: {
    zh: '先直接联系家人本人或其老师、同事，同时拨打110，不要先转钱。',
    en: 'Reach the relative directly (or their school or workplace) and call 110 before paying anything.',
  },
  phishing: {
    zh: '不要点短信或邮件里的链接，也不要拨打里面的号码；从官方App、官网或卡背面的电话办理。',
    en: 'Do not open links or call numbers in the message; use the official app, website or the number on the back of your card.',
  },
  bank: {
    zh: '银行不会用短信链接让你更新"电子密码器"、解冻或提额；请拨打银行卡背面的官方电话核实。',
    en: 'Banks never ask you to update a security token, unfreeze a card or raise a limit through a link; call the number on the back of your card.',
  },
};

const MONEY_ASKS: ReadonlySet<AskId> = new Set(['code', 'card', 'personal']);
const CLICK_ASKS: ReadonlySet<AskId> = new Set(['link', 'qr', 'app', 'screen']);

/**
 * Builds the advice for a verdict; `facts` are registry and reputation findings, each said in full; `noted`: the
 * verdict shows other findings (highlighted cues, channel signs), so a low headline must not say "no signs";
 * `types`: the scam types named, each with what to do about it.
 */
export function buildAdvice(
  level: Level,
  traps: readonly TrapId[],
  asks: readonly AskId[],
  facts: readonly Text2[] = [],
  noted = false,
  types: readonly ScamTypeId[] = [],
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
  for (const t of types) {
    const a = TYPE_ADVICE[t];
    if (!a) continue;
    zh.push(a.zh);
    en.push(a.en);
  }
  if (level === 'high') {
    zh.push('如果已经转账或泄露信息：立即拨打110或96110报警，保留对方号码、收款账户和转账凭证。');
    en.push(
      "If money already left or you gave details: call 110 or 96110 now, and keep the caller's number, the receiving accounts and the transfer receipts.",
    );
  }
  return { zh, en };
}
