/** The police-ready case report (报案材料) as a PDF in Chinese: facts, time line, accounts, evidence with hashes and ledger proofs. */
import type { Custody } from '../custody/index.ts';
import { beijing, startReport } from '../shared/pdf.ts';
import { canonicalIdentifier } from '../verify/index.ts';
import { getCase } from './intake.ts';

const METHOD: Record<string, string> = { bank: '银行转账', alipay: '支付宝', wechat: '微信', other: '其他' };
const ACCOUNT: Record<string, string> = { bank_card: '银行卡', alipay: '支付宝', wechat: '微信', qq: 'QQ' };

/** An account as entered, shown in canonical form so it can be searched (spaces and dashes dropped). */
const acct = (kind: 'bank_card' | 'alipay' | 'wechat' | 'qq', value: string): string => canonicalIdentifier(kind, value) ?? value;
const yuan = (x: number): string => `${x.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;

/** Renders case `id` with inclusion proofs for the case entry and each evidence entry in the latest checkpoint. */
export async function casePdf(c: Custody, id: string): Promise<Buffer> {
  const k = await getCase(c, id);
  const f = k.facts;
  const checkpoint = await c.ledger.checkpoint();
  const r = startReport('电信网络诈骗报案材料', `案件编号 ${k.id} · 提交时间 ${beijing(k.createdAt)}（北京时间）· Gatekeeper 守门人`);
  const { heading: h, para: p, small } = r;

  p(
    '如果你刚刚被骗：立即拨打 110 或 96110 报警，并联系转出银行或支付平台申请紧急止付；保留对方号码、收款账户和转账凭证，不要删除聊天记录和通话记录。',
  );

  h('一、报案人');
  p(`姓名：${f.victim.name ?? '（未填写）'}`);
  p(`联系电话：${f.victim.phone ?? '（未填写）'}`);
  if (f.victim.region) p(`所在地区：${f.victim.region}`);

  h('二、案情经过');
  p(`对方自称：${f.claimed ?? '（未填写）'}；首次联系时间：${beijing(f.contacted_at)}`);
  p(f.narrative);

  h('三、时间线');
  const events = [
    { at: f.contacted_at, what: '对方首次联系' },
    ...f.timeline,
    ...f.transfers.map((t) => ({ at: t.at, what: `转出 ${yuan(t.amount_yuan)}（${METHOD[t.method] ?? t.method}）` })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const e of events) p(`${beijing(e.at)}  ${e.what}`);

  h('四、诈骗方号码、账户与链接');
  if (f.scammer.numbers.length === 0 && f.scammer.accounts.length === 0 && f.scammer.links.length === 0) p('（未填写）');
  for (const n of f.scammer.numbers) p(`电话：${n}`);
  for (const a of f.scammer.accounts)
    p(`${ACCOUNT[a.kind] ?? a.kind}：${acct(a.kind, a.value)}${a.holder ? `，户名 ${a.holder}` : ''}${a.bank ? `，${a.bank}` : ''}`);
  for (const l of f.scammer.links) p(`链接：${l}`);

  h('五、转账记录');
  if (f.transfers.length === 0) p('无。');
  f.transfers.forEach((t, i) => {
    const to = t.to
      ? `，收款 ${ACCOUNT[t.to.kind] ?? t.to.kind} ${acct(t.to.kind, t.to.value)}${t.to.holder ? `（${t.to.holder}）` : ''}`
      : '';
    p(
      `${i + 1}. ${beijing(t.at)} ${yuan(t.amount_yuan)}，${METHOD[t.method] ?? t.method}${to}${t.reference ? `，凭证号 ${t.reference}` : ''}`,
    );
  });
  p(`损失合计：${yuan(k.lossYuan)}`);

  h('六、对方掌握的订单信息');
  const q = f.quoted;
  const quoted = [
    q.item && `商品 ${q.item}`,
    q.price && `价格 ${q.price}`,
    q.order_time && `下单时间 ${q.order_time}`,
    q.order_tail && `订单号尾号 ${q.order_tail}`,
    q.address && `地址 ${q.address}`,
  ].filter(Boolean);
  p(quoted.length ? `对方说出了：${quoted.join('；')}` : '（未填写）');
  if (q.text) p(`原话：${q.text}`);
  p(
    k.orderId
      ? '已关联到平台订单：平台和监管部门可据此核查该订单经手各方的访问记录（见防篡改账本），追查信息泄露环节。'
      : '未关联到平台订单。',
  );

  h('七、证据清单');
  if (k.evidence.length === 0) p('无。');
  for (const [i, e] of k.evidence.entries()) {
    const proof = await c.ledger.inclusion(e.ledgerIndex);
    p(`${i + 1}. ${e.name}（${e.mime}，${(e.size / 1024).toFixed(1)} KB，提交于 ${beijing(e.createdAt)}）`);
    small(`SHA-256：${e.sha256}`);
    small(`账本第 ${e.ledgerIndex} 条（树大小 ${proof.size}），包含证明：${proof.proof.join(' ') || '（单条）'}`);
  }

  h('八、防篡改证明');
  const caseProof = await c.ledger.inclusion(k.ledgerIndex);
  p(
    `本案提交时，案情内容的加盐哈希承诺 ${k.commitment} 写入了防篡改账本（RFC 9162 默克尔树）第 ${k.ledgerIndex} 条；每份证据的 SHA-256 也各占一条。任何人可用下方签名检查点和包含证明验证这些记录在提交后未被改动。`,
  );
  small(`案件条目包含证明（树大小 ${caseProof.size}）：${caseProof.proof.join(' ') || '（单条）'}`);
  small('签名检查点（C2SP signed note）：');
  small(checkpoint);
  return r.finish();
}
