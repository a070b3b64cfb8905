/**
 * Rules for short messages and posts: the shapes of fake-base-station SMS, phishing texts, job and
 * money-making pitches, stock-tip groups, shopping and logistics link scams, and acquaintance
 * impersonation. Patterns run on normalised text (simplified, lower case, 微信/qq/验证码 spellings undone).
 */
import { r, type Rule } from './rule.ts';

/** Institutions that phishing texts speak for. */
const INSTITUTION =
  '(?:银行|信用卡中心|银联|中国移动|中国联通|中国电信|移动公司|联通公司|电信公司|运营商|营业厅|10086|10010|10000|etc|高速|社保|医保|公积金|税务|人社|交管|车管所|12123|工商|邮政|快递|物流|顺丰|京东|淘宝|天猫|拼多多|支付宝|微信支付|抖音|美团|苹果|apple|icloud)';
/** What they want done, in a link or on the phone. */
const ACTION =
  '(?:登录|登陆|验证|认证|核验|更新|升级|激活|领取|兑换|申领|办理|解冻|解除|补办|填写|提交|确认|点击|进入|访问|回电|致电|拨打)';
/** Numbers a text asks to call: not the short service numbers (95xxx, 96xxx, 400/800, 100xx, 12xxx). */
/** Phishing-SMS shapes are looked for in texts up to this long: the length of a few messages, not a dialogue. */
const SMS = 400;
const CALL_NUMBER = '(?:\\+?86)?(?!95|96|400|800|100|12\\d)[0-9][\\d-]{6,}';
/** Money that comes easily: earnings claims of job and money-making pitches. */
const EARN =
  '(?:日结|日薪|日入|日赚|月入|月赚|月薪|时薪|一单|每单|单价|(?:一|每)(?:个)?(?:天|日|晚|周|月|小时)|小时|两周|月保底|保底)(?:稳入|收入|工资|佣金|报酬|可赚|能赚|赚|结|挣|到手|过|约|最低|最少|轻松|保底|可以|就能)*\\s*(?:\\d[\\d.,]*\\s*(?:k|w|千|万|百|佰|元|块|米|r)|\\d{3,}|[一二三四五六七八九几两十]+[十百千万佰仟](?:元|块)?|[一二三四五六七八九几两三]+(?:位数)|过万|上万|过千|上千|几百|几千|[一二三四五六七八九两]{1,2}[百千万])';
/** Words of a job pitch that are also ordinary ("兼职老师"): they count only next to a pay or ease claim. */
const JOB_WORD = '(?:兼职|副业|居家项目|线上项目)';
const JOB_CUE =
  '(?:在家(?:就能|就可以|可做|做|赚|办公|照顾)|宝妈|零门槛|0门槛|零成本|0成本|无需经验|不需要经验|手机就(?:能|可以)|一部手机|两部手机|赚米|收米|赚外快|零花钱|手工活|打字员|录入员|上岸|点赞员|体验员|试玩|代拍|跑分|兼值|简职)';
const JOB = `(?:${JOB_WORD}|${JOB_CUE})`;
const CONTACT =
  '(?:加我(?!们)|加微信|加v|加qq|加好友|\\+微信|\\+qq|\\+好友|➕|私我|私聊|私信|丝我|si我|si xin|滴滴我|联系我(?!们)|找我(?!们)|扣我|v我|dd我|来的加|想了解的)';

/** Short-message and post rules. */
export const MESSAGE_RULES: readonly Rule[] = [
  // phishing: an institution wants an action, often by a deadline
  r(
    'm.inst_action',
    'type',
    'phishing',
    0.8,
    `${INSTITUTION}.{0,24}?${ACTION}.{0,12}?(?:链接|网址|网站|网页|http|www|\\.cn|\\.com|回电|致电|拨打)`,
    SMS,
  ),
  r(
    'm.token',
    'type',
    'bank',
    1.5,
    `(?:电子密码器|e令牌|u盾|ukey|网银盾|k宝|数字证书|安全证书|动态令牌|口令卡|安全控件|网银|手机银行|电子银行)(?:.{0,8})(?:过期|失效|到期|升级|更新|停用|作废|异常|已锁|锁定)`,
    SMS,
  ),
  r(
    'm.frozen',
    'type',
    'bank',
    1.0,
    `(?:银行卡|信用卡|储蓄卡|借记卡|卡片|账户|帐户|社保卡|医保卡)(?:[^，。,!！\\n]{0,10}?)(?:已|已被|被|将被|即将被|将于.{0,8}?|将)(?:冻结|锁定|限制|停用|止付|降额|作废)|(?:银行卡|信用卡|储蓄卡|账户)(?:冻结|锁定)`,
  ),
  r(
    'm.limit',
    'type',
    'bank',
    1.0,
    `(?:提额|提升额度|额度提升|临时额度|大额额度|额度调整|调额|提高额度|额度上调|固定额度).{0,30}?(?:登录|点击|申请|办理|回电|致电|拨打|联系|http|www|\\.cn|\\.com)`,
    SMS,
  ),
  r(
    'm.reward',
    'type',
    'phishing',
    1.2,
    `(?:积分|话费|流量|红包|奖励|礼包|补贴|福利|礼品|奖品|现金|返现|津贴|退费|退款).{0,14}?(?:未领取|待领取|未兑换|可兑换|可领取|即将(?:过期|清零|失效|到期|作废)|(?:今日|今天|当天|今晚|\\d+(?:小时|天))(?:内)?(?:过期|清零|失效|作废|有效))`,
    SMS,
  ),
  r(
    'm.logistics',
    'type',
    'phishing',
    1.0,
    `(?:快递|包裹|物流|订单|货物|快件|驿站|裹裹|收货)(?:.{0,16})(?:异常|丢失|无法派送|退回|拦截|滞留|系统升级|信息有误|地址有误|需(?:要)?(?:更新|补充|确认|核实)|更新收货|理赔|赔付).{0,20}?(?:点击|登录|下载|访问|链接|http|www|\\.cn|\\.com|加(?:微信|qq))`,
    SMS,
  ),
  r(
    'm.order_offsite',
    'type',
    'fake_cs',
    1.0,
    `(?:确认订单|核对订单|订单确认|订单|下单|优惠|退款|售后|发货|激活|返现).{0,10}?(?:加|添加)(?:我们的?|客服的?|商家的?|售后的?)?(?:微信|qq)`,
  ),
  r(
    'm.transfer_discount',
    'ask',
    'transfer',
    2.2,
    `私下转账|线下转账|(?:银行转账|对公转账|转账(?:购买|付款|下单)|私下交易|微信转账|支付宝转账).{0,10}(?:优惠|便宜|折扣|打折|更划算|发货|立减)`,
  ),
  r(
    'm.coupon',
    'type',
    'phishing',
    0.8,
    `(?:优惠券|会员|权益|赠品|礼品卡|购物卡|激活码).{0,10}(?:激活|领取|兑换).{0,10}(?:链接|网址|点击|http|www|\\.cn|\\.com)`,
    SMS,
  ),
  r('m.apk', 'ask', 'app', 1.4, `(?:下载|安装|更新).{0,12}?(?:\\.apk|安装包|最新版|专用app|专属app|客户端)|\\.apk(?![a-z])`),

  // calling back a number the message gives
  r(
    'm.call',
    'ask',
    'call',
    1.0,
    `(?:致电|拨打|速拨|请拨|拨|回电|来电|电询|详询|回拨|请咨询|咨询电话|联系电话|客服电话|热线|电话)[:：]?\\s*${CALL_NUMBER}`,
  ),

  // stock-tip and "teacher" groups
  r(
    'm.stock',
    'type',
    'investment',
    1.6,
    `(?:牛股|金股|黑马股|妖股|涨停|荐股|选股|诊股|股票|个股|炒股|股民|操盘|主力|私募|龙头股|k线|打板|抄底|牛市|大盘|a股|翻倍股).{0,30}?(?:加|进|入|扫|私|qq|微信|群|老师|助理|助教)`,
    SMS,
  ),
  r(
    'm.group_urgency',
    'type',
    'investment',
    1.0,
    `人满即封|满员即封|人满即止|满人即封|限时进群|进群领取|进群免费|名额有限.{0,6}(?:加|进群)|免费(?:诊股|荐股|领取.{0,4}(?:牛股|金股))`,
    SMS,
  ),
  r(
    'm.returns',
    'type',
    'investment',
    1.2,
    `(?:月盈利|日盈利|收益|回报|盈利)(?:率)?.{0,6}?\\d{2,}\\s*%|稳赚|保本|零风险|只赚不赔|包赚|躺赚`,
  ),

  // job and money-making pitches
  r('m.earn', 'type', 'part_time', 0.8, EARN),
  r(
    'm.job_pitch',
    'type',
    'part_time',
    0.6,
    `${JOB_CUE}|${JOB_WORD}.{0,12}?(?:日结|日入|月入|轻松|在家|手机|宝妈|学生|零门槛|0门槛|不限|时间自由|赚|佣金|返|结算|收入)`,
  ),
  r(
    'm.contact_pitch',
    'ask',
    'off_platform',
    1.2,
    `${CONTACT}.{0,6}(?:了解|咨询|详聊|领取|报名|私聊|带你|教你)|(?:有意|感兴趣|想做|想了解|想赚|要赚).{0,6}(?:${CONTACT}|私|加|滴|\\+)`,
  ),
  r('m.pitch_contact', 'ask', 'off_platform', 1.3, `(?:${JOB}|${EARN}).{0,40}?${CONTACT}`),
  r(
    'm.no_fee',
    'type',
    'part_time',
    0.8,
    `不收(?:任何)?(?:费用|押金|一分钱)|无需(?:任何)?(?:费用|押金|投资)|不用(?:出|投)一分钱|全程免费.{0,10}(?:赚|收入)`,
  ),
  // Renting out cards and accounts (money mules), in two rules so that each keeps a selective gate.
  r(
    'm.mule',
    'type',
    'part_time',
    1.6,
    `(?:出租|出借|收购|收|租用)(?:你的|您的)?.{0,4}(?:银行卡|微信号|支付宝|qq号|手机卡|电话卡|对公账户)`,
  ),
  r('m.mule_use', 'type', 'part_time', 1.6, `(?:用|借)(?:你的|您的)?(?:银行卡|账户).{0,8}(?:走账|过账|流水|收款|处理资金)`),

  // acquaintance impersonation
  r(
    'm.acq_who',
    'type',
    'acquaintance',
    1.1,
    `我是你(?:的)?(?:哥|姐|弟|妹|儿子|女儿|孩子|爸|妈|同学|战友|老同学|老乡|亲戚|大学同学|老领导|领导)|(?:还记得我吗|看看我是谁|猜我是谁|听出我是谁)|(?:换了?|这是我的)新?的?(?:手机号?|号码?|微信号?|qq号?)(?:了|,|，|。|!)`,
  ),
  r(
    'm.acq_money',
    'ask',
    'transfer',
    1.4,
    `(?:急用钱|急需用钱|借我|借点钱|借.{0,4}(?:千|万|块)|周转一下|帮我(?:转|付|交|垫)|帮我给.{0,8}?转|先借|帮忙垫|先垫|打给他|转给他|转到这个(?:卡|账户)|明天(?:就)?还你)`,
  ),
  r(
    'm.acq_excuse',
    'type',
    'acquaintance',
    0.8,
    `(?:不方便|不能)(?:接|打|视频)(?:电话)?|(?:在开会|在外地|在国外|出差|手机坏了|手机丢了).{0,12}(?:不方便|转|借|帮)`,
  ),

  // benign shapes: notices that only inform, and receipts
  // A receipt's own fields ("交易金额：", "扣费成功"). Small, so that a phishing link in a fake receipt still lifts it.
  r(
    'b.receipt',
    'benign',
    'benign',
    -0.8,
    `(?:交易|动账|到账|收款|扣费|消费|入账)(?:提醒|通知|成功)|(?:交易|收款|扣费|入账|消费)(?:金额|时间|方式)(?:[:：¥￥]|\\d|零钱)`,
    SMS,
  ),
  r(
    'b.only_app',
    'benign',
    'benign',
    -0.6,
    `(?:请|可)(?:通过|在|登录|打开)(?:官方)?(?:app|手机银行|营业厅app|微信公众号|官方网站)(?:查询|查看|办理)`,
  ),
];
