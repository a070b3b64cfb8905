/**
 * Synthetic texts that the shared dialogues lack: SMS (codes, bank notices, parcels, marketing with links and
 * 退订), in-platform after-sales chats, and scam SMS and case narratives of every type. The shared data's
 * benign side has no after-sales or refund talk, which is exactly where real service and scams look alike.
 */
import { seeded } from '../../shared/random.ts';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const digits = (r: Rand, n: number): string => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
const amount = (r: Rand): string => String(pick(r, [39, 59, 88, 129, 199, 268, 399, 599, 1299, 2680, 4999]));

const BANKS = ['工商银行', '建设银行', '农业银行', '中国银行', '招商银行', '交通银行', '浦发银行', '平安银行', '邮储银行'];
const APPS = ['淘宝', '京东', '拼多多', '抖音', '美团', '唯品会', '支付宝', '闲鱼', '饿了么', '小红书'];
const COURIERS = ['顺丰', '中通', '圆通', '申通', '韵达', '京东物流', '极兔', '邮政'];
const ITEMS = [
  '连衣裙',
  '蓝牙耳机',
  '儿童玩具',
  '保温杯',
  '面膜',
  '运动鞋',
  '手机壳',
  '空气炸锅',
  '奶粉',
  '床上四件套',
  '羽绒服',
  '充电宝',
  '洗发水',
  '零食大礼包',
];
const DATES = ['3月5日', '昨天', '上周', '11月11日', '前天', '6月18日', '上个月20号'];
const NAMES = ['王女士', '李先生', '张女士', '刘先生', '陈女士', '赵先生', '孙女士', '周先生'];
const CITIES = ['杭州', '成都', '南京', '深圳', '武汉', '西安', '郑州', '长沙', '济南', '合肥'];
const MEETING = ['腾讯会议', '钉钉', '飞书', 'zoom', '向日葵'];
const LOANS = ['花呗', '借呗', '微粒贷', '京东金条', '美团借钱', '360借条'];
const SHORT_URLS = ['t.cn/A6x', 'dwz.cn/k8', 'u.jd.com/x', 'm.tb.cn/h.', 's.click.taobao.com/', 'url.cn/5'];
const SCAM_URLS = ['etc-rz.top', 'icbc-jf.cc', 'jd-tk.vip', 'tb-lp.xyz', 'ccb-e.icu', 'sfexp-pz.top'];

const url = (r: Rand, scam: boolean): string =>
  scam
    ? `${pick(r, ['http://', 'https://', ''])}${pick(r, SCAM_URLS)}/${digits(r, 4)}`
    : `${pick(r, ['', 'https://'])}${pick(r, SHORT_URLS)}${digits(r, 5)}`;

const BENIGN: ReadonlyArray<(r: Rand) => string> = [
  (r) =>
    `【${pick(r, APPS)}】验证码${digits(r, 6)}，您正在${pick(r, ['登录', '注册', '修改密码', '绑定手机'])}，${pick(r, ['5', '10', '15'])}分钟内有效。${pick(r, ['请勿泄露给他人。', '切勿告知他人，工作人员不会向您索要。', '如非本人操作请忽略。'])}`,
  (r) => `您的验证码是${digits(r, 4)}，${pick(r, ['请在页面中输入完成验证', '有效期5分钟', '请勿转发'])}。【${pick(r, BANKS)}】`,
  (r) =>
    `【${pick(r, BANKS)}】您尾号${digits(r, 4)}的${pick(r, ['储蓄卡', '信用卡', '账户'])}${pick(r, DATES)}${pick(r, ['消费', '转账支出', '入账', '工资收入', '快捷支付'])}人民币${amount(r)}.00元，余额${digits(r, 4)}.${digits(r, 2)}元。`,
  (r) => `【${pick(r, BANKS)}】您的信用卡本期账单${amount(r)}元，到期还款日${pick(r, DATES)}，可通过手机银行还款。`,
  (r) =>
    `【${pick(r, ['菜鸟驿站', '丰巢', '兔喜生活', ...COURIERS])}】您的${pick(r, COURIERS)}包裹已到${pick(r, ['小区东门驿站', '学校快递点', '丰巢柜'])}，取件码${digits(r, 1)}-${digits(r, 1)}-${digits(r, 4)}，请${pick(r, ['今天', '及时', '21:00前'])}领取。`,
  (r) => `【${pick(r, COURIERS)}】您的快件已发出，运单号${pick(r, ['SF', 'YT', 'JD', 'ZT'])}${digits(r, 12)}，可在App查看物流。`,
  (r) =>
    `【${pick(r, APPS)}】${pick(r, ['双十一', '618', '年货节', '会员日', '周年庆'])}${pick(r, ['来了', '开抢', '最后一天'])}！${pick(r, ['全场5折起', '满300减50', '大额券限时领', '爆款直降'])}，${pick(r, ['点击', '戳', '立即抢购'])} ${url(r, false)} ${pick(r, ['回TD退订', '拒收请回复R', '退订回T'])}`,
  (r) =>
    `【${pick(r, ['瑞幸', '肯德基', '麦当劳', '屈臣氏', '优衣库', '星巴克'])}】${pick(r, ['您有一张优惠券即将过期', '新品上市', '会员积分可兑换好礼'])}，${pick(r, ['打开App查看', '详情见小程序', '点击 ' + url(r, false)])}。回TD退订`,
  (r) =>
    `【${pick(r, ['中国移动', '中国联通', '中国电信'])}】尊敬的客户，您${pick(r, ['本月已用流量', '话费余额'])}${amount(r)}${pick(r, ['MB', '元'])}，${pick(r, ['详询10086', '可登录App查询', '如需充值请通过官方渠道'])}。`,
  (r) =>
    pick(r, [
      '晚上一起吃饭吗？',
      '妈，我到家了，别担心',
      '明天的会改到下午三点',
      '快递我帮你拿了，放门口了',
      '周末去爬山吗',
      '记得带伞，今天有雨',
      '孩子放学我去接',
      '报告我发你邮箱了，看一下',
      '生日快乐！',
      '我在路上了，十分钟到',
    ]),
  (r) =>
    `【${pick(r, BANKS)}】${pick(r, ['警惕冒充客服退款诈骗', '谨防电信诈骗'])}：我行工作人员不会索要验证码、密码，不会要求转账到"安全账户"。如有疑问请拨打官方客服热线。`,
  (r) =>
    `【国家反诈中心】${pick(r, ['凡是自称客服说要给您退款、理赔的都是诈骗', '接到陌生电话要求屏幕共享的都是诈骗'])}，请下载国家反诈中心App，如有疑问请拨打96110。`,
  (r) =>
    `【${pick(r, APPS)}】您的订单已${pick(r, ['发货', '签收', '退款成功'])}，${pick(r, ['退款已原路退回，1-3个工作日到账', '可在我的订单中查看详情', '如有问题请在App内联系客服'])}。`,
  (r) =>
    `【${pick(r, ['12306', '携程', '滴滴出行', '高德'])}】${pick(r, ['您的订单已出票', '行程已开始', '您预约的车辆已到达'])}，${pick(r, ['请按时乘车', '祝您旅途愉快', '车牌号浙A' + digits(r, 5)])}。`,
  (r) => afterSales(r),
  (r) => afterSales(r),
  (r) => afterSales(r),
];

/** An in-platform after-sales chat: refunds, returns, late parcels, membership, with the platform's own wording. */
function afterSales(r: Rand): string {
  const item = pick(r, ITEMS);
  const cs = pick(r, ['客服', '商家', '售后', 'A']);
  const me = pick(r, ['我', '买家', '顾客', 'B']);
  const script = pick(r, [
    [
      `${me}：你好，我买的${item}有质量问题，能退吗`,
      `${cs}：亲，非常抱歉给您带来不好的体验，您可以在订单页面申请退货退款，我们收到货后会尽快处理`,
      `${me}：运费谁出`,
      `${cs}：您的订单有运费险，退货运费会自动理赔到您的账户哦`,
      `${me}：好的，谢谢`,
    ],
    [
      `${me}：我的快递怎么还没到，都五天了`,
      `${cs}：亲，已经帮您联系${pick(r, COURIERS)}催促了，预计明天送达`,
      `${me}：要是丢了怎么办`,
      `${cs}：如果包裹丢失，我们会给您补发或者全额退款，您放心`,
    ],
    [`${me}：退款什么时候到账`, `${cs}：亲，退款已经原路退回了，一般1-3个工作日到账，请您留意`, `${me}：好的`],
    [`${me}：这个会员怎么取消自动续费`, `${cs}：您可以在App里"我的-会员中心-管理自动续费"关闭，关闭后不会再扣费`, `${me}：找到了，谢谢`],
    [
      `${me}：收到的${item}坏了`,
      `${cs}：亲，麻烦您拍照上传到售后申请里，我们核实后给您补发或退款`,
      `${me}：已经传了`,
      `${cs}：收到，已为您同意退款，款项会退回到原支付账户`,
    ],
    [`${me}：退货地址是哪里`, `${cs}：退货地址在售后申请页面里有显示，寄出后请填写运单号，我们收到后给您退款`],
    [
      `${me}：有优惠券吗`,
      `${cs}：亲，店铺首页可以领取满${amount(r)}减20的券，下单时自动抵扣`,
      `${me}：什么时候发货`,
      `${cs}：付款后48小时内发货哦`,
    ],
  ]);
  return script.join(pick(r, ['\n', ' ', '\n']));
}

const SCAM: ReadonlyArray<(r: Rand) => string> = [
  (r) =>
    `【${pick(r, APPS)}】您好，您${pick(r, DATES)}购买的${pick(r, ITEMS)}因${pick(r, ['质量问题', '甲醛超标', '批次问题'])}被召回，我们将给予${pick(r, ['三倍', '双倍'])}赔偿，请添加客服${pick(r, ['微信', 'QQ'])}${digits(r, 9)}办理。`,
  (r) =>
    `${pick(r, ['客服', '对方'])}：您好，我是${pick(r, APPS)}客服，您${pick(r, DATES)}买的${pick(r, ITEMS)}${pick(r, ['有质量问题', '在运输中丢失了'])}，我们给您${pick(r, ['三倍赔偿', '理赔' + amount(r) + '元'])}\n我：好的，怎么操作\n${pick(r, ['客服', '对方'])}：${pick(r, [`您下载一下${pick(r, MEETING)}，开启屏幕共享，我指导您操作`, '您把收到的验证码告诉我，我这边给您退款', `您的${pick(r, LOANS)}额度需要先取出来转到我们的核查账户`])}`,
  (r) =>
    `您好，我是${pick(r, APPS)}${pick(r, ['官方客服', '理赔专员'])}，您之前${pick(r, ['开通了百万保障服务', '误开通了会员', '注册了学生账户'])}，${pick(r, ['每月将自动扣费' + amount(r) + '元', '不关闭会影响您的征信'])}，需要您配合${pick(r, ['关闭', '注销'])}，请${pick(r, ['下载' + pick(r, MEETING) + '开启屏幕共享', '把银行卡号和验证码提供给我', '按照提示在' + pick(r, LOANS) + '申请额度后转入指定账户'])}。`,
  (r) => `【${pick(r, BANKS)}】尊敬的用户，您的积分${digits(r, 4)}即将清零，请于今日内登录 ${url(r, true)} 兑换现金。`,
  (r) =>
    `【ETC服务】您的ETC卡${pick(r, ['已失效', '认证过期', '将被停用'])}，请${pick(r, ['立即', '尽快'])}点击 ${url(r, true)} 重新认证，逾期将无法通行。`,
  (r) =>
    `【${pick(r, COURIERS)}】您的包裹${pick(r, ['因地址不详无法派送', '在运输中丢失', '被海关扣押'])}，${pick(r, ['点击', '请登录'])} ${url(r, true)} ${pick(r, ['办理理赔', '补充地址', '申请赔付'])}。`,
  (r) =>
    `${pick(r, DATES)}，${pick(r, CITIES)}的${pick(r, NAMES)}接到自称${pick(r, APPS)}客服的电话，对方准确说出其购买的${pick(r, ITEMS)}信息，称商品存在质量问题可${pick(r, ['三倍赔偿', '办理理赔'])}，随后诱导其下载${pick(r, MEETING)}开启屏幕共享，并在${pick(r, LOANS)}等平台贷款，先后转账${digits(r, 5)}元，后发现被骗。`,
  (r) =>
    `${pick(r, NAMES)}报警称，其接到一名冒充${pick(r, COURIERS)}快递员的电话，称其快递丢失需要理赔，让其添加QQ后扫码填写银行卡信息，被骗${digits(r, 4)}元。`,
  (r) =>
    `${pick(r, NAMES)}接到自称${pick(r, CITIES)}公安局民警的电话，称其涉嫌洗钱案，要求其将资金转入"安全账户"配合调查，并不许告诉家人，${pick(r, NAMES)}先后转账${digits(r, 6)}元。`,
  (r) => `我是${pick(r, CITIES)}公安局的，你的身份证涉嫌一起洗钱案件，现在需要对你的资金进行清查，请不要挂断电话，也不要告诉任何人。`,
  (r) =>
    `${pick(r, ['急招兼职', '在家兼职', '宝妈兼职'])}，${pick(r, ['刷单返佣', '点赞关注日结', '动动手指日赚300'])}，佣金当天返还，加${pick(r, ['QQ', '微信'])}${digits(r, 9)}咨询。`,
  (r) =>
    `${pick(r, NAMES)}在网上看到刷单兼职广告，按对方要求垫付${amount(r)}元完成任务，对方以"连单"为由要求继续充值，共被骗${digits(r, 5)}元。`,
  (r) =>
    `${pick(r, ['老师带你炒股', '内幕消息', '稳赚不赔的投资项目'])}，${pick(r, ['收益率30%', '日收益5%', '保本保息'])}，${pick(r, ['加群', '下载投资平台App'])}即可参与，名额有限。`,
  (r) => `亲爱的，我发现这个平台有个漏洞，充值${amount(r)}就能翻倍，我已经赚了好多了，你也试试吧`,
  (r) =>
    `${pick(r, ['小王', '小李', '小张'])}，我是你领导，${pick(r, ['明天到我办公室来一趟', '我换了新号码'])}。现在有个急事，需要你先帮我转${digits(r, 5)}元给合作方，回头报销。`,
  (r) =>
    `恭喜您被抽中为${pick(r, ['场外幸运观众', '幸运用户'])}，获得${pick(r, ['笔记本电脑一台', '现金' + digits(r, 5) + '元'])}，请先缴纳${amount(r)}元手续费后领取。`,
  (r) => `你儿子在我手上，马上准备${digits(r, 2)}万赎金，不许报警，否则撕票。`,
  (r) =>
    `${pick(r, ['无抵押', '低息', '不看征信'])}贷款，${pick(r, ['秒批秒到账', '最高50万'])}，放款前需缴纳${amount(r)}元${pick(r, ['保证金', '解冻费', '手续费'])}，详询${pick(r, ['QQ', '微信'])}${digits(r, 9)}。`,
  (r) =>
    `【${pick(r, ['社保局', '医保中心', '人社局'])}】您的${pick(r, ['社保卡', '医保卡'])}${pick(r, ['异常已被冻结', '存在违规使用'])}，请${pick(r, ['立即', '24小时内'])}登录 ${url(r, true)} 办理解冻。`,
];

/** Deterministic synthetic examples: `n` of each label. */
export function syntheticExamples(n: number, seed: number): Array<{ text: string; label: 0 | 1 }> {
  const r = seeded(seed);
  const out: Array<{ text: string; label: 0 | 1 }> = [];
  for (let i = 0; i < n; i++) {
    out.push({ text: pick(r, BENIGN)(r), label: 0 });
    out.push({ text: pick(r, SCAM)(r), label: 1 });
  }
  return out;
}
