/** A party's accountability report as a PDF in Chinese: what it took, against what its job needs, and its leads. */
import { KIND_ZH } from '../shared/kinds.ts';
import { beijing, startReport } from '../shared/pdf.ts';
import type { Anomaly, Profile } from './accountability.ts';
import type { KeyUse } from './keys.ts';
import { LEADS_NOTICE } from './reasons.ts';

const FIELD_ZH: Record<string, string> = {
  order_no: '订单号（别名）',
  item: '商品',
  price: '价格',
  quantity: '数量',
  time: '时间',
  name: '姓名',
  phone: '电话',
  phone_masked: '电话（打码）',
  address: '地址',
  region: '地区',
};

/** What the report covers beyond the profile. */
export interface PartyReportMeta {
  since: string;
  until: string;
  /** Its place among the leads of the caller's reach (1 = first), or null when it is not among them. */
  rank: number | null;
  leads: number;
  /** The API keys its entries name, with their minters. */
  keys?: readonly KeyUse[];
  generatedAt?: Date;
}

/** Renders a party's report (on the PDF thread). */
export function partyReportPdf(p: Profile, lead: Anomaly | null, meta: PartyReportMeta): Promise<Buffer> {
  const r = startReport(
    '参与方数据取用问责报告',
    `${p.name}（${KIND_ZH[p.kind] ?? p.kind}）· 北京时间 ${beijing(meta.since)} 至 ${beijing(meta.until)} · 生成于 ${beijing((meta.generatedAt ?? new Date()).toISOString())} · Gatekeeper 守门人`,
  );
  r.strong(LEADS_NOTICE.zh);

  r.heading('一、基本情况');
  r.para(`参与方编号 ${p.party}，所属组织 ${p.org}。本期分配给它的订单约 ${Math.round(p.need)} 个（账号按所属组织的订单平均分摊）。`);

  r.heading('二、取用概况');
  r.para(
    `查看订单 ${p.views} 次（其中未分配给它的订单 ${p.unassignedViews} 次），试图查看未分配订单被拒 ${p.refused} 次；解密 ${p.decrypts} 次（其中无登记工单 ${p.decryptsWithoutTicket} 次，另有 ${p.wrongTickets} 次因工单号不符被拒）；导出清单 ${p.exports} 次，共 ${p.exportedOrders} 个订单（北京时间 0–6 点 ${p.oddHourExports} 次）。`,
  );
  const fields = Object.entries(p.fields).sort((a, b) => b[1] - a[1]);
  r.para(`取得的字段：${fields.length === 0 ? '无' : fields.map(([f, n]) => `${FIELD_ZH[f] ?? f} ${n} 次`).join('，')}。`);
  const keys = meta.keys ?? [];
  if (keys.length > 0) {
    r.para('所用 API 密钥（由他方签发的密钥，签发方也见过，相应记录也可能是签发方所为）：');
    for (const k of keys) r.small(k.zh);
  }

  r.heading('三、按日（北京时间）');
  if (p.days.length === 0) r.para('本期无记录。');
  for (const d of p.days)
    r.small(`${d.day}：查看 ${d.views}，解密 ${d.decrypts}，导出订单 ${d.exports}，当日分配订单约 ${Math.round(d.need)}`);
  r.heading('四、按时段（北京时间，查看与解密）');
  r.small(
    p.hours
      .map((n, h) => [n, h] as const)
      .filter(([n]) => n > 0)
      .map(([n, h]) => `${String(h).padStart(2, '0')} 时 ${n}`)
      .join('；') || '无',
  );

  r.heading('五、异常线索');
  if (lead === null) r.para('本期没有达到线索门槛（每项原因在基线下出现的概率不超过 1%）的异常。');
  else {
    r.para(`线索得分 ${lead.score.toFixed(1)}（各原因 −log10 概率之和），在本期 ${meta.leads} 条线索中排第 ${meta.rank ?? '-'} 位。原因：`);
    lead.reasons.forEach((x, i) => {
      r.strong(`${i + 1}. ${x.zh}（在基线下出现的概率约 10^${x.log10P.toFixed(1)}）`);
    });
  }
  r.small(
    '说明：同类比较以本期同类参与方（本人除外）为基线；自身历史以本期此前各日按当日分配订单折算；诈骗来电信号取自受害人案件所涉订单的共同经手方检验（L4）。数据来自账本中的发放、解密与导出记录，可凭账本包含证明逐条核对。',
  );
  r.small(LEADS_NOTICE.en);
  return r.finish();
}
