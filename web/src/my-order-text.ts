/** The words of "who has seen my order" (谁看过我的订单), Chinese first. */
import type { ChainFailure, Failure } from '../../src/supervise/browser.ts';
import type { Lang } from './i18n.ts';

const ZH = {
  lead: '这里列出收到过你这个订单信息的每一方：谁、看到了哪些信息、以什么形式、什么时候、为什么。每一条都记录在防篡改账本里，本页会在你的手机上自己核验。',
  noToken: '链接无效：请从平台 App 或短信里的链接重新打开本页。',
  loading: '正在读取…',
  notFound: '链接无效或已过期：请在平台 App 里重新获取链接。',
  order: (platform: string, no: string, item: string) => `${platform}订单 ${no}：${item}`,
  orderedAt: '下单时间',
  none: '目前还没有任何一方收到过这个订单的个人信息。',
  verified: '已核验',
  failed: '核验失败',
  verifiedLong: '已核验：这条记录在账本里，账本签名有效。',
  failedLong: (why: string) => `核验失败：这条记录无法证明在账本里（${why}）。请不要相信这一条，可以截图交给平台或监管部门。`,
  received: '收到了',
  decrypted: '查看了你的',
  at: '时间',
  why: '原因',
  role: (kind: string) => `它负责你订单的「${kind}」环节`,
  decryptWhy: (reason: string, ticketOpened: string | null, vouched: boolean) =>
    `客服解密查看，理由：${reason}${
      ticketOpened === null
        ? '；没有平台登记的工单'
        : vouched
          ? `；依据平台 ${ticketOpened} 为这个订单登记的工单（工单的账本记录也已核验）`
          : `；称依据平台 ${ticketOpened} 登记的工单，但这张工单早于本页核验的记录，本页无法核实它被用了几次`
    }`,
  flag: '我没有和这方打过交道',
  flagged: '已标记：平台和监管部门会看到你的标记。',
  flagFailed: '标记没有成功，请稍后再试。',
  keyFirst: (id: string) => `第一次在这台设备上核验：已记住账本密钥（编号 ${id}）。以后每次都用它核验。`,
  keySame: (id: string) => `核验用的账本密钥：编号 ${id}（与这台设备上次记住的一致）。`,
  keyHandedOver: (old: string, now: string) =>
    `账本换了签名密钥：这台设备记住的密钥（编号 ${old}）亲自签名交接给了新密钥（编号 ${now}），交接记录在账本里，已核验。以后用新密钥核验。`,
  keyChanged: (old: string, now: string) =>
    `警告：账本密钥变了！这台设备记住的是编号 ${old}，服务器现在给出的是编号 ${now}。本页仍用原来的密钥核验，所以下面会显示核验失败。除非平台公开说明过更换密钥，否则请不要相信本页内容，并向平台或监管部门反映。`,
  acceptKey: '我已核对平台公布的新密钥，改用新密钥',
  checkpointFailed: (why: string) => `账本签名核验失败（${why}）：下面每一条都无法证明。`,
  rolledBack: (seen: number, now: number) =>
    `警告：服务器给出的账本与这台设备上次核验的对不上：比上次旧或被改写过（上次 ${seen} 条，这次 ${now} 条）。有些记录可能被隐藏或改动了：不要相信这一页，请告诉平台或监管部门。`,
  kinds: {
    merchant: '商家',
    merchant_staff: '商家员工',
    erp: 'ERP 系统',
    carrier: '快递公司',
    outlet: '快递网点',
    station: '驿站',
    courier: '快递员',
    cs_agent: '平台客服',
    other: '其他',
  } as Record<string, string>,
  fields: {
    order_no: '订单号',
    item: '商品',
    price: '价格',
    quantity: '数量',
    time: '下单时间',
    name: '姓名',
    phone: '电话',
    address: '地址',
    region: '所在地区',
  } as Record<string, string>,
  forms: {
    alias: '专用编号，不是你的真实订单号',
    virtual_number: '虚拟号，转接到你的手机，不是你的真实号码',
    masked: '打码',
    full: '完整',
    region: '只有省市区',
    plain: '',
  } as Record<string, string>,
  failures: {
    bad_key: '服务器给出的账本密钥格式不对',
    bad_note: '账本签名的格式不对',
    bad_signature: '账本签名对不上',
    not_signed_by_key: '账本不是用你信任的密钥签的',
    bad_checkpoint: '账本摘要的格式不对',
    bad_leaf: '记录本身已损坏',
    other_index: '记录的位置对不上',
    other_order: '记录属于另一个订单',
    other_time: '记录里的时间和显示的不一样',
    other_kind: '记录里的操作和显示的不一样',
    other_fields: '记录里的信息项和显示的不一样',
    other_reason: '记录里的原因和显示的不一样',
    bad_ticket: '显示的工单和账本里的工单记录对不上',
    bad_proof: '证明链对不上账本签名的根哈希',
  } as Record<Failure, string>,
  chainOk: (n: number, latest: string) =>
    `这个订单的 ${n} 条记录首尾相连，本页已逐条核验：从第一条到最新一条（${latest}）之间，没有记录被删掉或藏起来（同一方重复查看的记录也在链上，上面只列出第一次）。`,
  chainPartial: (n: number, latest: string) =>
    `这个订单的记录很多：本页核验了最新的 ${n} 条（最新一条：${latest}），它们首尾相连，中间没有记录被删掉或藏起来；更早的记录没有逐条核验。`,
  chainRemembered: '本机已记住这最新一条；以后再打开时，如果它不在链上，本页会警告。',
  chainUnchained: (n: number) => `另有 ${n} 条记录早于账本开始把记录串成链，无法证明它们之间没有缺漏。`,
  chainFailed: (why: string) => `警告：这个订单的记录链对不上（${why}）：可能有记录被藏起来了。不要相信这一页，请截图交给平台或监管部门。`,
  chainRolledBack:
    '警告：这台设备上次看到的最新一条记录，这次不在记录链上：有记录可能被藏起来或改写了。不要相信这一页，请告诉平台或监管部门。',
  oddOrderNo:
    '警告：这里显示的订单号含有订单号不会有的字符（可能是看起来一样的字母或看不见的字符）。不要相信这一页，请告诉平台或监管部门。',
  chainFailures: {
    chain_gap: '链中间缺了一条记录',
    chain_fork: '有一条记录不在链上',
    chain_other_order: '链上有别的订单的记录',
    chain_bad_link: '链上有一条记录无法证明在账本里',
    chain_hidden_row: '有一条记录被当成重复查看藏在链里，没有单独列出',
  } as Record<ChainFailure, string>,
  reasons: {
    complaint: '处理投诉',
    refund: '退款',
    delivery_issue: '配送问题',
    fraud_investigation: '反诈调查',
    legal_request: '依法调取',
  } as Record<string, string>,
};

type Text = typeof ZH;

const EN: Text = {
  lead: 'Every party that received this order’s information: who, what it saw and in what form, when, and why. Each row is recorded in a tamper-evident ledger, and this page checks it on your own device.',
  noToken: 'This link is not valid: open this page again from the link in the platform’s app or message.',
  loading: 'Loading…',
  notFound: 'This link is not valid or has expired: get a new one in the platform’s app.',
  order: (platform: string, no: string, item: string) => `${platform} order ${no}: ${item}`,
  orderedAt: 'Ordered',
  none: 'No party has received this order’s personal information yet.',
  verified: 'Verified',
  failed: 'Failed',
  verifiedLong: 'Verified: this row is in the ledger and the ledger’s signature is valid.',
  failedLong: (why: string) =>
    `Verification failed: this row cannot be proven to be in the ledger (${why}). Do not rely on it; you can take a screenshot for the platform or the regulator.`,
  received: 'received',
  decrypted: 'viewed your',
  at: 'When',
  why: 'Why',
  role: (kind: string) => `it handles the “${kind}” step of your order`,
  decryptWhy: (reason: string, ticketOpened: string | null, vouched: boolean) =>
    `customer service decrypted it for: ${reason}${
      ticketOpened === null
        ? '; without a ticket the platform registered'
        : vouched
          ? `; under a ticket the platform registered for this order on ${ticketOpened} (its ledger record is checked too)`
          : `; naming a ticket the platform registered on ${ticketOpened}, but the ticket is older than the records this page checked, so how often it was used cannot be checked`
    }`,
  flag: 'I never dealt with this party',
  flagged: 'Flagged: the platform and the regulator will see your flag.',
  flagFailed: 'The flag did not go through; please try again later.',
  keyFirst: (id: string) => `First check on this device: the ledger key (id ${id}) is now remembered and used for every later check.`,
  keySame: (id: string) => `Checked with the ledger key id ${id} (the one this device remembered).`,
  keyHandedOver: (old: string, now: string) =>
    `The ledger changed its signing key: the key this device remembered (id ${old}) signed the handover to the new key (id ${now}), which the ledger records; the handover checked out. The new key is used from now on.`,
  keyChanged: (old: string, now: string) =>
    `Warning: the ledger key changed! This device remembered key id ${old}; the server now gives key id ${now}. This page still checks with the remembered key, so the rows below fail. Unless the platform publicly announced a new key, do not trust this page and tell the platform or the regulator.`,
  acceptKey: 'I compared it with the key the platform published: use the new key',
  checkpointFailed: (why: string) => `The ledger signature did not verify (${why}): none of the rows below can be proven.`,
  rolledBack: (seen: number, now: number) =>
    `Warning: the ledger the server gave does not follow from the one this device verified last time: it is older or was rewritten (${seen} entries then, ${now} now). Records may be hidden or changed: do not trust this page, and tell the platform or the regulator.`,
  kinds: {
    merchant: 'merchant',
    merchant_staff: 'merchant staff',
    erp: 'ERP system',
    carrier: 'carrier',
    outlet: 'carrier outlet',
    station: 'pickup station',
    courier: 'courier',
    cs_agent: 'customer service',
    other: 'other',
  },
  fields: {
    order_no: 'order number',
    item: 'item',
    price: 'price',
    quantity: 'quantity',
    time: 'order time',
    name: 'name',
    phone: 'phone',
    address: 'address',
    region: 'region',
  },
  forms: {
    alias: 'its own number, not your real order number',
    virtual_number: 'a virtual number that forwards to you, not your real number',
    masked: 'masked',
    full: 'in full',
    region: 'province, city and district only',
    plain: '',
  },
  failures: {
    bad_key: 'the server’s ledger key is malformed',
    bad_note: 'the ledger signature is malformed',
    bad_signature: 'the ledger signature does not match',
    not_signed_by_key: 'the ledger was not signed with the key you trust',
    bad_checkpoint: 'the ledger summary is malformed',
    bad_leaf: 'the record itself is damaged',
    other_index: 'the record’s position does not match',
    other_order: 'the record is about another order',
    other_time: 'the record’s time differs from the one shown',
    other_kind: 'the record’s action differs from the one shown',
    other_fields: 'the record’s fields differ from the ones shown',
    other_reason: 'the record’s reason differs from the one shown',
    bad_ticket: 'the ticket shown does not match the ticket’s record in the ledger',
    bad_proof: 'the proof does not lead to the signed root hash',
  },
  chainOk: (n: number, latest: string) =>
    `This order’s ${n} records form one chain, each checked by this page: from the first to the latest (${latest}) none was removed or hidden (a party’s repeated views are on the chain too; only its first is listed above).`,
  chainPartial: (n: number, latest: string) =>
    `This order has many records: this page checked the latest ${n} (the latest: ${latest}), which form one chain with none removed or hidden between them; older records were not checked one by one.`,
  chainRemembered: 'This device now remembers that latest record and warns if a later visit shows a chain without it.',
  chainUnchained: (n: number) =>
    `${n} more records date from before the ledger chained records, so nothing proves none is missing among them.`,
  chainFailed: (why: string) =>
    `Warning: this order’s chain of records does not hold (${why}): a record may have been hidden. Do not trust this page; take a screenshot for the platform or the regulator.`,
  chainRolledBack:
    'Warning: the latest record this device saw last time is not on the chain this time: records may have been hidden or rewritten. Do not trust this page, and tell the platform or the regulator.',
  oddOrderNo:
    'Warning: the order number shown holds characters an order number cannot have (a look-alike letter or an invisible character). Do not trust this page, and tell the platform or the regulator.',
  chainFailures: {
    chain_gap: 'a record is missing from the middle of the chain',
    chain_fork: 'a record is not on the chain',
    chain_other_order: 'the chain holds a record of another order',
    chain_bad_link: 'a record on the chain cannot be proven to be in the ledger',
    chain_hidden_row: 'a record is tucked into the chain as a repeated view instead of being listed',
  },
  reasons: {
    complaint: 'handling a complaint',
    refund: 'a refund',
    delivery_issue: 'a delivery problem',
    fraud_investigation: 'a fraud investigation',
    legal_request: 'a legal request',
  },
};

/** The page's words in `lang`. */
export const MY_ORDER_TEXT: Record<Lang, Text> = { zh: ZH, en: EN };
