/** The sentence a consumer reads after verifying a caller, in both languages (shared by the CLI and the web page). */
import type { CallerVerdict } from './caller.ts';
import type { ContactPayload } from './contact-crypto.ts';
import { REASON_TEXT } from './reasons.ts';

/** The outcome: confirmed by a contact record, an official number without a record, or not official at all. */
export interface ContactAnswer {
  status: 'confirmed' | 'no_record' | 'not_official' | 'no_registry';
  zh: string;
  en: string;
}

const shanghai = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** Builds the answer from the public verdict and what the private lookup found. */
export function contactAnswer(v: CallerVerdict, found: readonly ContactPayload[]): ContactAnswer {
  const rep =
    v.reputation.level === 'none'
      ? { zh: '', en: '' }
      : {
          zh: `该号码已被举报${v.reputation.reports}次。`,
          en: ` This number has been reported ${v.reputation.reports} time(s).`,
        };
  const first = found[0];
  if (first) {
    const r: { zh: string; en: string } | undefined = (REASON_TEXT as Record<string, { zh: string; en: string }>)[first.reason];
    const tail = first.orderTail ? `，订单尾号${first.orderTail}` : '';
    const tailEn = first.orderTail ? `, order ending ${first.orderTail}` : '';
    return {
      status: 'confirmed',
      zh: `是的：${first.platform}（${first.agent}）于${shanghai(first.at)}用${first.number}联系过你，事由：${r?.zh ?? first.reason}${tail}。即便如此，退款和赔偿只在App内完成，任何人索要验证码、密码或要求转账都是诈骗。`,
      en: `Yes: ${first.platform} (${first.agent}) contacted you from ${first.number} at ${shanghai(first.at)} (Beijing time) about ${r?.en ?? first.reason}${tailEn}. Even so, refunds and compensation happen only in the app; anyone asking for codes, passwords or transfers is a scammer.`,
    };
  }
  if (v.official) {
    const name = v.official.party.name;
    return {
      status: 'no_record',
      zh: `没有记录：${name}在这段时间没有用${v.number}联系过你。来电显示可以伪造，请当作诈骗处理：挂断，打开${name}的App联系官方客服。${rep.zh}`,
      en: `No record: ${name} did not contact you from ${v.number} in that time. Caller ids can be spoofed, so treat it as a scam: hang up and contact ${name} through its app.${rep.en}`,
    };
  }
  // On a deployment where no platform has registered anything yet, "not official" would be said of every number.
  if (v.registered === 0)
    return {
      status: 'no_registry',
      zh: `这里还没有任何平台登记官方号码，所以无法判断${v.number}是不是官方号码。无论谁来电：退款和赔偿只在App内完成，索要验证码、密码或要求转账的都是诈骗；请挂断，自己打开平台App联系客服。${rep.zh}`,
      en: `No platform has registered its official numbers here yet, so whether ${v.number} is official cannot be told. Whoever calls: refunds and compensation happen only in the app, and anyone asking for codes, passwords or transfers is a scammer; hang up and contact the platform through its app.${rep.en}`,
    };
  return {
    status: 'not_official',
    zh: `没有记录：${v.number}不是任何平台登记的官方号码，请当作诈骗处理。不要回拨，不要提供验证码或转账。${rep.zh}`,
    en: `No record: ${v.number} is not an official number of any registered platform. Treat it as a scam: do not call back, give codes or transfer money.${rep.en}`,
  };
}

/** The answer before (or without) a contact lookup: who registered the number, if anyone. */
export function numberAnswer(v: CallerVerdict): { zh: string; en: string } {
  if (!v.official) return contactAnswer(v, []);
  const name = v.official.party.name;
  const label = v.official.label ? `（${v.official.label}）` : '';
  return {
    zh: `${v.number}是${name}登记的官方号码${label}。但来电显示可以伪造：要确认${name}是否真的联系过你，请查询联系记录，或挂断后自己打开${name}的App联系客服。`,
    en: `${v.number} is an official number registered by ${name}. Caller ids can be spoofed: to know whether ${name} really contacted you, look up the contact records, or hang up and contact ${name} through its app.`,
  };
}
