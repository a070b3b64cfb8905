/**
 * Synthetic short messages, posts and e-mails in the shapes real scams arrive in (fake-base-station SMS,
 * phishing links, job and money-making pitches, stock-tip groups, acquaintance impersonation), in Chinese
 * and English, next to the real notices and messages they imitate. Every template is written here.
 */
import { seeded } from '../../shared/random.ts';

type Rand = () => number;
type Gen = (r: Rand) => string;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const digits = (r: Rand, n: number): string => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
const mobile = (r: Rand): string => `1${pick(r, ['3', '5', '7', '8', '9'])}${digits(r, 9)}`;
const qq = (r: Rand): string => `${String(1 + Math.floor(r() * 9))}${digits(r, 7 + Math.floor(r() * 3))}`;
const wxid = (r: Rand): string => `${pick(r, ['a', 'k', 'xm', 'vip', 'hy', 'zs'])}${digits(r, 5)}${pick(r, ['', 'a', 'x'])}`;

const BANKS = ['工商银行', '建设银行', '农业银行', '中国银行', '招商银行', '交通银行', '邮储银行', '平安银行', '中信银行'];
const BANK_HOSTS = ['icbc', 'ccb', 'abc', 'boc', 'cmb', 'bocom', 'psbc'];
const OPERATORS = ['中国移动', '中国联通', '中国电信'];
const COURIERS = ['顺丰', '中通', '圆通', '申通', '韵达', '京东物流', '极兔', '邮政EMS'];
const PLATFORMS = ['淘宝', '京东', '拼多多', '抖音商城', '唯品会'];
const BAD_TLDS = ['top', 'xyz', 'vip', 'cc', 'icu', 'shop', 'site', 'club', 'cn', 'com'];
const SHORT = ['t.cn', 'dwz.cn', 'url.cn', 'suo.im', 'bit.ly', 'tinyurl.com'];
const RELATIVES = ['儿子', '女儿', '老同学', '表哥', '你侄子', '你外甥'];

const badUrl = (r: Rand, brand: string): string => {
  const x = r();
  const path = `/${pick(r, ['', 'm', 'h5', 'login', 'a'])}${digits(r, 3)}`;
  if (x < 0.3) return `${pick(r, SHORT)}/${pick(r, ['A', 'k', 'x', 'Q'])}${digits(r, 4)}`;
  if (x < 0.4) return `http://${String(40 + Math.floor(r() * 180))}.${digits(r, 2)}.${digits(r, 2)}.${digits(r, 1)}${path}`;
  const host = `${pick(r, ['', 'www.', 'm.', 'wap.'])}${brand}${pick(r, ['-', '', '-e', 'jf', '-vip', 'kf'])}${pick(r, ['', digits(r, 2), 'cn'])}.${pick(r, BAD_TLDS)}`;
  return `${pick(r, ['', 'http://', 'https://'])}${host}${path}`;
};

/** Scam messages and posts, Chinese. */
const SCAM_ZH: readonly Gen[] = [
  (r) =>
    `【${pick(r, BANKS)}】尊敬的客户，您的${pick(r, ['电子密码器', 'U盾', '网银证书', '手机银行'])}${pick(r, ['将于今日过期', '已失效', '需要升级'])}，请${pick(r, ['尽快', '立即', '于24小时内'])}登录 ${badUrl(r, pick(r, BANK_HOSTS))} 进行更新，逾期将停用。`,
  (r) =>
    `【${pick(r, BANKS)}】您的${pick(r, ['信用卡', '储蓄卡', '账户'])}因${pick(r, ['异常交易', '涉嫌违规', '资料过期'])}已被冻结，请${pick(r, ['致电', '速拨', '回电'])}${pick(r, ['0', ''])}${mobile(r)}办理解冻。`,
  (r) =>
    `${pick(r, BANKS)}通知：您已获得${pick(r, ['5万', '8万', '10万', '20万'])}信用卡提额资格，${pick(r, ['请登录', '点击', '速戳'])} ${badUrl(r, pick(r, BANK_HOSTS))} 申请，${pick(r, ['今日有效', '名额有限'])}。`,
  (r) =>
    `【${pick(r, OPERATORS)}】尊敬的用户，您有${digits(r, 4)}积分${pick(r, ['未领取', '可兑换现金', '即将清零'])}，${pick(r, ['将于今日24点失效', '48小时内过期', '本月底作废'])}，请点击 ${badUrl(r, pick(r, ['10086', '10010', 'yd', 'lt']))} 领取${pick(r, ['话费', '流量包', '现金红包'])}。`,
  (r) => `${pick(r, OPERATORS)}提醒您：您的号码有${digits(r, 2)}G流量未领取，${digits(r, 1) || '2'}小时内有效，戳 ${badUrl(r, '10086')}`,
  (r) =>
    `${pick(r, ['牛股推荐', '金股内参', '今日涨停预测', '私募内部消息'])}：${pick(r, ['王', '李', '陈'])}老师每日免费分享${pick(r, ['3只', '一只', '两只'])}${pick(r, ['涨停牛股', '黑马股', '龙头股'])}，加${pick(r, ['QQ', '微信', 'V'])}${qq(r)}进群领取，${pick(r, ['人满即封', '满员即封', '名额有限'])}。`,
  (r) =>
    `股民朋友你好，${pick(r, ['本群', '我们团队'])}每天${pick(r, ['免费诊股', '带单操作', '分享打板策略'])}，月收益${pick(r, ['30%', '50%', '80%'])}以上，想进群的${pick(r, ['加我', '私我', '扫码'])}，${pick(r, ['人满即封', '仅限今天'])}`,
  (r) =>
    `【${pick(r, COURIERS)}】您的快递因${pick(r, ['地址不详', '超区', '破损', '信息异常'])}无法派送，请${pick(r, ['点击', '登录', '访问'])} ${badUrl(r, pick(r, ['sf', 'zto', 'yto', 'ems', 'jdwl']))} 更新地址，${pick(r, ['逾期退回', '今日处理'])}。`,
  (r) =>
    `您好，您在${pick(r, PLATFORMS)}购买的商品${pick(r, ['物流异常', '快递丢失', '被海关扣留'])}，我们将为您${pick(r, ['办理理赔', '双倍赔付', '退款'])}，请添加${pick(r, ['客服微信', '理赔专员QQ'])}${pick(r, [wxid(r), qq(r)])}处理。`,
  (r) =>
    `亲，您的订单需要${pick(r, ['加我们微信确认', '加客服微信核对地址', '添加售后QQ确认'])}才能发货，${pick(r, ['微信号', 'QQ'])}：${pick(r, [wxid(r), qq(r)])}`,
  (r) =>
    `本店${pick(r, ['银行转账', '私下转账', '对公转账'])}下单${pick(r, ['优惠200元', '可打八折', '立减15%'])}，${pick(r, ['加微信', '私聊'])}发您账户。`,
  (r) =>
    `【${pick(r, PLATFORMS)}】您有一张${pick(r, ['300元', '500元', '1000元'])}${pick(r, ['会员优惠券', '购物卡', '补贴券'])}未激活，${pick(r, ['今日', '24小时内'])}过期，请点击 ${badUrl(r, pick(r, ['tb', 'jd', 'pdd']))} 激活领取。`,
  (r) =>
    `${pick(r, ['请下载', '需安装'])}${pick(r, ['物流理赔', '快递', '退款专用'])}App：${badUrl(r, pick(r, ['sf', 'jd', 'tb']))}/app.apk ，按提示填写银行卡信息即可到账。`,
  (r) =>
    `${pick(r, ['招聘', '急招', '诚招'])}${pick(r, ['线上打字员', '手工活', '点赞员', '淘宝刷单员', '短视频点赞'])}，${pick(r, ['在家就能做', '一部手机就可以', '宝妈学生均可'])}，${pick(r, ['日结200-500', '一单一结，一天三四百', '时薪80元', '月入过万'])}，${pick(r, ['有意者加', '感兴趣私我', '详情加V'])}${pick(r, [wxid(r), qq(r), ''])}`,
  (r) =>
    `${pick(r, ['副业', '兼职', '居家项目'])}，${pick(r, ['0投资0风险', '不收任何费用', '零门槛'])}，每天${pick(r, ['一两个小时', '几分钟'])}${pick(r, ['收入三四百', '轻松赚200', '日入过千'])}，${pick(r, ['想了解的加我', '私聊带你', '滴滴我'])}`,
  (r) =>
    `收${pick(r, ['银行卡', '微信号', '支付宝', '对公账户'])}，${pick(r, ['一张', '一个'])}${pick(r, ['日租300', '500一天', '月租3000'])}，${pick(r, ['不违法', '安全靠谱'])}，加我详聊`,
  (r) =>
    `${pick(r, ['在吗', '你好'])}，我是你${pick(r, RELATIVES)}，${pick(r, ['换新号码了', '这是我的新号', '手机丢了用朋友的'])}，${pick(r, ['现在有急事', '在外地出了点事'])}，${pick(r, ['急用钱', '借我', '帮我转'])}${pick(r, ['3000', '5000', '两万'])}，${pick(r, ['明天就还你', '别告诉我爸妈'])}。`,
  (r) =>
    `${pick(r, ['小王', '小李', '小张'])}，我是${pick(r, ['王总', '李局', '张书记'])}，${pick(r, ['在开会不方便接电话', '正在外地出差'])}，有笔款需要先${pick(r, ['转给合作方', '打给这个账户'])}，卡号${digits(r, 16)}，${pick(r, ['尽快办', '马上转'])}。`,
  (r) =>
    `【${pick(r, ['ETC服务中心', '高速ETC', '交通运输部'])}】您的ETC${pick(r, ['认证已过期', '即将失效', '已被禁用'])}，请${pick(r, ['立即', '尽快'])}登录 ${badUrl(r, 'etc')} 重新认证。`,
  (r) =>
    `【${pick(r, ['社保局', '医保中心', '人社局'])}】您的${pick(r, ['社保卡', '医保卡'])}${pick(r, ['已被冻结', '存在异常', '待年审'])}，${pick(r, ['请', '速'])}致电${mobile(r)}或登录 ${badUrl(r, pick(r, ['sb', 'yb', '12333']))} 办理。`,
  (r) =>
    `${pick(r, ['恭喜', '尊敬的客户'])}，您的${pick(r, ['手机号', '会员账号'])}被抽中${pick(r, ['二等奖', '幸运大奖'])}，奖金${pick(r, ['5万', '8.8万'])}元，请${pick(r, ['登录', '点击'])} ${badUrl(r, pick(r, ['cctv', 'hlx', 'zj']))} 领取，需先缴纳${pick(r, ['手续费', '个人所得税'])}。`,
];

/** Scam messages, e-mails and posts, English. */
const SCAM_EN: readonly Gen[] = [
  (r) =>
    `${pick(r, ['Dear Customer', 'Dear user', 'Hello'])}, your ${pick(r, ['account', 'Apple ID', 'PayPal account', 'online banking', 'mailbox'])} has been ${pick(r, ['suspended', 'locked', 'limited', 'temporarily disabled'])} due to ${pick(r, ['unusual sign-in activity', 'a failed payment', 'suspicious login attempts'])}. ${pick(r, ['Click the link below', 'Please visit', 'Log in at'])} ${badUrl(r, pick(r, ['paypal', 'apple', 'netflix', 'microsoft']))} to verify your account ${pick(r, ['within 24 hours', 'immediately', 'today'])} or it will be closed.`,
  (r) =>
    `${pick(r, ['USPS', 'DHL', 'Royal Mail', 'FedEx'])}: your package ${pick(r, ['is on hold', 'could not be delivered', 'has a pending fee'])} because the address is incomplete. ${pick(r, ['Update it here', 'Reschedule delivery'])}: ${badUrl(r, pick(r, ['usps', 'dhl', 'fedex']))}`,
  (r) =>
    `${pick(r, ['Hi mum', 'Hi dad', 'Hey mom'])}, this is my new number, ${pick(r, ['I dropped my phone', 'my phone broke'])}. Can you ${pick(r, ['send me', 'transfer'])} ${pick(r, ['$850', '£600', '$1,200'])} for ${pick(r, ['rent', 'a bill'])}? I will pay you back tomorrow, don't tell dad.`,
  (r) =>
    `${pick(r, ['Work from home', 'Remote data entry', 'Online part-time job'])}! ${pick(r, ['No experience needed', 'Flexible hours'])}, earn ${pick(r, ['$300', '$500', '$250'])} per day. ${pick(r, ['Contact us on WhatsApp', 'Message me on Telegram'])} +1${digits(r, 10)} to start today.`,
  (r) =>
    `We reviewed your resume and would like to offer you a ${pick(r, ['remote assistant', 'payment processing agent', 'data entry clerk'])} position. The interview will be held on ${pick(r, ['Telegram', 'Google Hangouts', 'Signal'])}. You will need to purchase equipment with the check we send you.`,
  (r) =>
    `${pick(r, ['Congratulations!', 'Dear winner,'])} You have been selected to receive ${pick(r, ['$1,000,000', 'a $500 Walmart gift card', 'an iPhone 15'])}. To claim your prize, pay a ${pick(r, ['processing fee', 'delivery fee'])} of $${digits(r, 2)} at ${badUrl(r, pick(r, ['prize', 'reward', 'gift']))}`,
  (r) =>
    `This is ${pick(r, ['Amazon', 'Microsoft', 'Apple'])} customer support. We detected an unauthorized charge of $${digits(r, 3)} on your account. To get a refund, please install AnyDesk and give me the verification code we just sent.`,
  (r) =>
    `${pick(r, ['IRS', 'HMRC', 'Tax Office'])} notice: you are eligible for a tax refund of $${digits(r, 3)}.${digits(r, 2)}. Submit your bank details at ${badUrl(r, pick(r, ['irs', 'gov', 'hmrc']))} within 48 hours.`,
  (r) =>
    `I am ${pick(r, ['Barrister', 'Dr.'])} ${pick(r, ['James', 'Paul', 'David'])} ${pick(r, ['Williams', 'Okafor', 'Smith'])}. My late client left ${pick(r, ['US$10.5 million', '8.5 million dollars'])} in unclaimed funds and you share his surname; as next of kin you will receive 40%. Keep this strictly confidential and reply with your full name and phone number.`,
  (r) =>
    `Guaranteed returns of ${pick(r, ['30%', '15%', '50%'])} weekly on our crypto trading platform. My mentor shares insider signals, add me on WhatsApp to join the VIP group before it closes.`,
  (r) =>
    `Your ${pick(r, ['Wells Fargo', 'Chase', 'HSBC', 'Barclays'])} card has been ${pick(r, ['blocked', 'frozen'])} due to suspicious activity. Call ${pick(r, ['+1', '+44'])} ${digits(r, 3)} ${digits(r, 3)} ${digits(r, 4)} immediately to unblock it.`,
];

/** Benign Chinese messages that share the scams' vocabulary. */
const BENIGN_ZH: readonly Gen[] = [
  (r) =>
    `【${pick(r, BANKS)}】您尾号${digits(r, 4)}的${pick(r, ['信用卡', '储蓄卡'])}${pick(r, ['消费', '还款', '转账收入'])}${digits(r, 3)}.00元，${pick(r, ['可用额度', '余额'])}${digits(r, 5)}.${digits(r, 2)}元。`,
  (r) =>
    `【${pick(r, BANKS)}】您的信用卡额度已调整为${digits(r, 2)}000元，详情请登录手机银行查询或拨打${pick(r, ['95588', '95533', '95555', '95599'])}。`,
  (r) =>
    `【${pick(r, OPERATORS)}】尊敬的客户，您本月积分${digits(r, 4)}分，可登录${pick(r, ['中国移动App', '营业厅App'])}兑换话费或流量，积分有效期至年底。`,
  (r) => `【${pick(r, OPERATORS)}】您本月套餐内流量已使用80%，剩余${digits(r, 1)}GB，如需加油包请通过官方App办理，回复TD退订。`,
  (r) =>
    `【${pick(r, COURIERS)}】您的包裹已到${pick(r, ['驿站', '丰巢柜', '快递点'])}，取件码${digits(r, 1)}-${digits(r, 4)}，请凭码领取。`,
  (r) => `【${pick(r, COURIERS)}】您的快件因天气原因延误，预计明天送达，给您带来不便敬请谅解，可在App查看物流进度。`,
  (r) =>
    `${pick(r, ['股市收评', '今日财经'])}：沪指收涨${digits(r, 1)}.${digits(r, 2)}%，${pick(r, ['券商', '半导体', '新能源'])}板块领涨，市场成交额${digits(r, 1)}.${digits(r, 1)}万亿元。`,
  (r) =>
    `${pick(r, ['某科技公司', '连锁超市', '物流公司'])}招聘${pick(r, ['仓库管理员', '收银员', '前端工程师', '司机'])}，${pick(r, ['五险一金', '月薪6000-9000', '双休'])}，请将简历投递至公司官网或到${pick(r, ['人才市场', '公司前台'])}面试。`,
  (r) => `${pick(r, ['妈', '爸', '老婆'])}，我手机换号了，新号码${mobile(r)}，存一下，旧号不用了。`,
  (r) => `${pick(r, ['同学们', '各位家长'])}，明天${pick(r, ['上午', '下午'])}开家长会，请准时到${pick(r, ['三楼教室', '学校礼堂'])}。`,
  (r) => `你好，我在闲鱼上看到你卖的${pick(r, ['自行车', '相机', '书'])}，还在吗？能便宜点吗？我直接在平台上拍。`,
  (r) =>
    `【${pick(r, PLATFORMS)}】您的订单已发货，${pick(r, ['可在App内查看物流', '退换货请在订单详情中申请'])}，客服不会通过电话要求您转账。`,
];

/** Benign English messages. */
const BENIGN_EN: readonly Gen[] = [
  (r) => `${digits(r, 6)} is your ${pick(r, ['Google', 'Microsoft', 'WhatsApp'])} verification code. Do not share it with anyone.`,
  (r) =>
    `Your ${pick(r, ['Amazon', 'eBay'])} order #${digits(r, 3)}-${digits(r, 7)} has shipped and will arrive on ${pick(r, ['Tuesday', 'Friday'])}. Track it in the app.`,
  (r) => `Hi team, the meeting moved to ${pick(r, ['3 pm', '10 am'])}. Please bring the quarterly report.`,
  (r) =>
    `Reminder: your dentist appointment is tomorrow at ${pick(r, ['9:30', '14:00'])}. Reply C to confirm or call the clinic to reschedule.`,
  (r) =>
    `We are hiring a ${pick(r, ['software engineer', 'nurse', 'warehouse associate'])} in ${pick(r, ['Boston', 'Leeds', 'Austin'])}. Full-time, benefits included. Apply through our careers page.`,
  (r) => `Thanks for your payment of $${digits(r, 2)}.${digits(r, 2)} to ${pick(r, ['City Water', 'Comcast'])}. No action is needed.`,
  (r) => `Hey, are we still on for dinner tonight? I can pick you up at ${pick(r, ['7', '8', 'half past six'])}.`,
  (r) => `Your package was delivered to the front door at ${pick(r, ['2:14 pm', '11:03 am'])}. Reply STOP to opt out.`,
];

/** Deterministic synthetic messages: `n` of each label, Chinese and English mixed 3:1. */
export function syntheticMessages(n: number, seed: number): Array<{ text: string; label: 0 | 1; lang: 'zh' | 'en' }> {
  const r = seeded(seed);
  const out: Array<{ text: string; label: 0 | 1; lang: 'zh' | 'en' }> = [];
  for (let i = 0; i < n; i++) {
    const en = r() < 0.25;
    out.push({ text: pick(r, en ? BENIGN_EN : BENIGN_ZH)(r), label: 0, lang: en ? 'en' : 'zh' });
    out.push({ text: pick(r, en ? SCAM_EN : SCAM_ZH)(r), label: 1, lang: en ? 'en' : 'zh' });
  }
  return out;
}
