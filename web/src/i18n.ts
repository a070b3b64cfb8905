/** The page's own strings; verdict texts come from the API in both languages. */
export type Lang = 'zh' | 'en';

export const STRINGS = {
  zh: {
    title: '守门人 · 防骗检测',
    lead: '收到自称"客服"的电话、短信或聊天？把内容粘贴到这里，马上看看有没有诈骗风险。',
    textLabel: '短信、聊天记录或通话内容（也可以只填号码或链接）',
    placeholder: '例如：您好，我是淘宝客服，您购买的商品有质量问题，我们给您三倍赔偿……',
    callerLabel: '来电或发送号码（可选）',
    submit: '检测',
    checking: '检测中…',
    levels: { high: '高风险', medium: '有风险', low: '低风险' },
    risk: '风险',
    found: '发现的问题',
    advice: '建议',
    empty: '请先粘贴要检测的内容',
    error: '检测失败，请稍后再试',
    footer: '不信、不点、不给。被骗请立即拨打 110 或 96110。内容只用于本次检测，不会保存。',
    switchTo: 'English',
  },
  en: {
    title: 'Gatekeeper · Scam check',
    lead: 'Got a call, SMS or chat from "customer service"? Paste it here to see whether it is a scam.',
    textLabel: 'SMS, chat or call transcript (or just a number or link)',
    placeholder:
      'e.g. Hello, this is Taobao customer service. The item you bought has a quality problem; we will pay you triple compensation…',
    callerLabel: 'Number that called or sent it (optional)',
    submit: 'Check',
    checking: 'Checking…',
    levels: { high: 'High risk', medium: 'Some risk', low: 'Low risk' },
    risk: 'risk',
    found: 'What we found',
    advice: 'What to do',
    empty: 'Paste something to check first',
    error: 'The check failed, please try again',
    footer:
      'Do not trust, do not click, do not pay. If you were scammed call 110 or 96110 now. Your text is used for this check only and not stored.',
    switchTo: '中文',
  },
} as const;
