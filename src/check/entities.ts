/**
 * Entity extraction: the numbers, links, accounts, amounts, apps and order details a text contains.
 * Everything runs on normalised text; offsets are mapped back to the original input.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { gated, presence, type GatedRegExp } from './gate.ts';
import { originalSpan, type Normalized } from './normalize.ts';

export type EntityType = 'phone' | 'url' | 'bank_card' | 'amount' | 'qq' | 'wechat' | 'app' | 'order_id' | 'item';

/** One extracted entity, with its span in the original text. */
export interface Entity {
  type: EntityType;
  value: string;
  start: number;
  end: number;
  /** Extra facts about the entity (phone kind, international prefix, app category...). */
  tags?: string[];
}

const VIRTUAL_MOBILE_PREFIXES = /^(?:162|165|167|170|171)/;
const CN_MOBILE = /^(?:\+86|0086)?(1[3-9]\d{9})$/;
const PHONE_RE = /(?<![\d.])(?:\+|00)?\d[\d-]{5,17}\d(?!\d)/g;
const TLDS =
  'com|cn|net|top|xyz|vip|cc|co|me|info|shop|site|online|club|ink|icu|org|link|ly|app|live|fun|pro|wang|work|tk|ml|ga|cf|gq|io|asia|biz|ru|su|pw|ws|win|bid|loan|men|cyou|sbs|bond|lol|cam|im|gd|gl|uk|hk|tw|us|de|help|support|click|rest|today|world|store|life|cloud|zip|mobi';
const URL_RE = gated(
  new RegExp(
    `(?:https?:\\/\\/|www\\.)[^\\s,，。、;；"'<>()（）\\u4e00-\\u9fff]+|(?<![a-z0-9@.])(?:[a-z0-9-]{1,40}\\.)+(?:${TLDS})(?![a-z])(?::\\d{2,5})?(?:\\/[^\\s,，。、;；"'<>\\u4e00-\\u9fff]*)?|(?<![\\d.])(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{2,5})?(?:\\/[^\\s,，。、;；"'<>\\u4e00-\\u9fff]*)?(?![\\d.])`,
    'g',
  ),
);
const AMOUNT_RE = gated(
  /(?:[¥￥]\s?\d+(?:,\d{3})*(?:\.\d+)?(?:万)?|\d+(?:,\d{3})*(?:\.\d+)?\s?(?:万元|万块|元|块钱|块|rmb)|[一二两三四五六七八九十百千万]{1,8}(?:元|块钱|块))/g,
);
const QQ_RE = gated(/qq(?:号|号码)?\s*(?:是|为|:)?\s*([1-9]\d{4,11})(?!\d)/g);
const WECHAT_RE = gated(/微信(?:号)?\s*(?:是|为|:)?\s*([a-z][a-z0-9_-]{5,19}|1\d{10})(?![a-z0-9_-])/g);
const ORDER_RE = gated(/(?:订单号|订单编号|单号|运单号)\s*(?:是|为|:)?\s*([a-z0-9]{6,24})(?![a-z0-9])/g);
const ITEM_RE = gated(
  /(?:购买|买|下单|订购|拍下)(?:了|的)(?:一[件台双个条部套盒份款])?(?:的)?([\u4e00-\u9fffa-z0-9]{2,14}?)(?:存在|有|出现|因为|因|被|质量|,|。|!|\?|\s)/g,
);

/** Apps with a category: meeting and remote-control apps are how scammers see a victim's screen. */
const APPS: ReadonlyArray<readonly [GatedRegExp, string]> = [
  [gated(/腾讯会议|钉钉|飞书|zoom|向日葵|todesk|teamviewer|anydesk|会议宝|小鱼易连|瞩目|云视讯/g), 'remote'],
  [gated(/花呗|借呗|白条|金条|微粒贷|京东金融|360借条|美团借钱|度小满|招联金融|安逸花|分期乐/g), 'credit'],
  [gated(/支付宝|云闪付|微信支付|数字人民币|银联/g), 'payment'],
  [gated(/淘宝|天猫|京东|拼多多|抖音|快手|唯品会|苏宁|闲鱼|美团|饿了么|得物|小红书|当当|亚马逊/g), 'platform'],
];

/** Every gated pattern, so a test can check that no gate skips a text the pattern matches. */
export const GATED_PATTERNS: readonly GatedRegExp[] = [URL_RE, AMOUNT_RE, QQ_RE, WECHAT_RE, ORDER_RE, ITEM_RE, ...APPS.map(([g]) => g)];

function luhn(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

function add(out: Entity[], n: Normalized, type: EntityType, value: string, s: number, e: number, tags?: string[]): void {
  const [start, end] = originalSpan(n, s, e);
  out.push(tags ? { type, value, start, end, tags } : { type, value, start, end });
}

function phoneOrCard(out: Entity[], n: Normalized): void {
  for (const m of n.text.matchAll(PHONE_RE)) {
    const raw = m[0];
    const digits = raw.replace(/\D/g, '');
    const s = m.index;
    const e = s + raw.length;
    const before = n.text.slice(Math.max(0, s - 6), s);
    if (digits.length >= 15 && digits.length <= 19 && !raw.includes('-') && (luhn(digits) || digits.startsWith('62'))) {
      add(out, n, 'bank_card', digits, s, e);
      continue;
    }
    if (/订单|单号|编号|验证码|码/.test(before)) continue;
    const international = /^(?:\+|00)/.test(raw) && !/^(?:\+|00)86/.test(raw);
    const tags: string[] = [];
    if (international) tags.push('international');
    if (SERVICE_RE.test(digits)) {
      add(out, n, 'phone', digits, s, e, ['service']);
      continue;
    }
    // Mainland mobiles by shape, as canonicalPhone takes them: the common case, without the parser's cost.
    const cn = CN_MOBILE.exec(raw);
    if (cn) {
      const national = cn[1] as string;
      add(out, n, 'phone', `+86${national}`, s, e, VIRTUAL_MOBILE_PREFIXES.test(national) ? ['mobile', 'virtual_operator'] : ['mobile']);
      continue;
    }
    const parsed = parsePhoneNumberFromString(raw.replace(/^00/, '+'), 'CN');
    if (!parsed?.isValid()) {
      if (international) add(out, n, 'phone', raw, s, e, tags);
      continue;
    }
    const kind = parsed.getType();
    if (kind) tags.push(kind.toLowerCase());
    if (parsed.countryCallingCode === '86' && VIRTUAL_MOBILE_PREFIXES.test(parsed.nationalNumber)) tags.push('virtual_operator');
    add(out, n, 'phone', parsed.number, s, e, tags);
  }
}

const SERVICE_RE = /^(?:(?:400|800)\d{7}|95\d{3,4}|1(?:00|23)\d{2,3}|106\d{5,17})$/;

/**
 * The form phone entities take: service numbers (95xxx, 400/800, 100xx, 123xx, 106 SMS ports) as bare digits, other valid
 * numbers in E.164; undefined for anything that is not a valid number. Registries store numbers in this form.
 */
export function canonicalPhone(raw: string): string | undefined {
  const t = raw.trim().replace(/[\s()-]/g, '');
  if (!/^(?:\+|00)?\d{3,17}$/.test(t)) return undefined;
  const digits = t.replace(/^\+|^00/, '');
  if (SERVICE_RE.test(digits)) return digits;
  // Mainland mobiles by shape, as the order schema accepts them (libphonenumber lags new ranges).
  const cn = /^(?:86)?(1[3-9]\d{9})$/.exec(digits);
  if (cn && (t.startsWith('+86') || t.startsWith('0086') || digits.length === 11)) return `+86${cn[1] as string}`;
  const parsed = parsePhoneNumberFromString(t.replace(/^00/, '+'), 'CN');
  return parsed?.isValid() ? parsed.number : undefined;
}

const SUSPICIOUS_TLD =
  /\.(?:top|xyz|vip|icu|cc|club|ink|work|wang|fun|live|site|online|shop|pro|tk|ml|ga|cf|gq|pw|ws|win|bid|loan|men|cyou|sbs|bond|lol|cam|ru|su|help|support|click|rest|today|zip|mobi)$/;
/** Link shorteners: the real address is hidden, so phishing texts use them (brands' own short hosts excluded). */
const SHORTENERS = new Set([
  't.cn',
  'dwz.cn',
  'url.cn',
  'suo.im',
  'suo.nz',
  '3.cn',
  'bit.ly',
  'tinyurl.com',
  'is.gd',
  'goo.gl',
  'ow.ly',
  'rebrand.ly',
  'cutt.ly',
  't.co',
  's.id',
  'u.nu',
  'dwz.win',
  'w.url.cn',
  'sohu.gg',
]);

/** Official domains of platforms, banks, carriers and couriers that phishing links imitate (registrable part). */
const OFFICIAL_DOMAINS = [
  'taobao.com',
  'tb.cn',
  'tmall.com',
  'jd.com',
  'pinduoduo.com',
  'yangkeduo.com',
  'alipay.com',
  'icbc.com.cn',
  'ccb.com',
  'abchina.com',
  'boc.cn',
  'bankofchina.com',
  'bankcomm.com',
  'cmbchina.com',
  'psbc.com',
  'spdb.com.cn',
  'pingan.com',
  'cmbc.com.cn',
  'citicbank.com',
  'cib.com.cn',
  'cebbank.com',
  '10086.cn',
  '10010.com',
  '189.cn',
  'chinamobile.com',
  'chinaunicom.com',
  '12306.cn',
  'sf-express.com',
  'cainiao.com',
  'douyin.com',
  'unionpay.com',
  '95516.com',
  'qq.com',
  'weixin.qq.com',
  'meituan.com',
  'suning.com',
  'vip.com',
  'apple.com',
  'icloud.com',
  'paypal.com',
  'amazon.com',
  'microsoft.com',
  'netflix.com',
  'hsbc.com',
  'hsbc.com.hk',
  'royalmail.com',
  'fedex.com',
  'ups.com',
  'dhl.com',
  'usps.com',
  'coinbase.com',
  'binance.com',
  'docusign.com',
  'docusign.net',
  'chase.com',
  'post.gov.tw',
  'cathaybk.com.tw',
  'ctbcbank.com',
  'taipower.com.tw',
  'fetc.net.tw',
  '7-11.com.tw',
  'shopee.tw',
];
/** Brand names from the official domains, and the short names a look-alike may stitch in as a whole label piece. */
const BRAND_NAMES = OFFICIAL_DOMAINS.map((d) => d.split('.')[0] as string).filter((b) => b.length >= 5);
const SHORT_BRANDS = new Set([
  'icbc',
  'ccb',
  'abc',
  'boc',
  'cmb',
  'psbc',
  'spdb',
  'jd',
  'tb',
  'sf',
  'etc',
  'pdd',
  'zfb',
  'tmall',
  'unionpay',
  '95588',
  '95533',
  '95555',
  '95599',
  '95566',
  'hsbc',
  'ups',
  'dhl',
  'usps',
  'chase',
  'gov',
  'irs',
  'ctbc',
  'cathay',
  'mvdis',
  'fetc',
  '711',
]);

/** Registrable part of a host: the last two labels, three under second-level suffixes such as com.cn. */
export function registrable(host: string): string {
  const labels = host.split('.');
  const n = labels.length;
  const second = labels[n - 2] ?? '';
  const take = n >= 3 && /^(?:com|net|org|gov|edu|co|ac)$/.test(second) && (labels[n - 1] ?? '').length === 2 ? 3 : 2;
  return labels.slice(-take).join('.');
}

/** Letters and digits that look alike, folded to one form: paypa1 and paypal compare equal. */
function unconfuse(s: string): string {
  return s.replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/0/g, 'o').replace(/[1|]/g, 'l').replace(/5/g, 's');
}

/** Edit distance of at most one between two strings. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** True when the host is an official domain of a known brand or under it, or a government site. */
function isOfficial(host: string): boolean {
  return /\.gov(?:\.(?:cn|tw|hk|uk))?$/.test(host) || OFFICIAL_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
}

/**
 * Link signs: cheap top-level domains, shorteners, raw IP addresses, APK downloads, and look-alikes of a
 * known brand (its name stitched into another domain, or one edit or homoglyph away from it).
 */
function linkTags(value: string): string[] {
  const rest = value.replace(/^https?:\/\//, '');
  const host = (rest.split(/[/?#]/)[0] ?? '').split(':')[0]?.replace(/^www\./, '') ?? '';
  const tags: string[] = [];
  if (/\.apk(?:$|[?#])/.test(rest)) tags.push('apk');
  if (/^(?:\d{1,3}\.){3}\d{1,3}$/.test(host)) {
    tags.push('raw_ip');
    return tags;
  }
  if (isOfficial(host)) {
    tags.push('official');
    return tags;
  }
  if (SUSPICIOUS_TLD.test(host)) tags.push('suspicious_tld');
  if (SHORTENERS.has(host) || SHORTENERS.has(registrable(host))) tags.push('short_link');
  const reg = registrable(host);
  const name = reg.split('.')[0] ?? '';
  const pieces = host.split(/[.-]/);
  const plain = unconfuse(name);
  if (
    BRAND_NAMES.some((b) => host.includes(b) || (name !== b && (plain === b || (b.length >= 6 && withinOneEdit(plain, b))))) ||
    (pieces.some((p) => SHORT_BRANDS.has(p)) && /[-\d]/.test(host.replace(/\.\w+$/, '')))
  )
    tags.push('lookalike');
  return tags;
}

function simple(out: Entity[], n: Normalized, g: GatedRegExp, type: EntityType, group: 0 | 1): void {
  if (!presence.allows(g)) return;
  for (const m of n.text.matchAll(g.re)) {
    const value = m[group] ?? m[0];
    const s = group === 1 ? m.index + m[0].lastIndexOf(value) : m.index;
    add(out, n, type, value, s, s + value.length);
  }
}

/** Extracts every entity the engine knows about from normalised text. */
export function extractEntities(n: Normalized): Entity[] {
  const out: Entity[] = [];
  const t = n.text;
  presence.load(t);
  if (/\d{6}/.test(t)) phoneOrCard(out, n);
  if (presence.allows(URL_RE)) {
    for (const m of t.matchAll(URL_RE.re)) {
      const tags = linkTags(m[0]);
      if (tags.length) add(out, n, 'url', m[0], m.index, m.index + m[0].length, tags);
      else add(out, n, 'url', m[0], m.index, m.index + m[0].length);
    }
  }
  simple(out, n, AMOUNT_RE, 'amount', 0);
  simple(out, n, QQ_RE, 'qq', 1);
  simple(out, n, WECHAT_RE, 'wechat', 1);
  simple(out, n, ORDER_RE, 'order_id', 1);
  simple(out, n, ITEM_RE, 'item', 1);
  for (const [g, category] of APPS) {
    if (!presence.allows(g)) continue;
    for (const m of t.matchAll(g.re)) add(out, n, 'app', m[0], m.index, m.index + m[0].length, [category]);
  }
  return out.sort((a, b) => a.start - b.start);
}
