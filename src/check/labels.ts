/** The vocabulary of findings: the four traps, the dangerous asks, channel signs and scam types, in zh and en. */

export const TRAPS = ['identity', 'information', 'benefit', 'credit'] as const;
export type TrapId = (typeof TRAPS)[number];

export const ASKS = [
  'code',
  'card',
  'personal',
  'transfer',
  'screen',
  'app',
  'link',
  'qr',
  'loan',
  'off_platform',
  'secrecy',
  'call',
  'urgency',
] as const;
export type AskId = (typeof ASKS)[number];

export const SCAM_TYPES = [
  'fake_cs',
  'police',
  'loan',
  'acquaintance',
  'investment',
  'part_time',
  'romance',
  'lottery',
  'kidnap',
  'phishing',
  'bank',
  'fraud_report',
] as const;
export type ScamTypeId = (typeof SCAM_TYPES)[number];

/** A finding's name and what it means, in both languages. */
export interface Text2 {
  zh: string;
  en: string;
}

export const TRAP_TEXT: Record<TrapId, Text2> = {
  identity: {
    zh: '身份陷阱：自称平台、商家或快递客服/理赔专员',
    en: 'Identity trap: claims to be platform, merchant or courier customer service',
  },
  information: {
    zh: '信息陷阱：报出订单信息（商品、时间、价格、单号、地址）骗取信任',
    en: 'Information trap: quotes your order details (item, time, price, number, address) to win trust',
  },
  benefit: {
    zh: '利益陷阱：以退款、双倍/三倍赔偿、理赔、返现为诱饵',
    en: 'Benefit trap: lures with a refund, double/triple compensation, a claim payout or cash back',
  },
  credit: {
    zh: '征信陷阱：以影响征信、会员扣费、注销贷款账户相威胁',
    en: 'Credit trap: threatens your credit record, membership fees or a loan account to be closed',
  },
};

/** Each ask with what it is and the matching "real customer service never ..." sentence. */
export const ASK_TEXT: Record<AskId, Text2 & { never: Text2 }> = {
  code: {
    zh: '索要验证码',
    en: 'asks for a verification code',
    never: { zh: '正规客服绝不会索要短信验证码', en: 'Real customer service never asks for an SMS verification code' },
  },
  card: {
    zh: '索要银行卡号、密码或有效期/CVV',
    en: 'asks for bank-card numbers, passwords or CVV',
    never: { zh: '正规客服绝不会索要银行卡号、密码', en: 'Real customer service never asks for card numbers or passwords' },
  },
  personal: {
    zh: '索要身份证号等个人信息',
    en: 'asks for ID number or other personal data',
    never: { zh: '正规客服不会在电话里索要身份证号', en: 'Real customer service never asks for your ID number on a call' },
  },
  transfer: {
    zh: '要求转账、缴纳保证金或转入"安全账户"',
    en: 'asks for a transfer, a deposit or money moved to a "safe account"',
    never: {
      zh: '正规客服绝不会要求转账、交保证金或转入"安全账户"',
      en: 'Real customer service never asks you to transfer money, pay a deposit or use a "safe account"',
    },
  },
  screen: {
    zh: '要求屏幕共享或使用会议/远程软件',
    en: 'asks to share your screen or join a meeting/remote-control app',
    never: {
      zh: '正规客服绝不会要求屏幕共享或下载会议软件',
      en: 'Real customer service never asks you to share your screen or join a meeting app',
    },
  },
  app: {
    zh: '要求下载安装App',
    en: 'asks you to download or install an app',
    never: { zh: '正规客服不会让你另外下载App处理退款', en: 'Real customer service never needs you to install another app' },
  },
  link: {
    zh: '要求点击链接',
    en: 'asks you to click a link',
    never: { zh: '正规退款无需点击陌生链接', en: 'A real refund never needs you to click an unknown link' },
  },
  qr: {
    zh: '要求扫描二维码',
    en: 'asks you to scan a QR code',
    never: { zh: '正规客服不会让你扫码收款或付款', en: 'Real customer service never asks you to scan a payment code' },
  },
  loan: {
    zh: '诱导贷款或借款',
    en: 'asks you to take a loan or borrow money',
    never: { zh: '正规客服绝不会让你贷款', en: 'Real customer service never asks you to take a loan' },
  },
  off_platform: {
    zh: '要求添加QQ/微信，离开平台私下处理',
    en: 'asks you to add QQ/WeChat and leave the platform',
    never: {
      zh: '正规客服只在平台内处理售后，不会让你加QQ/微信',
      en: 'Real customer service stays on the platform and never asks you to add QQ/WeChat',
    },
  },
  secrecy: {
    zh: '要求保密、不要告诉家人或银行',
    en: 'asks you to keep it secret from family or the bank',
    never: { zh: '正规机构不会要求你对家人和银行保密', en: 'No real organisation asks you to hide things from your family or bank' },
  },
  call: {
    zh: '要求拨打或回拨短信里的号码',
    en: 'asks you to call back a number it gives',
    never: {
      zh: '银行、运营商和平台的通知不会让你拨打短信里的陌生号码；请自己查官方电话',
      en: 'Banks, carriers and platforms never need you to call a number from a message; look up the official number yourself',
    },
  },
  urgency: {
    zh: '制造紧迫感，催你马上操作',
    en: 'pushes you to act right now',
    never: { zh: '正规客服不会逼你立刻操作', en: 'Real customer service never rushes you' },
  },
};

export const SCAM_TYPE_TEXT: Record<ScamTypeId, Text2> = {
  fake_cs: { zh: '冒充电商/快递客服诈骗', en: 'fake e-commerce or courier customer service scam' },
  police: { zh: '冒充公检法/政府机关诈骗', en: 'police, prosecutor or government impersonation' },
  loan: { zh: '虚假贷款/征信修复诈骗', en: 'fake loan or credit-repair scam' },
  acquaintance: { zh: '冒充领导、熟人诈骗', en: 'boss or acquaintance impersonation' },
  investment: { zh: '虚假投资理财诈骗', en: 'fake investment or "insider tips" scam' },
  part_time: { zh: '刷单返利/兼职诈骗', en: 'part-time job or order-brushing (刷单) scam' },
  romance: { zh: '网络交友诱导投资（杀猪盘）', en: 'romance-investment scam (杀猪盘)' },
  lottery: { zh: '虚假中奖/领奖诈骗', en: 'fake lottery or prize scam' },
  kidnap: { zh: '虚构绑架/亲人出事诈骗', en: 'fake kidnapping or relative-in-trouble scam' },
  phishing: { zh: '钓鱼短信/链接诈骗', en: 'phishing message or link' },
  bank: { zh: '冒充银行/金融机构诈骗', en: 'bank or financial-institution impersonation' },
  fraud_report: { zh: '诈骗案情描述', en: 'a description of a fraud case' },
};

export const CHANNEL_TEXT: Record<string, Text2> = {
  international: {
    zh: '来电号码带+00/00等境外前缀，正规客服不会用境外号码',
    en: 'the number has an international (+00/00) prefix; real customer service does not call from abroad',
  },
  private_mobile: {
    zh: '自称客服、银行或机构，却使用或留下个人手机号',
    en: 'claims to be customer service, a bank or an institution but uses or gives a private mobile number',
  },
  suspicious_link: {
    zh: '链接使用常被滥用的廉价域名（.top/.xyz/.vip等）',
    en: 'the link uses a cheap domain often abused by scammers (.top/.xyz/.vip...)',
  },
  lookalike_link: {
    zh: '链接域名冒用银行、平台或快递的名称，并非官方网址',
    en: 'the link borrows a bank, platform or courier name but is not its official site',
  },
  short_link: {
    zh: '链接是短网址，看不出真实去向',
    en: 'the link is a shortened URL that hides where it goes',
  },
  raw_ip_link: {
    zh: '链接直接用IP地址而不是正规域名',
    en: 'the link is a bare IP address, not a proper domain',
  },
  apk_link: {
    zh: '链接直接下载安装包（APK），可能是木马或仿冒App',
    en: 'the link downloads an app package (APK) directly; it may be malware or a fake app',
  },
  virtual_operator: {
    zh: '来电为虚拟运营商号段（170/171/165等），常被诈骗利用',
    en: 'the number is on a virtual-operator range (170/171/165...) often used by scammers',
  },
};
