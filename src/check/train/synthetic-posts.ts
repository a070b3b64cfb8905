/**
 * Synthetic posts of the kind met in groups, comments and moments: pitches of the black and grey trades
 * (pay claimed as a rate, "no fee", an invitation to write), loan and pyramid ads, written the way the
 * trades write around filters (homophones, slang units, emoji, broken lines); beside them the ordinary
 * posts that share their words (prices, wages, want-ads, questions about loans, quarrels). Every template
 * and word list is written here.
 */
import { seeded } from '../../shared/random.ts';

type Rand = () => number;
type Gen = (r: Rand) => string;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const maybe = (r: Rand, p: number, s: string): string => (r() < p ? s : '');
const digits = (r: Rand, n: number): string => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

const EMOJI = ['💰', '🔥', '✅', '🌹', '👍', '💵', '🧧', '[爱心]', '[玫瑰]', '[强]', '[红包]', '[呲牙]', '🌸', '⬇️', '🉑', '➡️'];
const emo = (r: Rand): string => maybe(r, 0.5, pick(r, EMOJI));

/** Money as the trades write it: digits, Chinese numerals, slang units (张 = 100, w/个 = 10,000, q = 1,000). */
const money = (r: Rand): string =>
  pick(r, [
    `${pick(r, ['3', '5', '6', '7', '8'])}${pick(r, ['00', '50', 'oo', '00+'])}`,
    `${pick(r, ['三', '五', '六', '七', '八'])}${pick(r, ['百', '张', '佰'])}`,
    `${pick(r, ['1', '2', '3', '5'])}${pick(r, ['k', 'q', '千', 'w', '个w', '万'])}`,
    pick(r, ['三四百', '四五百', '大几百', '一两千', '三到五位数', '四位数']),
    `${pick(r, ['1000', '1500', '2000', '3000'])}${pick(r, ['', '+', '元', '块'])}`,
  ]);
const per = (r: Rand): string => pick(r, ['一小时', '1小时', '小时', '一天', '一单', '一趟', '半小时', '每晚', '一周', '/h', '/天']);
const rate = (r: Rand): string =>
  pick(r, [
    `${per(r)}${pick(r, ['', '稳', '能赚', '到手', '结'])}${money(r)}`,
    `${money(r)}${per(r)}`,
    `${pick(r, ['日入', '月入', '日结', '时薪', '到手'])}${money(r)}`,
    `${pick(r, ['3', '5', '10', '15'])}天到手${pick(r, ['50个', '80个', '10w', '20个'])}`,
    `${pick(r, ['一', '1'])}${pick(r, ['小时', '单'])}结${money(r)}`,
  ]);
const INVITES = [
  '私我',
  '丝我',
  '思我',
  '滴滴我',
  '+我',
  '➕我',
  '加我',
  '伽我',
  '佳我',
  '嘉我',
  'q我',
  '找我',
  '联系我',
  '来',
  '速来',
  '直接来',
  '私',
];
const invite = (r: Rand): string =>
  `${pick(r, ['想赚的', '想做的', '做的', '要做的', '缺钱的', '有兴趣的', '感兴趣的', '需要的', '有想法的', '兄弟们', '姐妹们', '胆大的', '想上岸的', '缺米的', ''])}${pick(r, INVITES)}`;
const handle = (r: Rand): string =>
  pick(r, [
    `v：${pick(r, ['xm', 'ab', 'kk', 'zz', 'vip'])}${digits(r, 6)}`,
    `${pick(r, ['q', 'Q', '扣', '🐧'])}${digits(r, 9)}`,
    `${pick(r, ['V', '薇', '威', '➕v'])}${pick(r, ['abc', 'hy', 'lx'])}${digits(r, 4)}`,
    '',
    '',
  ]);
const JOB = ['兼职', '煎职', '简职', '副业', '副叶', '项目', '橡木', '项木', '手工活', '搬砖', '打字', '点赞', '录音', '刷视频', '看广告'];
const EASE = [
  '一部手机就行',
  '两部手机就能做',
  '在家就能做',
  '躺着就能赚',
  '宝妈学生都可以',
  '不限年龄学历',
  '会打字就行',
  '每天几分钟',
  '下课就能做',
  '有支付宝就行',
  '小白也能上手',
  '当天结算',
  '一单一结',
];
const NOFEE = ['不要押金', '0投资0风险', '零门槛', '不收任何费用', '无前期', '免费带', '不用出一分钱', '不需要本金', '全程免费'];

/** Scam pitches as posts. */
const SCAM: readonly Gen[] = [
  (r) => `${rate(r)}${emo(r)}${maybe(r, 0.5, '，' + pick(r, NOFEE))}${maybe(r, 0.6, '，' + invite(r))}`,
  (r) => `${pick(r, JOB)}${emo(r)}，${pick(r, EASE)}，${rate(r)}，${pick(r, NOFEE)}${emo(r)}，${invite(r)}${handle(r)}`,
  (r) => `${invite(r)} ${rate(r)}${maybe(r, 0.5, ' ' + pick(r, EASE))}`,
  (r) =>
    `带${pick(r, ['几个兄弟', '人', '几个姐妹', '几个走投无路的'])}${pick(r, ['搞钱', '上岸', '做项目', '赚米'])}，${rate(r)}，${invite(r)}`,
  (r) =>
    `${pick(r, ['出村', '出国', '去那边'])}${pick(r, ['15天', '一个月', '半个月'])}，到手${pick(r, ['30个', '50w', '100个'])}，${pick(r, ['包机票', '包吃住', '全程有人带'])}，${pick(r, ['有胆量的来', '胆大的私', '要求35岁以下'])}`,
  (r) =>
    `${pick(r, ['背债', '纯白户', '白户小白', '征信好的'])}${pick(r, ['来', '可做'])}，${pick(r, ['到手', '一个月拿'])}${pick(r, ['100个', '50w', '200万'])}，${pick(r, ['全包', '包风控', '不出村'])}，${invite(r)}`,
  (r) =>
    `${pick(r, ['黑户', '征信花', '逾期', '负债高'])}${pick(r, ['也能下', '可下款', '都能拿钱'])}，${pick(r, ['不看征信', '当天拿钱', '下款快'])}，${pick(r, ['1-20w', '2万以下', '额度5w'])}，${invite(r)}`,
  (r) =>
    `${pick(r, ['收', '出', '租'])}${pick(r, ['一类卡', '银行卡', '微信号', '支付宝', 'u'])}，${pick(r, ['日结', '一张'])}${money(r)}，${invite(r)}`,
  (r) =>
    `${pick(r, ['跑分', '代收', '走账'])}${pick(r, ['项目', '招人'])}，${rate(r)}，${pick(r, ['有卡就行', '两部手机', '有支付宝就行'])}，${invite(r)}`,
  (r) =>
    `${pick(r, ['送货跑腿', '背货', '带东西'])}，一趟${pick(r, ['五万', '8w', '10个'])}，${pick(r, ['胆子大的来', '有缺钱的联系我', '全程有人带'])}`,
  (r) =>
    `${pick(r, ['一个圈圈', '某某星球', '新平台', '这个app'])}，${pick(r, ['每天看广告', '刷视频', '签到'])}${pick(r, ['就能赚钱', '月入四位数', '一年静态收益3万'])}，${pick(r, NOFEE)}，${pick(r, ['拉人还有奖励', '直推有分红', '团队收益更高'])}，${invite(r)}`,
  (r) =>
    `${pick(r, ['本群', '老师', '团队'])}${pick(r, ['每天推荐牛股', '带单', '免费诊股', '分享内部消息'])}，${pick(r, ['稳赚', '月收益30%', '翻倍'])}，${pick(r, ['进群', '加', '+v'])}${handle(r) || digits(r, 8)}，${pick(r, ['人满即封', '名额有限', ''])}`,
  (r) =>
    `${pick(r, ['彩票计划', '导师带', '平台漏洞'])}${pick(r, ['稳中', '包赢', '必中'])}，${pick(r, ['注册送88', '充值送50', '首充返20%'])}，${invite(r)}${handle(r)}`,
  (r) =>
    `${pick(r, ['急用钱', '资金周转', '救急不救穷'])}，${pick(r, ['借多少都行', '额度1-20w', '当天拿钱'])}，${pick(r, ['无前期', '不收任何费用'])}，${invite(r)}`,
  (r) =>
    `${pick(r, ['代理面膜', '微商代理', '加盟'])}，${pick(r, ['交3000代理费', '首批进货5000', '升级总代'])}，${pick(r, ['躺着赚钱', '月入过万', '下线越多提成越高'])}，${invite(r)}`,
  (r) =>
    `${pick(r, ['宝', '亲', '姐妹'])}，有个${pick(r, ['0.1就能提现的', '免费赚钱的', '每天几分钟的'])}，${pick(r, ['我已经赚了', '我这个月拿了'])}${pick(r, ['19000', '3000多', '两万'])}，${pick(r, ['做不做', '要不要', '想做滴我'])}`,
];

/** Ordinary posts with the same words: prices, wages, want-ads, loan questions, quarrels, invitations to meet. */
const BENIGN: readonly Gen[] = [
  (r) =>
    `${pick(r, ['加班', '打工', '送外卖', '做家教'])}${pick(r, ['一小时', '一天'])}才${pick(r, ['20', '30', '150', '200'])}块，${pick(r, ['累死了', '不想干了', '还行吧', '够吃饭'])}`,
  (r) =>
    `${pick(r, ['出', '转让'])}${pick(r, ['二手自行车', '闲置书', '婴儿车', '旧显示器'])}，${pick(r, ['50', '120', '300'])}块，${pick(r, ['同城自提', '闲鱼上拍', '平台交易'])}，${pick(r, ['需要的私我', '有意私聊', '评论区留言'])}`,
  (r) =>
    `${pick(r, ['周末', '今晚', '明天'])}${pick(r, ['打球', '爬山', '聚餐', '打麻将'])}${pick(r, ['的来', '有人来吗', '缺一个，来的私我', '三缺一'])}`,
  (r) =>
    `${pick(r, ['某超市', '物流园', '公司'])}招${pick(r, ['收银员', '仓管', '司机', '文员'])}，月薪${pick(r, ['4500', '6000-8000', '五千左右'])}，${pick(r, ['五险一金', '双休', '包午餐'])}，${pick(r, ['简历发邮箱', '到前台面试', '有意向电话联系'])}`,
  (r) => `${pick(r, ['借呗', '花呗', '微粒贷', '信用卡'])}${pick(r, ['逾期了怎么办', '怎么提额', '还款日能改吗', '为什么借不出来'])}`,
  (r) => `${pick(r, ['考研', '考公', '教资'])}${pick(r, ['终于上岸了', '上岸了，感谢大家', '还没上岸，继续努力'])}${emo(r)}`,
  (r) =>
    `${pick(r, ['这个月工资', '年终奖', '房贷'])}${pick(r, ['8000', '两万', '五千'])}，${pick(r, ['存一半', '还完房贷就没了', '给爸妈一千'])}`,
  (r) =>
    `${pick(r, ['你是不是傻', '别装了', '说话注意点', '笑死'])}，${pick(r, ['谁信你啊', '赚钱关你什么事', '有本事你来', '骗子才这么说'])}`,
  (r) =>
    `${pick(r, ['股票', '基金', '大盘'])}${pick(r, ['今天又跌了', '这周涨了3%', '套牢了'])}，${pick(r, ['不玩了', '长期持有吧', '有没有懂的聊聊'])}`,
  (r) =>
    `${pick(r, ['团购', '拼单'])}${pick(r, ['水果', '大米', '奶粉'])}，${pick(r, ['一箱', '一袋'])}${pick(r, ['39', '59', '88'])}，${pick(r, ['小区群接龙', '明天到货', '在群里报名'])}`,
  (r) =>
    `${pick(r, ['家教', '钢琴课', '游泳课'])}${pick(r, ['一小时', '一节课'])}${pick(r, ['150', '200', '300'])}，${pick(r, ['有需要的家长联系我', '可以试听', '在小区会所上课'])}`,
  (r) =>
    `${pick(r, ['兄弟们', '姐妹们'])}，${pick(r, ['这家店好吃', '这个电影好看', '这本书推荐'])}，${pick(r, ['去的来', '想看的私我要票', '冲'])}`,
];

/** Deterministic synthetic posts: `n` of each label. */
export function syntheticPosts(n: number, seed: number): Array<{ text: string; label: 0 | 1 }> {
  const r = seeded(seed);
  const out: Array<{ text: string; label: 0 | 1 }> = [];
  for (let i = 0; i < n; i++) {
    out.push({ text: pick(r, BENIGN)(r), label: 0 });
    out.push({ text: pick(r, SCAM)(r), label: 1 });
  }
  return out;
}
