/** The plain words of each accountability reason, in Chinese and English (the API, the console and the PDF say the same). */

/** Why a party ranks. */
export type ReasonCode =
  | 'unassigned_views'
  | 'refused_attempts'
  | 'decrypt_without_ticket'
  | 'wrong_ticket_tries'
  | 'odd_hour_export'
  | 'volume_vs_peers'
  | 'org_volume_vs_peers'
  | 'volume_without_need'
  | 'volume_vs_history'
  | 'scam_reports';

type Values = Record<string, number | string>;

const TEXT: Record<ReasonCode, (v: Values) => { zh: string; en: string }> = {
  unassigned_views: (v) => ({
    zh: `查看了 ${v.n} 个从未分配给它的订单（共查看 ${v.of} 次）`,
    en: `viewed ${v.n} orders never assigned to it (of ${v.of} views)`,
  }),
  refused_attempts: (v) => ({
    zh: `${v.n} 次试图查看从未分配给它的订单（均被拒绝；其正常查看 ${v.of} 次）`,
    en: `tried ${v.n} times to view orders never assigned to it (refused; ${v.of} views of its own)`,
  }),
  decrypt_without_ticket: (v) => ({
    zh: `${v.n} 次解密没有平台登记的工单（共 ${v.of} 次；同类账号无工单比例约 ${v.peers}%）`,
    en: `${v.n} of ${v.of} decrypts without a registered ticket (peers of its kind: about ${v.peers}%)`,
  }),
  wrong_ticket_tries: (v) => ({
    zh: `${v.n} 次解密填写的工单号不是平台为该订单和该客服登记的工单（均被拒绝；成功解密 ${v.of} 次）`,
    en: `${v.n} decrypt tries named a ticket not registered for the order and agent (refused; ${v.of} decrypts)`,
  }),
  odd_hour_export: (v) => ({
    zh: `北京时间 0–6 点导出 ${v.n} 次（共导出 ${v.of} 次、${v.orders} 个订单；同类约 ${v.peers}% 在此时段）`,
    en: `${v.n} of ${v.of} exports between 0:00 and 6:00 Beijing time (${v.orders} orders in all; peers: about ${v.peers}%)`,
  }),
  volume_vs_peers: (v) => ({
    zh: `取用 ${v.n} 条订单数据；按分配给它的 ${v.need} 个订单，同类约取用 ${v.expected} 条`,
    en: `took ${v.n} order records; for the ${v.need} orders assigned to it, peers of its kind take about ${v.expected}`,
  }),
  org_volume_vs_peers: (v) => ({
    zh: `所属组织的账号共取用 ${v.org} 条订单数据，按其 ${v.need} 个订单同类组织约 ${v.expected} 条；本账号取用 ${v.n} 条`,
    en: `its organisation's accounts took ${v.org} order records, against about ${v.expected} at peer organisations for its ${v.need} orders; this account took ${v.n}`,
  }),
  volume_without_need: (v) => ({
    zh: `取用 ${v.n} 条订单数据，但分配给它的订单没有一笔下单于此期间或此前 15 天内（较早的预售、售后订单也会如此，请核实）`,
    en: `took ${v.n} order records while none of the orders assigned to it was placed in the window or the 15 days before it (older pre-sale or after-sale orders also do this: check)`,
  }),
  volume_vs_history: (v) => ({
    zh: `${v.day}（北京时间）取用 ${v.n} 条，按其自身此前的水平约 ${v.usual} 条`,
    en: `took ${v.n} records on ${v.day} (Beijing), against about ${v.usual} at its own earlier rate`,
  }),
  scam_reports: (v) => ({
    zh: `经它处理的订单中，${v.n} 位消费者后来报告诈骗来电，按其份额预期约 ${v.expected} 位`,
    en: `${v.n} consumers of orders it handled later reported scam calls, about ${v.expected} expected by its share`,
  }),
};

/** The reason's sentence in both languages. */
export function reasonText(code: ReasonCode, v: Values): { zh: string; en: string } {
  return TEXT[code](v);
}

/** What every answer, page and report says about the ranking. */
export const LEADS_NOTICE = {
  zh: '以下排序是线索，不是指控：它只说明某方的取用与其岗位需要、同类和自身历史相比异常，需由人核实原因。',
  en: 'These rankings are leads, not accusations: they say only that a party took more than its job, its peers or its own history suggest, and a person must look into why.',
} as const;
