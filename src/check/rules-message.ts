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
/** Top-level domains a written-out link ends in, for rules that need an action right before a link. */
const LINK_TLD = 'com|cn|net|top|xyz|vip|cc|co|me|info|shop|site|online|club|icu|link|app|live|fun|pro|wang|help|tw|hk|uk|ly';
/** A link written out after an action, with or without its scheme (an e-mail address is not one). */
const WRITTEN_LINK = `(?<![@a-z0-9.-])(?:https?://)?[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)*\\.(?:${LINK_TLD})(?![a-z])`;
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
  '(?:回复\\s?1(?!\\d)|扣\\s?1(?!\\d)|加我(?!们)|加微信|加v|加qq|加好友|\\+微信|\\+qq|\\+好友|➕|私我|私聊|私信|丝我|si我|si xin|滴滴我|联系我(?!们)|找我(?!们)|扣我|v我|dd我|来的加|想了解的)';

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
    `(?:银行卡|信用卡|储蓄卡|借记卡|卡片|账户|帐户|社保卡|医保卡)(?:[^，。,!！\\n]{0,10}?)(?:已|已被|被|将被|即将被|将于.{0,8}?|将)(?:临时|暂时|永久)?(?:冻结|锁定|限制|停用|止付|降额|作废)|(?:银行卡|信用卡|储蓄卡|账户)(?:冻结|锁定)`,
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

  // a threat to an account, card, number or service, with a number to call or a link to act on
  r(
    'm.suspend',
    'type',
    'phishing',
    1.0,
    // Addressed to the reader ("您的…", "您尾号…"): a customer asking about their own frozen account says 我的.
    `(?:您|贵)[^。！!？?\\n]{0,12}?(?:号码|手机号|账户|银行卡|储蓄卡|借记卡|信用卡|社保卡|医保卡|社保|医保|etc|电费|水费|燃气费|月付|白条|花呗|借呗|包裹|快件)[^。！!\\n]{0,24}?(?:注销|停机|停用|暂停使用|被暂停|已暂停|冻结|停止供电|停电|断电|停水|异常扣款|异常交易|涉嫌违规|违规|逾期未缴|无法投递|无法派送|关闭|失效)`,
    SMS,
  ),
  // After such a threat, any number to call back: the short service numbers of the real institutions are left out.
  r(
    'm.threat_call',
    'ask',
    'call',
    1.0,
    `(?:注销|停机|停用|暂停|冻结|停电|断电|停水|异常|违规|逾期|关闭|征信|公安|起诉|扣款|扣费).{0,40}?(?:致电|拨打|联系|回电|申诉|请电|电话|热线|专线|客服)[^0-9\\n]{0,10}(?:\\+?86)?(?!95|96|100|12\\d)[0-9][\\d -]{6,}`,
    SMS,
  ),
  // A reply carrying personal data ("回复身份证后6位即可办理"): no real operator takes it by SMS.
  r('m.reply_data', 'ask', 'personal', 2.2, `回复.{0,8}?(?:身份证|银行卡|卡号|密码|验证码|姓名)`, SMS),
  // Accounts and codes bought or rented by the piece, and money passed on for a cut: mule recruitment.
  r(
    'm.account_buy',
    'type',
    'part_time',
    2.2,
    `(?:出租|出借|收购|收|租|买)(?<!(?:勿|不要|严禁|禁止|不得|拒绝|不)(?:出租|出借|收购|收|租|买))(?:你的|您的)?(?:实名)?.{0,3}(?:qq号|微信号|微信|qq|账号|号|验证码|手机卡|电话卡|实名号)[^。\\n]{0,16}?(?:\\d+\\s*(?:元|块|r|/条|一条|每条)|日租|一天|每天|每个|一个)|(?:银行卡|卡)?[四三]件套|(?:一个号|每个号|一号)(?:收|给|租)?\\s*\\d+\\s*(?:元|块|r)|(?:扫(?:一下|个)?|帮扫)(?:一下)?.{0,4}(?:登录码|辅助码|解封码|辅助验证|好友辅助)`,
    SMS,
  ),
  r(
    'm.mule_flow',
    'type',
    'part_time',
    2.2,
    `(?:收(?:个)?款|收钱|代收|走账|过账|跑分)[^。\\n]{0,16}?(?:转出|转走|转给|转到|再转)[^。\\n]{0,24}?(?:每笔|提成|佣金|抽成|返点|点位|辛苦费|好处费|\\d+(?:\\.\\d+)?\\s*%)`,
  ),
  // Pay first to get the job: a membership, deposit or training fee before any work.
  r(
    'm.job_fee',
    'ask',
    'transfer',
    1.6,
    `(?:兼职|招聘|招募|工作|任务|接单|入职|上岗|影评员|打字员|录入员|体验员|点赞员).{0,40}?(?:需|需要|要|请)?先(?:开通|缴纳|交|付|充值|购买|办理)(?:一下)?.{0,4}(?:会员|押金|保证金|培训费|资料费|入职费|服装费|会费|门槛费|工牌|\\d+\\s*元)`,
  ),
  // Returns no honest product promises: a fixed monthly rate, double-digit yearly rates, money multiplied.
  r(
    'm.promise',
    'type',
    'investment',
    1.2,
    `(?:年化|年收益|年回报)(?:收益)?(?:率)?.{0,4}?(?<![\\d.])(?:[1-9]\\d(?:\\.\\d+)?|\\d{3,})\\s*%|(?:日化|月化|周化)(?:收益)?(?:率)?.{0,4}?\\d+(?:\\.\\d+)?\\s*%|(?:每月|每天|每日|每周|月|日)(?:固定|稳定)?(?:收益|回报|分红|利息|返利)(?:率)?.{0,4}?\\d+(?:\\.\\d+)?\\s*%|买入即涨|保证收益|收益保证|回购保证|保证回购|保底收益|原始股|(?:投|投资|买)\\s*\\d+\\s*(?:万|千).{0,12}?变\\s*\\d+\\s*(?:万|倍)|(?:翻|涨)\\s*(?:\\d+|[十百几两三五])\\s*倍`,
    SMS,
  ),

  // A gift behind a link: "获赠福利…请登录 xx.xyz 提交申请".
  r(
    'm.reward_link',
    'type',
    'phishing',
    1.0,
    `(?:获赠|赠送|返还|补贴|福利|奖励|礼包|免费领|领取)[^。\\n]{0,24}?(?:登录|点击|访问|打开|进入)[^。\\n]{0,6}?(?<![@a-z0-9.-])[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:${LINK_TLD})\\b`,
    SMS,
  ),
  // Stock tips as a gift ("免费领牛股代码", "送您一份研报").
  r(
    'm.stock_gift',
    'type',
    'investment',
    1.6,
    `(?:免费领|免费送|领取|送您?一份|获取)[^。\\n]{0,10}?(?:牛股|金股|黑马股|股票代码|代码|研报|内参|涨停)`,
    SMS,
  ),
  // Words of the peer-to-peer lending products scam sites copy.
  r('m.p2p', 'type', 'investment', 0.8, `新人专享标|新手标|体验标|理财标|新人标|到期本息`, SMS),
  // Pay first, off the platform ("支付宝转账就行，先付后发").
  r('m.pay_first', 'ask', 'transfer', 1.4, `先付(?:款)?后发|先款后货|先转(?:账)?后发|先打款(?:再|后)发`),
  // "Deposit first" and "register too, I'll teach you": the investment chat's hook.
  r('m.deposit_first', 'ask', 'transfer', 1.4, `先(?:充|冲|投|存|入金)(?:值)?\\s*(?:\\d+|[一二三五十几两]+)\\s*(?:万|千|百|元|块|u)`),
  r('m.join_me', 'type', 'investment', 1.0, `(?:你也|一起)(?:注册|下载|开户|入金)[^。\\n]{0,10}?(?:我教你|我带你|带你|跟着我)`),
  // A loan taken out, then passed to "us": the core move of the refund and credit scams.
  r(
    'm.loan_transfer',
    'ask',
    'transfer',
    2.2,
    `(?:开通|借出|贷出|申请|借)(?:支付宝)?[^。\\n]{0,10}?(?:借呗|花呗|微粒贷|白条|金条|贷款|网贷|备用金)[^。\\n]{0,30}?(?:转到|转给|转入|打到|转回)(?:我们|客服|这边|指定|我这)|(?:借呗|花呗|微粒贷|白条|金条|网贷|备用金)[^。\\n]{0,12}?(?:借出|贷出|取出|套出|提现)[^。\\n]{0,20}?(?:转到|转给|转入|打到|转回)(?:我们|客服|这边|指定|我这)`,
  ),

  // An action to take at a link ("请速登录 xx.cc 办理", "请至 xx.top 缴纳", "依链接完成验证：xx.top").
  r(
    'm.act_link',
    'type',
    'phishing',
    1.0,
    `(?:登录|登陆|点击|点此|访问|前往|至|打开|进入|缴费|缴纳|补缴|付款|支付|认证|验证|核实|办理|兑换|领取|更新)[^。！!\\n]{0,8}?${WRITTEN_LINK}|(?:链接|网址|网站)[^。！!\\n]{0,20}?[:：]\\s*${WRITTEN_LINK}`,
    SMS,
  ),
  // Subsidies, tax refunds and pay rises behind a QR code or a login: the company-mail phishing.
  r(
    'm.subsidy',
    'type',
    'phishing',
    1.4,
    `(?:工资补贴|薪资补贴|薪酬补贴|个税(?:退税|补贴|退还)|社保补贴|补贴申领|退税|调薪|加薪|年终奖)[^。\\n]{0,40}?(?:扫描|扫码|二维码|登录|登陆|点击|申领登记)`,
  ),
  r(
    'm.mail_password',
    'ask',
    'card',
    1.8,
    `(?:邮箱|企业邮箱|工号|账号|账户)(?:的)?(?:账号)?(?:和|及|与|、|加)?(?:登录)?密码[^。\\n]{0,8}?(?:登录|登陆|验证|填写)`,
  ),
  // "Our account changed, pay the goods to the new one": the supplier-mail fraud.
  r(
    'm.new_account',
    'ask',
    'transfer',
    2.0,
    `(?:账户|账号|收款账户|银行账户|收款卡)[^。\\n]{0,12}?(?:已变更|已更换|变更为|更换为|换了|已更改)[^。\\n]{0,30}?(?:汇至|转至|打到|汇到|转到|付至|汇入|转入)|请(?:汇|转|打|付)(?:至|到|入)新(?:的)?(?:账户|账号|卡)`,
  ),
  // An attachment to unpack and run.
  r(
    'm.attachment',
    'ask',
    'app',
    1.6,
    `(?:下载|打开|运行)[^。\\n]{0,12}?\\.(?:zip|rar|7z|exe|scr|bat|msi)(?![a-z])|解压(?:后)?(?:运行|打开|安装)`,
  ),
  // Trading off the platform: "平台上拍太麻烦了", "不走平台".
  r(
    'm.skip_platform',
    'ask',
    'off_platform',
    1.8,
    `平台上?(?:拍|下单|交易|付款|买)(?:太|很|比较)?(?:麻烦|不方便|手续费高|扣点|慢)|不走平台|绕过平台|平台外交易|私下交易`,
  ),
  // "Go to the ATM and cancel the instalments": no real service does anything at an ATM for you.
  r('m.atm', 'ask', 'transfer', 2.2, `(?:至|到|去|前往)\\s*atm[^。\\n]{0,12}?(?:解除|取消|操作|设定|设置|转)|解除分期`),
  // Presales of coins and "internal" products.
  r(
    'm.presale',
    'type',
    'investment',
    1.2,
    `(?:上线|上所|上交易所)[^。\\n]{0,20}?(?:认购|预售|私募)|(?:认购|预售|私募)(?:价|份额)[^。\\n]{0,20}?(?:上线|翻|倍|最后)|内部(?:理财|产品|渠道|名额)|(?:风险为零|无风险|没有风险)|比银行(?:利息|收益)?高`,
  ),
  // Gambling sites' offers.
  r('m.gambling', 'type', 'lottery', 1.4, `首存送|首充送|存送\\d+|提现秒到|博彩|网投|百家乐|彩金`),

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
    `(?:牛股|金股|黑马股|妖股|涨停|必涨|强势股|推荐的股票|股票推荐|荐股|选股|诊股|股票|个股|炒股|股民|操盘|主力|私募|龙头股|k线|打板|抄底|牛市|大盘|a股|翻倍股).{0,30}?(?:加|进|入|扫|私|qq|微信|群|老师|助理|助教)`,
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
    `我是你(?:的)?(?:哥|姐|弟|妹|儿子|女儿|孩子|爸|妈|同学|战友|老同学|老乡|亲戚|大学同学|老领导|领导|外孙|孙子|孙女|外孙女|侄子|侄女|外甥|外甥女|老师|班主任)|(?:还记得我吗|看看我是谁|猜我是谁|听出我是谁)|(?:换了?|这是我的?)新?的?(?:手机号?|号码?|微信号?|qq号?)(?:了|,|，|。|!)`,
  ),
  r(
    'm.acq_money',
    'ask',
    'transfer',
    1.4,
    `(?:急用钱|急需用钱|借我|借点钱|借.{0,4}(?:千|万|块)|周转一下|(?<!你)帮我(?:转|付|交|垫)|先转我|转我\\s*\\d|(?:交|缴)(?:个)?保释金|帮我给.{0,8}?转|先借|帮忙垫|先垫|打给他|转给他|转到这个(?:卡|账户)|明天(?:就)?还你)`,
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
    'b.warning',
    'benign',
    'benign',
    -1.2,
    `(?:不法分子|骗子|诈骗分子)(?:冒充|假冒|伪装)|(?:谨防|警惕|提防|当心|小心)(?:.{0,8})(?:诈骗|骗局|上当)|(?:不会|从不|绝不)(?:通过|以)?.{0,12}(?:要求|索要|让您|让你)|请注意防范|(?:切勿|请勿|不要)(?:点击|轻信|泄露|转账)`,
    SMS,
  ),
  r(
    'b.job_post',
    'benign',
    'benign',
    -0.8,
    `五险一金|缴纳五险|签(?:订)?(?:劳动)?合同|可签合同|缴纳社保|面试地址|到店面试|现场面试|现场工作|持证上岗|公司配车|入职(?:免费)?培训|先看作品|联系人[:：]?.{0,8}(?:人事|招商|女士|先生)|联系人事`,
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
