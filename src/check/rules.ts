/**
 * The rule table. Each rule is a pattern over normalised text (lower case, half width, simplified,
 * obfuscations undone) with the finding it supports and a weight in log-odds units. Weights were set by
 * hand from the anti-fraud guidance and checked on the development split; single weak words (退款, a
 * link) are kept small so that only combinations reach a high risk. This file holds the call and chat
 * scripts; rules-message.ts the short-message shapes, rules-post.ts the posts of the black and grey trades,
 * rules-en.ts English.
 */
import { r, type Rule } from './rule.ts';
import { ENGLISH_RULES } from './rules-en.ts';
import { MESSAGE_RULES } from './rules-message.ts';
import { POST_RULES } from './rules-post.ts';

export type { Rule, RuleGroup } from './rule.ts';

const PLATFORM =
  '(?:淘宝|天猫|京东|拼多多|抖音|快手|唯品会|苏宁|闲鱼|美团|饿了么|支付宝|顺丰|中通|圆通|申通|韵达|邮政|ems|极兔|菜鸟|德邦|得物|小红书|电商|平台|商家|店铺|快递|物流|网店|卖家)';
const CS = '(?:客服|售后|理赔|工作人员|专员|客服中心|客服部|售后部|人员)';
const GIVE = '(?:告诉|提供|报|念|说|发|读|输入|填|给|转发|截图|核对|确认|告知|填写)';
const PLEASE = '(?:请|需要|您需|你需|您要|你要|要求|让您|让你|麻烦|先|把|将|必须|务必|需|得|现在|立即|马上|赶紧|配合)';

/** All rules, grouped by what they support. */
const CHINESE_CALL_RULES: readonly Rule[] = [
  // identity trap 身份陷阱
  r('id.platform_cs', 'trap', 'identity', 0.9, `(?:我是|我们是|这里是|这边是|我这边是|本人是)${PLATFORM}.{0,8}?${CS}`),
  r('id.claims', 'trap', 'identity', 1.2, `(?:自称|冒充|假冒|假扮|谎称是|声称是)(?:是)?.{0,10}?(?:${CS}|客服|工作人员|快递员)`),
  r(
    'id.claims_official',
    'trap',
    'identity',
    0.6,
    `(?:官方|总部|平台)(?:客服|理赔|专员|工作人员)|理赔专员|理赔中心|售后专员|客服专员|专属客服`,
  ),
  r(
    'id.generic',
    'trap',
    'identity',
    0.4,
    `(?:我是|这里是|这边是)(?:某某|xx|某宝|某东|某)?.{0,6}?(?:客服中心|客服代表|客服专员|客服部|客服)`,
  ),
  r('id.courier', 'trap', 'identity', 0.5, `(?:我是|这里是|这边是)(?:顺丰|中通|圆通|申通|韵达|邮政|ems|极兔|德邦|京东)?快递`),

  // information trap 信息陷阱
  r('info.order', 'trap', 'information', 0.6, `(?:您|你)(?:在|于)?.{0,16}?(?:购买|买|下单|订购|拍下)(?:了|的)`),
  r('info.order_number', 'trap', 'information', 0.4, `(?:您|你)的?(?:订单|快递|包裹)(?:号|编号)?(?:是|为|:)`),
  r('info.address', 'trap', 'information', 0.4, `(?:您|你)的?(?:收货|收件)?地址是`),
  r('info.knows', 'trap', 'information', 0.8, `(?:准确|详细|清楚地?)(?:说出|报出|知道)(?:了)?.{0,8}(?:订单|购物|个人|姓名|地址)`),

  // benefit trap 利益陷阱
  r('ben.multiple', 'trap', 'benefit', 1.3, `(?:双倍|两倍|三倍|3倍|2倍|十倍|10倍|多倍)(?:的)?(?:赔偿|赔付|理赔|退款|补偿|返还)`),
  r('ben.claim', 'trap', 'benefit', 0.7, `理赔|赔偿金|赔付|补偿金|补偿款|退款金|退还.{0,4}(?:费用|款)`),
  r('ben.quality', 'trap', 'benefit', 0.5, `质量问题|质量不合格|甲醛超标|致癌|召回|有毒|不合格产品|批次问题`),
  r('ben.lost', 'trap', 'benefit', 0.7, `(?:包裹|快递|货物|件)(?:在运输.{0,6})?(?:丢失|丢了|遗失|破损|损坏|被污染)|丢件`),
  r('ben.refund_offer', 'trap', 'benefit', 0.5, `(?:给您|为您|帮您|给你|为你|帮你)(?:办理|申请|进行)?.{0,4}(?:退款|退费|赔偿|理赔|补偿)`),
  r('ben.cashback', 'trap', 'benefit', 0.5, `返现|返利|红包奖励|高额回报`),

  // credit trap 征信陷阱
  r(
    'cr.credit',
    'trap',
    'credit',
    1.5,
    `(?:影响|损害|破坏|上报|录入|纳入|拉低|降低).{0,6}征信|征信(?:受损|不良|有问题|污点|黑名单|记录|系统|会受|上)|不良记录|信用(?:受损|污点|黑名单)`,
  ),
  r(
    'cr.membership',
    'trap',
    'credit',
    1.2,
    `(?:误|自动|不小心|错误地?)(?:开通|开启|办理|注册|设为|设置为|设置成|升级为)|(?:会员|vip|保障服务|百万保障|保险).{0,8}(?:自动)?(?:扣费|扣款|续费)|每(?:个)?月.{0,4}?扣(?:费|款|除)`,
  ),
  r(
    'cr.close',
    'trap',
    'credit',
    1.2,
    `(?:关闭|注销|取消|解除)(?:掉)?.{0,6}(?:百万保障|会员服务|会员|花呗|借呗|白条|金条|微粒贷|学生账户|校园贷|学生贷|贷款账户|直播账户|主播|代理|商家身份|扣费)`,
  ),
  r('cr.student', 'trap', 'credit', 1.3, `学生贷|校园贷|学生账户|大学生.{0,4}(?:贷款|账户)`),
  r('cr.guarantee', 'trap', 'credit', 0.8, `百万保障|百万医疗保障|保障服务`),

  // dangerous asks
  r(
    'ask.code',
    'ask',
    'code',
    2.2,
    `${GIVE}(?:一下|下)?(?:我|我们|给我|客服)?.{0,8}?(?:验证码|校验码|动态码|短信码|动态密码)|(?:验证码|校验码|动态码)(?:是多少|发给|告诉|报给|念|读一下|给我|截图)`,
  ),
  r('ask.code_narr', 'ask', 'code', 1.4, `(?:骗取|套取|获取|索要)(?:了)?.{0,6}验证码|(?:提供|告知|说出)了.{0,6}验证码`),
  r(
    'ask.card',
    'ask',
    'card',
    2.0,
    `${GIVE}(?:一下|下)?(?:我)?(?:您的|你的)?.{0,6}?(?:银行卡号|卡号|银行卡信息|银行账户信息|cvv|安全码|有效期|银行卡密码|支付密码|取款密码|网银密码|登录密码|账户密码|密码)`,
  ),
  r(
    'ask.personal',
    'ask',
    'personal',
    1.2,
    // The last few digits of an ID are a routine real-name check in after-sales; the whole number, a photo or the bank is not.
    `${GIVE}(?:一下|下)?(?:您的|你的)?.{0,6}?(?:身份证号|身份证号码|身份证信息|身份证照片|手持身份证|社保卡号|开户行)(?!码?的?(?:后|末)[四4六6]位|码?尾号)|(?:身份证照片|身份证正反面|手持身份证).{0,6}?(?:发|传|拍)(?:给|到)?(?:我|客服|这边|过来)`,
  ),
  r(
    'ask.personal_soft',
    'ask',
    'personal',
    0.7,
    `(?:提供|告诉我|核实|确认)(?:一下)?(?:您的|你的)?.{0,4}?(?:姓名和|个人信息|身份信息|联系方式和|家庭住址)`,
  ),
  r(
    'ask.transfer',
    'ask',
    'transfer',
    1.8,
    `${PLEASE}.{0,12}?(?:转账|转钱|转款|汇款|打款|转入|转到|转至|缴纳|充值|支付.{0,4}(?:费|金|款)|交.{0,10}?(?:费|金))`,
  ),
  r(
    'ask.safe_account',
    'ask',
    'transfer',
    2.6,
    `安全账户|安全帐户|监管账户|核查账户|验资|解冻费|解冻金|激活费|公证费|刷流水|清查资金|资金核查`,
  ),
  // Fees and deposits are also what real customers ask about ("花呗分期要手续费吗"), so alone they weigh less.
  r('ask.fee', 'ask', 'transfer', 1.4, `保证金|手续费|工本费|个人所得税|银行流水|资金流水|备用金|对公账户`),
  r('ask.transfer_narr', 'ask', 'transfer', 1.4, `(?:诱导|骗|要求|让).{0,10}(?:转账|汇款|打款|转入|付款)`),
  r(
    'ask.screen',
    'ask',
    'screen',
    2.4,
    `屏幕共享|共享屏幕|开启共享|打开共享|投屏|远程(?:控制|协助|操作)|会议号|会议室号|进入会议|加入会议|视频会议`,
  ),
  r(
    'ask.screen_app',
    'ask',
    'screen',
    1.6,
    `(?:下载|安装|打开|使用|登录|进入).{0,6}(?:腾讯会议|钉钉|飞书|zoom|向日葵|todesk|teamviewer|anydesk|会议软件|会议app)`,
  ),
  r('ask.app', 'ask', 'app', 1.0, `(?:下载|安装)(?:一下|一个|个)?.{0,8}?(?:app|软件|应用|客户端|apk)|应用商店搜索`),
  r(
    'ask.link',
    'ask',
    'link',
    0.8,
    `(?:点击|点开|打开|访问|登录|进入)(?:下方|以下|这个|该|我发的|短信中的|短信里的)?.{0,4}(?:链接|网址|网站|网页)|(?:链接|网址)(?:发给|发您|发你)`,
  ),
  r('ask.qr', 'ask', 'qr', 1.0, `扫(?:描|一下|一扫|下)?.{0,4}(?:二维码|付款码|收款码)|扫码`),
  r(
    'ask.loan',
    'ask',
    'loan',
    2.0,
    `(?:借款|贷款|网贷|借钱|借贷|申请.{0,6}(?:额度|借款|贷款)|(?:花呗|借呗|微粒贷|京东金条|白条|360借条|美团借钱|备用金).{0,6}(?:借|贷|提现|套现|取出|额度))`,
  ),
  r(
    'ask.loan_clear',
    'ask',
    'loan',
    1.4,
    `(?:清空|清零|消除|清除|注销|降低).{0,4}(?:额度|贷款|借款|网贷)|贷款额度|(?:额度|贷款)(?:全部)?(?:取出|提现)`,
  ),
  r(
    'ask.off_platform',
    'ask',
    'off_platform',
    1.5,
    `(?:加|添加|联系)(?:一下|下|我|我的|客服的?|工作人员的?)?.{0,6}?(?:微信|qq|好友|群)|(?:微信|qq)(?:号|群)?(?:是|为|:)|(?:私下|线下|平台外|不走平台|绕过平台)(?:交易|处理|退款|联系|转账)`,
  ),
  r(
    'ask.secrecy',
    'ask',
    'secrecy',
    1.4,
    `(?:不要|别|不能|不准|不许|不得)(?:告诉|跟|和|对|让|通知)(?:你的|您的)?(?:家人|家里人|别人|任何人|其他人|银行|警察|亲友|朋友|老公|老婆|父母|同事)|(?:保密|不要挂断?电话|不能挂断?电话|不要报警|不许报警)`,
  ),
  r(
    'ask.urgency',
    'ask',
    'urgency',
    0.5,
    `(?:立即|立刻|马上|赶快|赶紧|尽快|尽早)(?:处理|操作|办理|转账|缴纳|联系|回电|点击|完成)|(?:今天|今日|当天|\\d+(?:分钟|小时)|半小时)(?:之)?内(?:处理|办理|完成|操作|缴纳|激活|认证)?|否则.{0,12}(?:冻结|影响|扣费|逾期|注销|作废|起诉|失效|处罚)|逾期.{0,4}(?:不处理|未处理|将)`,
  ),

  // channel signs
  r('ch.mobile_cs', 'channel', 'channel', 0.6, `(?:客服|售后|理赔)(?:电话|号码)?(?:是|为|:)?1[3-9]\\d{9}`),

  // other telecom-fraud types
  r(
    't.police',
    'type',
    'police',
    1.6,
    `(?:公安|警察|警官|派出所|刑警|检察院|检察官|法院|公安局|网警|经侦|反诈中心).{0,24}?(?:涉嫌|洗钱|通缉|逮捕|冻结|资金清查|配合调查|案件|传唤|拘留|立案)|涉嫌(?:洗钱|犯罪|违法|诈骗|贩毒)|(?:逮捕|通缉|拘捕)令|洗钱案|资产冻结`,
  ),
  r(
    't.gov',
    'type',
    'police',
    1.0,
    `(?:社保|医保|公积金|个税|税务).{0,8}(?:异常|冻结|停用|违规|被盗用)|(?:卫健委|疾控|税务局|社保局).{0,10}(?:核实|调查|处理)`,
  ),
  r(
    't.loan',
    'type',
    'loan',
    1.4,
    `(?:无抵押|免抵押|低息|无息|免息|秒批|秒到账|黑户可贷|不看征信|无视征信|征信修复|修复征信|洗白征信|快速放款|包下款|内部渠道)|(?:放款|下款|贷款).{0,10}(?:解冻|保证金|手续费|刷流水|验证还款能力|会员费|工本费|认证费)`,
  ),
  r(
    't.acquaintance',
    'type',
    'acquaintance',
    1.3,
    `(?:我是你(?:的)?|我是您(?:的)?)(?:领导|老板|老师|班主任|同学|朋友|表哥|表姐|叔叔|舅舅|校长|主任)|猜猜我是谁|(?:换了|新)(?:的)?(?:手机号|号码|微信)|明天.{0,4}?(?:到|来)我办公室|(?:领导|老板|总).{0,10}(?:急需|帮我|先转|垫付)`,
  ),
  r(
    't.investment',
    'type',
    'investment',
    1.4,
    `内幕消息|内部消息|稳赚不赔|稳赚|高回报|高收益|保本保息|零风险|带单|荐股|老师带|导师带|投资平台|投资项目|理财平台|虚拟币|数字货币|usdt|比特币|炒股群|期货|外汇|翻倍|收益率.{0,6}%|日收益|平台漏洞|数据漏洞`,
  ),
  r(
    't.part_time',
    'type',
    'part_time',
    1.5,
    `刷单|刷信誉|刷好评|点赞(?:赚|返|任务)|做任务|垫付|兼职.{0,10}(?:日结|日赚|佣金|返佣|在家)|佣金|日赚\\d+|动动手指|躺赚|任务单|连单`,
  ),
  r(
    't.romance',
    'type',
    'romance',
    1.2,
    `杀猪盘|网恋|交友(?:软件|平台|网站)|(?:亲爱的|宝贝|老婆|老公).{0,30}?(?:投资|平台|充值|漏洞|彩票|赚钱)`,
  ),
  r(
    't.lottery',
    'type',
    'lottery',
    1.3,
    `(?:恭喜您?|恭喜你)(?:获得|中了|被抽中|成为)|(?:中奖|获奖|领奖|中大奖|抽中).{0,20}?(?:手续费|保证金|税|个人所得税|链接|点击|验证|激活|领取)|幸运(?:用户|观众|号码)|场外(?:幸运|抽奖)`,
  ),
  r(
    't.lottery_win',
    'type',
    'lottery',
    1.3,
    `(?:恭喜|祝贺)(?:您|你)?.{0,12}?(?:中奖|中了|获得|赢得|被选为|被抽中|抽中)|(?:彩票中心|幸运之星|特等奖|头等奖|大奖的?得主)|(?:中奖|大奖|奖金|奖品).{0,24}?(?:提供|核实|姓名|身份证|发放|领取)`,
  ),
  r(
    't.kidnap_control',
    'type',
    'kidnap',
    1.8,
    `(?:儿子|女儿|孩子|家人|老公|老婆|孙子|孙女).{0,16}?(?:被.{0,8}?(?:控制|扣押|扣留|绑|抓走|带走)|遇到.{0,8}(?:麻烦|危险|紧急))|(?:后果自负|再也见不到)`,
  ),
  r('t.customs', 'type', 'phishing', 0.9, `清关|海关.{0,6}(?:扣|查|罚)|被扣留|违禁物品`),
  r(
    't.kidnap',
    'type',
    'kidnap',
    2.0,
    `绑架|撕票|赎金|(?:你|您)(?:的)?(?:儿子|女儿|孩子|家人|老公|老婆|父亲|母亲|爸爸|妈妈|孙子).{0,12}(?:在我(?:们)?手(?:上|里)|出事|被抓|车祸|住院|抢救|打伤|被扣)`,
  ),
  r('t.phish_points', 'type', 'phishing', 1.0, `积分.{0,10}(?:清零|过期|到期|即将失效|兑换现金)`),
  r(
    't.phish_account',
    'type',
    'phishing',
    1.0,
    `(?:账户|账号|银行卡|信用卡|社保卡|医保卡|网银|u盾|电子密码器).{0,8}(?:冻结|异常|停用|失效|限制|注销|升级|过期|被盗)|冻结(?:您|你)的?(?:银行卡|账户|账号|资金|信用卡)|(?:信用卡|额度).{0,6}?(?:提额|提升额度|额度提升)|提额标准`,
  ),
  r('t.phish_etc', 'type', 'phishing', 1.2, `etc.{0,8}(?:失效|认证|停用|过期|禁用|异常|更新)`),
  r('t.phish_subsidy', 'type', 'phishing', 1.0, `(?:补贴|退税|补助|失业金|养老金|生育津贴|个税退还|医保返还).{0,8}(?:领取|申领|发放|办理)`),
  r('t.phish_parcel', 'type', 'phishing', 0.9, `(?:包裹|快递|邮件).{0,10}(?:异常|无法派送|地址不详|地址不全|滞留|扣押|违禁品|海关)`),
  r(
    't.bank',
    'type',
    'bank',
    0.8,
    `(?:银行|信用卡中心|银联|金融).{0,6}(?:客服|工作人员|专员|中心).{0,30}?(?:异常|风险|冻结|提额|降额|额度|升级|盗刷)`,
  ),
  r('t.report', 'type', 'fraud_report', 1.6, `(?:被骗|受骗|上当|诈骗分子|骗子|骗局|诈骗团伙|诈骗电话|电信诈骗|网络诈骗|诈骗案)`),
  r('t.report_narr', 'type', 'fraud_report', 1.0, `(?:受害人|事主|被害人|报案|报警称|民警|接警|警方提醒|发现被骗)`),

  // signs that a text is an ordinary notice or in-platform service
  // A short question that ends as one is a customer asking ("借呗怎么不能提现"), not a script telling them what to do.
  r(
    'b.question',
    'benign',
    'benign',
    -1.2,
    `^(?![^\n]*(?:我是|这里是|这边是|您好|请问您))[^。!！\n]{0,60}(?:吗|么|嘛|麽|呢|怎么办|怎么回事|为什么|是不是|什么情况|怎么操作|怎么弄|如何)[?？]?$`,
    64,
  ),
  r('b.unsubscribe', 'benign', 'benign', -1.6, `退订|回复?td|回t|拒收请回|回复n|退回复|t退`),
  r(
    'b.code_notice',
    'benign',
    'benign',
    -1.4,
    `(?:验证码|校验码|动态码)(?:是|为|:)?\\s*\\d{4,8}|\\d{4,8}(?:\\s*)?(?:\\(|\\)|为|是)?(?:您的)?(?:验证码|校验码|动态码)`,
  ),
  r(
    'b.warning',
    'benign',
    'benign',
    -1.0,
    `(?:请勿|切勿|不要|千万不要|勿)(?:泄露|告知|告诉|转发|透露|提供)(?:给)?(?:他人|任何人|别人)?|(?:工作人员|客服)(?:不会|绝不会|从不).{0,8}(?:索要|索取|要求)|谨防(?:诈骗|受骗)|如非本人操作`,
  ),
  r('b.antifraud', 'benign', 'benign', -1.0, `都是诈骗|谨防|警惕.{0,6}诈骗|国家反诈|反诈中心|防骗提醒`),
  // The customer called the service line: the opening of an inbound call. Small, because a callback scam's
  // fake hotline opens the same way; a dangerous ask still lifts the verdict.
  r(
    'b.inbound',
    'benign',
    'benign',
    -0.6,
    `欢迎致电|感谢(?:您的)?来电|(?:请问)?有什么(?:问题)?(?:我)?(?:可以|能)(?:帮|为)(?:助)?(?:您|你)|请问有什么(?:需要|问题)`,
  ),
  r(
    'b.in_app',
    'benign',
    'benign',
    -0.8,
    `(?:在|到|通过|进入)(?:app|平台|订单页面?|订单详情|我的订单|淘宝|京东|官方app|商城)(?:里|内|上|中)?.{0,6}(?:申请|操作|点击|提交|查看)|原路(?:退回|返回|退还)|无需(?:您)?(?:提供|操作|支付)`,
  ),
];

/** All rules: call and chat scripts, short messages, posts of the black and grey trades, and English. */
export const RULES: readonly Rule[] = [...CHINESE_CALL_RULES, ...MESSAGE_RULES, ...POST_RULES, ...ENGLISH_RULES];
