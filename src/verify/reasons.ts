/** Why a platform contacts a consumer, and how each reason reads to the consumer. */
export const CONTACT_REASONS = [
  'logistics',
  'after_sales',
  'refund_progress',
  'order_confirmation',
  'complaint_follow_up',
  'survey',
] as const;
export type ContactReason = (typeof CONTACT_REASONS)[number];

/** Each reason in both languages. */
export const REASON_TEXT: Record<ContactReason, { zh: string; en: string }> = {
  logistics: { zh: '物流配送', en: 'delivery' },
  after_sales: { zh: '售后处理', en: 'after-sales service' },
  refund_progress: { zh: '退款进度（退款只在App内完成）', en: 'refund progress (refunds happen only in the app)' },
  order_confirmation: { zh: '订单确认', en: 'order confirmation' },
  complaint_follow_up: { zh: '投诉回访', en: 'complaint follow-up' },
  survey: { zh: '服务回访', en: 'service survey' },
};
