/** The evidence report of an investigation as a PDF in Chinese: findings, bounds, evidence and ledger proofs. */
import { KIND_ZH } from '../shared/kinds.ts';
import { beijing, startReport } from '../shared/pdf.ts';
import type { Accusation, DumpInvestigation, Suspect } from './investigate.ts';

const CHANNEL: Record<Accusation['channel'], string> = {
  L1: 'L1 专属标识（订单别名、虚拟号）：泄露数据中出现了只发给该方的标识',
  L2: 'L2 指纹编码（对称 Tardos 码）：泄露数据的呈现变体与该方视图的编码显著一致',
  L3: 'L3 诱饵订单（随机分配，精确检验）：经该方的诱饵订单被诈骗使用的比例显著偏高',
};

/** What the report is about, beyond the investigation itself. */
export interface EvidenceMeta {
  title?: string;
  /** Where the dump came from (chain of custody), e.g. 公安机关扣押, 公证购买. */
  source?: string;
  checkpoint?: string;
  generatedAt?: Date;
}

const pow10 = (x: number): string => (x === -Infinity ? '0' : `10^${x.toFixed(1)}`);

/** Renders the report. */
export function evidencePdf(inv: DumpInvestigation, meta: EvidenceMeta = {}): Promise<Buffer> {
  const r = startReport(
    meta.title ?? '数据泄露溯源证据报告',
    `生成时间 ${beijing((meta.generatedAt ?? new Date()).toISOString())}（北京时间）· Gatekeeper 守门人`,
  );
  const h = r.heading;
  const p = r.para;

  h('一、调查概况');
  p(
    `泄露数据共 ${inv.records} 条记录，其中 ${inv.mapped.alias + inv.mapped.address + inv.mapped.phone + inv.mapped.time} 条唯一对应到平台订单（别名 ${inv.mapped.alias}，地址盲索引 ${inv.mapped.address}，手机号盲索引 ${inv.mapped.phone}，时间与商品 ${inv.mapped.time}），涉及 ${inv.orders} 个不同订单；同一订单的重复记录合并为一条计算，无法唯一对应的记录不参与计算。`,
  );
  if (meta.source) p(`数据来源（证据保管链）：${meta.source}`);
  p(
    `本次为本系统第 ${inv.investigation} 次调查（编号记于账本第 ${inv.investigationEntry} 条，逐次连号，可据账本核对），误认预算 ε = ${inv.epsilon.toPrecision(3)}（全部调查合计不超过部署总预算）。别名通道阈值 ${pow10(inv.thresholds.alias)}，虚拟号通道阈值 ${pow10(inv.thresholds.virtualNumber)}，L2 为双侧检验，在 ${inv.candidates} 个参与方及两个尾部之间按 Bonferroni 分配，阈值 ${pow10(inv.thresholds.l2)}。`,
  );

  h('二、认定结果');
  if (inv.accused.length === 0) p('没有参与方达到认定阈值：本次不认定任何一方。');
  inv.accused.forEach((a, i) => {
    r.strong(`${i + 1}. ${a.name}（${KIND_ZH[a.kind] ?? a.kind}，编号 ${a.party}）`);
    p(`认定通道：${CHANNEL[a.channel]}`);
    p(`误认无辜方的概率上界：≤ ${pow10(a.log10Bound)}（阈值 ${pow10(a.log10Threshold)}）`);
    p(
      `证据：${Object.entries(a.evidence)
        .map(([k, v]) => `${k} = ${String(v)}`)
        .join('，')}`,
    );
    for (const pr of a.proofs) {
      p(
        `账本包含证明：订单 ${pr.order} 的发放记录为账本第 ${pr.index} 条（树大小 ${pr.size}），路径 ${pr.proof.length} 个哈希，首个 ${pr.proof[0] ?? '-'}`,
      );
    }
  });

  h('三、嫌疑排序（不构成认定）');
  if (inv.suspects.length === 0) p('无。');
  inv.suspects.slice(0, 10).forEach((s: Suspect, i) => {
    p(
      `${i + 1}. ${s.name}（${KIND_ZH[s.kind] ?? s.kind}，${s.party}）：上界 ${pow10(s.log10Bound)}${s.positions ? `，依据 ${s.records ?? 0} 条记录的 ${s.positions} 个编码位` : ''}`,
    );
  });

  h('四、方法与前提');
  p(
    '每个参与方看到的订单视图都带有只属于它的呈现变体（由平台密钥经 HMAC-SHA256 派生的 Tardos 码位）、订单别名和虚拟号；每次发放都写入防篡改账本（RFC 9162 默克尔树，Ed25519 签名检查点）。',
  );
  p(
    'L2 的上界在以下前提下严格成立：码位由参与方不掌握的密钥生成；无辜方的视图没有落入泄露者手中（一人一号，不共用账号和设备）；候选方来自账本。在此前提下，无论泄露数据如何被删改、混入或重排，无辜方的得分与泄露数据相互独立，Chernoff 界对其成立，无需正态近似。',
  );
  p(
    '本报告不能排除平台内部人员伪造泄露数据；对此依靠证据保管链、事先公开的密钥承诺和可由独立专家复现的计算。嫌疑排序仅供进一步核查（如布设诱饵订单），不作为认定依据。',
  );

  if (meta.checkpoint) {
    h('五、账本检查点');
    r.small(meta.checkpoint);
  }
  return r.finish();
}
