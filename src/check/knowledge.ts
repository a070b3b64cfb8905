/**
 * What the registry and the reputation store know, handed to `check` by its caller: the engine stays pure
 * and offline, and the server looks facts up before calling it. Each fact becomes a channel sign with its
 * reason in both languages.
 */
import type { Entity } from './entities.ts';
import { ASK_TEXT, type AskId, type Text2 } from './labels.ts';

/** A registered organisation as the engine sees it: the names a text may use for it and its channels. */
export interface Brand {
  party: string;
  /** Display name, e.g. 淘宝. */
  display: string;
  /** Lower-case names a text may use (淘宝, 天猫, taobao). */
  names: readonly string[];
  /** Registered phone numbers and SMS senders in `canonicalPhone` form. */
  phones: ReadonlySet<string>;
  /** Registered domains; a host equal to one or under it is official. */
  domains: readonly string[];
  /** Asks its staff never make. */
  never: readonly AskId[];
}

/** Reputation of one number, account or domain. */
export interface Reputation {
  kind: ReputationKind;
  value: string;
  /** Decayed weighted report count. */
  score: number;
  reports: number;
  lastAt: string;
}

/** What can be reported. */
export const REPUTATION_KINDS = ['phone', 'bank_card', 'alipay', 'wechat', 'qq', 'domain'] as const;
export type ReputationKind = (typeof REPUTATION_KINDS)[number];

/** Facts for one check. `reputation` is keyed by `reputationKey`. */
export interface Knowledge {
  brands: readonly Brand[];
  reputation: ReadonlyMap<string, Reputation>;
}

/** A reputation score at or above this is a known scam identifier; above zero it is "reported". */
export const KNOWN_SCAM_SCORE = 3;

/** Weights, in log-odds, of what the knowledge adds. Official matches add nothing: caller ids can be spoofed. */
export const KNOWLEDGE_WEIGHTS = {
  unofficial_number: 1.2,
  unofficial_domain: 1.0,
  never_do: 0.6,
  known_scam: 2.0,
  reported: 0.8,
  official_number: 0,
  official_domain: 0,
} as const;

/** A sign derived from knowledge, with its reason and where in the text it is (if it is in the text). */
export interface KnowledgeSign extends Text2 {
  id: keyof typeof KNOWLEDGE_WEIGHTS;
  weight: number;
  spans: Array<[number, number]>;
}

/** The key of an identifier in `Knowledge.reputation`. */
export function reputationKey(kind: ReputationKind, value: string): string {
  return `${kind}:${value}`;
}

/** Host of a URL entity, lower case, without `www.`. */
export function hostOf(url: string): string {
  return (url.replace(/^https?:\/\//i, '').split(/[/?#:]/)[0] ?? '').toLowerCase().replace(/^www\./, '');
}

/** Which identifiers in the entities (and the caller) reputation should be looked up for. */
export function reputationQueries(entities: readonly Entity[], caller: Entity | undefined): Array<{ kind: ReputationKind; value: string }> {
  const out = new Map<string, { kind: ReputationKind; value: string }>();
  const put = (kind: ReputationKind, value: string): void => void out.set(reputationKey(kind, value), { kind, value });
  for (const e of caller ? [...entities, caller] : entities) {
    if (e.type === 'phone') {
      put('phone', e.value);
      put('alipay', e.value);
      put('wechat', e.value);
    } else if (e.type === 'bank_card') put('bank_card', e.value);
    else if (e.type === 'qq') put('qq', e.value);
    else if (e.type === 'wechat') put('wechat', e.value.toLowerCase());
    else if (e.type === 'url') put('domain', hostOf(e.value));
  }
  return [...out.values()];
}

const KIND_TEXT: Record<ReputationKind, Text2> = {
  phone: { zh: '号码', en: 'number' },
  bank_card: { zh: '银行卡', en: 'bank card' },
  alipay: { zh: '支付宝账户', en: 'Alipay account' },
  wechat: { zh: '微信账户', en: 'WeChat account' },
  qq: { zh: 'QQ号', en: 'QQ account' },
  domain: { zh: '网址', en: 'website' },
};

const underDomain = (host: string, domains: readonly string[]): boolean => domains.some((d) => host === d || host.endsWith(`.${d}`));

/** The brands a text names (by any registered name). `lowered` is the normalised, lower-case text. */
export function claimedBrands(lowered: string, k: Knowledge): Brand[] {
  return k.brands.filter((b) => b.names.some((n) => n.length > 0 && lowered.includes(n)));
}

interface SignInput {
  lowered: string;
  entities: readonly Entity[];
  caller: Entity | undefined;
  /** The text claims to be customer service (identity trap). */
  claimsCs: boolean;
  asks: readonly AskId[];
}

function sign(id: KnowledgeSign['id'], zh: string, en: string, spans: Array<[number, number]> = []): KnowledgeSign {
  return { id, zh, en, weight: KNOWLEDGE_WEIGHTS[id], spans };
}

function numberSigns(x: SignInput, brands: readonly Brand[], out: KnowledgeSign[]): void {
  const withPhones = brands.filter((b) => b.phones.size > 0);
  if (withPhones.length === 0) return;
  const names = withPhones.map((b) => b.display).join('/');
  const official = withPhones.flatMap((b) => [...b.phones].slice(0, 3)).join('、');
  const isOfficial = (v: string): boolean => withPhones.some((b) => b.phones.has(v));
  const bad: Array<[number, number]> = [];
  let callerBad = false;
  if (x.caller && x.claimsCs) {
    if (isOfficial(x.caller.value))
      out.push(
        sign(
          'official_number',
          `来电号码是${names}登记的官方号码，但来电显示可以伪造：请挂断后自己拨打官方号码或在App内核实`,
          `The number is registered by ${names}, but caller ids can be spoofed: hang up and call the official number yourself, or check in the app`,
        ),
      );
    else callerBad = true;
  }
  if (x.claimsCs) for (const e of x.entities) if (e.type === 'phone' && !isOfficial(e.value)) bad.push([e.start, e.end]);
  if (callerBad || bad.length > 0)
    out.push(
      sign(
        'unofficial_number',
        `自称${names}客服，但号码不是${names}登记的官方号码（官方号码：${official}）`,
        `Claims to be ${names} customer service, but the number is not one ${names} registered (official: ${official})`,
        bad,
      ),
    );
}

function domainSigns(x: SignInput, brands: readonly Brand[], all: readonly Brand[], out: KnowledgeSign[]): void {
  const withDomains = brands.filter((b) => b.domains.length > 0);
  const urls = x.entities.filter((e) => e.type === 'url');
  if (urls.length === 0) return;
  const bad: Array<[number, number]> = [];
  const good: string[] = [];
  for (const u of urls) {
    const host = hostOf(u.value);
    const owner = all.find((b) => underDomain(host, b.domains));
    if (owner) good.push(owner.display);
    else if (withDomains.length > 0) bad.push([u.start, u.end]);
  }
  if (bad.length > 0) {
    const names = withDomains.map((b) => b.display).join('/');
    const official = withDomains.flatMap((b) => b.domains.slice(0, 3)).join('、');
    out.push(
      sign(
        'unofficial_domain',
        `提到${names}，但链接不是${names}登记的官方网址（官方：${official}）`,
        `Mentions ${names}, but the link is not a domain ${names} registered (official: ${official})`,
        bad,
      ),
    );
  } else if (good.length > 0) {
    const names = [...new Set(good)].join('/');
    out.push(
      sign(
        'official_domain',
        `链接属于${names}登记的官方网址；仍请从App内操作，不要在链接里输入密码或验证码`,
        `The link is on a domain ${names} registered; still act from inside the app and never type passwords or codes into a link`,
      ),
    );
  }
}

function neverSigns(x: SignInput, brands: readonly Brand[], out: KnowledgeSign[]): void {
  for (const b of brands) {
    const broken = x.asks.filter((a) => b.never.includes(a));
    if (broken.length === 0) continue;
    const zh = broken.map((a) => ASK_TEXT[a].zh).join('、');
    const en = broken.map((a) => ASK_TEXT[a].en.replace(/^asks/, 'ask')).join('; ');
    out.push(
      sign(
        'never_do',
        `${b.display}已登记声明其客服从不做这些事：${zh}。对方这样要求，就不是${b.display}的客服`,
        `${b.display} has registered that its staff never do this: ${en}. Whoever asks it is not ${b.display}`,
      ),
    );
  }
}

function reputationSigns(x: SignInput, k: Knowledge, out: KnowledgeSign[]): void {
  const seen = new Set<string>();
  const all = x.caller ? [...x.entities, x.caller] : x.entities;
  for (const q of reputationQueries(all, undefined)) {
    const r = k.reputation.get(reputationKey(q.kind, q.value));
    if (!r || r.score <= 0 || seen.has(reputationKey(r.kind, r.value))) continue;
    seen.add(reputationKey(r.kind, r.value));
    const spans: Array<[number, number]> = x.entities
      .filter((e) => (q.kind === 'domain' ? e.type === 'url' && hostOf(e.value) === q.value : e.value === q.value))
      .map((e) => [e.start, e.end]);
    const known = r.score >= KNOWN_SCAM_SCORE;
    const day = r.lastAt.slice(0, 10);
    const kt = KIND_TEXT[r.kind];
    out.push(
      known
        ? sign(
            'known_scam',
            `该${kt.zh}已被多名用户举报为诈骗（${r.reports}次，最近${day}）`,
            `This ${kt.en} has been reported as a scam by several people (${r.reports} reports, latest ${day})`,
            spans,
          )
        : sign(
            'reported',
            `该${kt.zh}曾被举报涉嫌诈骗（${r.reports}次，最近${day}）`,
            `This ${kt.en} has been reported as a possible scam (${r.reports} report(s), latest ${day})`,
            spans,
          ),
    );
  }
}

/** Every sign the knowledge gives for this text. */
export function knowledgeSigns(x: SignInput, k: Knowledge): KnowledgeSign[] {
  const out: KnowledgeSign[] = [];
  const brands = claimedBrands(x.lowered, k);
  if (brands.length > 0) {
    numberSigns(x, brands, out);
    domainSigns(x, brands, k.brands, out);
    neverSigns(x, brands, out);
  }
  reputationSigns(x, k, out);
  return out;
}
