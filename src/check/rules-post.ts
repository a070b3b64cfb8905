/**
 * Rules for the posts of the black and grey trades as people meet them in groups and comments: pay claims
 * written as rates ("850一小时", "半小时6张"), their invitations ("想赚的来", "丝我"), the trades' own
 * slang (出村, 背债, 白户, 跑分), and the pitches of pyramid schemes, reseller agencies, gambling sites and
 * second-hand "fees". Each rule alone stays below medium; a pitch next to an invitation does not.
 */
import { r, type Rule } from './rule.ts';

/** Posts are short: these shapes are looked for in texts up to this long. */
const POST = 300;
/** A sum of money in digits or Chinese numerals, with the slang units (张 = hundred, w = ten thousand); not steps, pages or grams. */
const SUM =
  '(?:\\d+o{2,}|\\d[\\d.,]*\\s*(?:k|w|q|个w|千|万|百|佰|元|块|米|r|u|张|个?位数|\\+)|\\d{3,}(?![\\d.]|\\s*(?:步|公里|km|次|人|字|页|分|斤|克|卡|ml|mb|gb|g(?![a-z])|个(?!w)))|[一二两三四五六七八九十几]{1,3}\\s*(?:百|千|万|张|个w|w|位数)|[一二两三四五六七八九十几]{1,2}[十百千万]来?块|几\\s*(?:k|w|千|万)|小?[一二两三四五六七八九]千|(?:好多|几)?wan|[三四五六]位数)';
/** A unit of time or work that a rate is paid per. */
const PER = '(?:小时|个小时|h|天|晚|单(?!元)|趟|周|月)';
/** Homophones and short forms the trades write for 兼职, 副业 and 项目 around filters. */
const JOB_SPELLING = '(?:副叶|副项|副页|富叶|煎职|简职|兼值|jz|橡木|项木|相目|绿色项目|绿色搬砖|搬砖项目)';
/** Invitations of posts: the reader is to reach out. */
const INVITE =
  '(?:私我|私信我?|私聊|丝我|思我|si我|q我|扣我|滴滴我?|dd我|d我|v我|\\+我|➕我?|加我|伽我|佳我|嘉我|(?:伽|佳|嘉)(?:v|微|$)|找我|联系我|来找|\\+v|\\+q|➕v|➕q|加v|佳v|来的加|的来|来就做|可以来|就来|速来|来撩|带你|免费带|带人|带几个|带兄弟|有意者?|有兴趣的)';

/** Post rules. */
export const POST_RULES: readonly Rule[] = [
  // pay claimed as a rate: "850一小时", "一小时750", "5天1500+", "一趟8万", "日入3~5位数"
  r(
    'p.rate',
    'type',
    'part_time',
    0.9,
    `(?:\\d+|[一两二三四五六七八九十半]|每)\\s*(?:个)?${PER}(?:(?!才|只)[^\\d,，。!！?？\\n]){0,4}?${SUM}|(?:\\d{3,}|\\d+o{2,}|[一二两三四五六七八九]\\s*[百千万张])\\s*(?:元|块|米|r|u|💰)?\\s*(?:/|一|每|1)?\\s*(?:个)?(?:${PER}|时)(?!\\s*(?:的)?(?:利息|利率|多少|要还|还|息))|${PER}(?:结|结算|结账)\\s*${SUM}|到手\\s*\\d+\\s*个|(?:变现|日入|月入|收益|到手)\\s*(?:\\d|[一二三四五六七八九])\\s*(?:到|~|～|-|—)?\\s*(?:\\d|[一二三四五六七八九])?\\s*位数|月入(?:过|破|上)(?:w|万)|(?:日|月|年)(?:赚|入|挣|收入)?\\s*(?:\\d[\\d.]*\\s*(?:-|_|~|到)*\\s*\\d*\\s*(?:k|w|q|个w)(?![a-z])|千元|过万|上万|\\d位数)|(?:到手|收益)\\s*\\d+\\s*(?:w|万|个w)|(?:日|月|年)(?:收入|工资|薪)[^\\d,，。]{0,3}?(?:[一二两三四五六七八九几十]+|\\d+)\\s*(?:万|w|千)`,
    POST,
  ),
  // the trades' own words: going abroad to a compound, fronting debt, clean-credit "white" accounts, card renting
  r(
    'p.slang',
    'type',
    'part_time',
    1.2,
    `${JOB_SPELLING}|一单一结|日结兼职|秒结|下课(?:秒)?结|暴富|想翻身|免费带|免米|免肥|无hf|一丹|丹价|试丹|做丹|拉(?:满|够)?\\d+个?人?给|加人.{0,10}?(?:一单|都算|有💰|给\\d)|拉人(?:头|进群)|一时一结|(?:要|搞|赚|挣)快钱|挣米|米米|素场|荤场|出村|出国务工.{0,8}(?:包吃|包机票|高薪)|背债|纯白户?|白户|小白户|黑花|大花户|跑分|卡农|收u|出u|u商|洗米|(?:0|零)撸|撸(?:口子|贷|实物|羊毛)|口子|赚米|转米|搞米|缺米|收米|有米|米花|偏门|捞偏|灰产|黑产|走投无路|想上岸|快速上岸|带你上岸|尚岸|有胆量|胆大的?来|胆子大`,
    POST,
  ),
  // loans for anyone, from a person: "黑户可下", "不看征信", "当天拿钱"
  r(
    'p.loan_ad',
    'type',
    'loan',
    1.2,
    `(?:黑户|白户|花户|烂户|征信花|征信黑|逾期|负债高?).{0,8}(?:可下|能下|也能|可做|可贷|秒下|下款|拿钱|都行|不限)|(?:下款|放款|拿钱).{0,4}(?:快|稳|当天|秒|包)|不看(?:征信|负债|流水)|无视(?:黑白|征信)|应急周转|短期周转|空放|当天放款|(?:花呗|白条|额度|分期|月付).{0,6}(?:套现|回收|秒回)|回收.{0,10}额度|负债协商|停息挂账|(?:我)?(?:个人|私人)(?:借给你|放款|出借|借款|借贷)|当天(?:拿钱|下款|放款)|解决资金问题|(?:有|无|没有)(?:任何)?(?:前期|隐形费用)|有路子|给你路子|(?:电子签|打)的?借条|借贷宝|(?:救急不救穷|解决资金|资金周转|急用钱的?).{0,16}(?:私|联系|加|找|来)`,
    POST,
  ),
  // the invitation of a pitch: it counts only next to a reason to write ("想赚的来", "缺钱的私我")
  r(
    'p.invite',
    'ask',
    'off_platform',
    1.2,
    `(?:想|要)(?:赚|挣|搞|做|了解|上岸|学|撸|翻身|转|领取)[^,.。!！?？\\n]{0,6}?(?:的|者)?${INVITE}|(?:缺钱|缺米|没钱|负债|有需求|有需要|需要的?|有想法|感兴趣|有兴趣|有意|有胆量|胆大|认识的?兄弟|兄弟们?|姐妹们?|宝妈)[^,.。!！?？\\n]{0,4}?${INVITE}|(?:做|赚|挣)的(?:来|加|私|滴|找|\\+|➕)`,
    POST,
  ),
  // invitations spelled around filters ("丝我", "伽我", "滴滴我") or after a job word: weaker without a reason
  r(
    'p.invite_spelled',
    'ask',
    'off_platform',
    0.8,
    `(?:丝我|思我|si我|伽我|佳我|嘉我|滴滴我|滴我|dd我|q我|\\+我|➕我|私信给我|私我(?:给|带)你|加我详谈|加微详聊)|(?:有个|这里有个|有一个)[^,，。]{0,8}?(?:项目|路子|副业|兼职|工作)[^。]{0,8}?(?:要不要|了解一下|做不做|有兴趣)|(?:项目|副业|兼职|${JOB_SPELLING}|路子|门路|搞钱|赚钱|挣钱).{0,8}?(?:私我|私聊|联系我|找我|加我|私信)|拉你进群`,
    POST,
  ),
  // "no deposit, no investment": what every pitch promises before asking for a fee
  r(
    'p.no_cost',
    'type',
    'part_time',
    0.7,
    `(?:0|零)(?:投资|投入|学费|成本|门槛|押金|风险)|不要(?:押金|本金|本钱|任何费用)|免押金|不需要(?:本金|投资|押金)|无前期|没有前期|无任何(?:费用|前期)|不收(?:任何)?(?:费|钱)|(?:不用|无需)(?:出|投|交)一分钱`,
    POST,
  ),

  // pyramid schemes: pay to join, earn from recruits
  r(
    'p.pyramid',
    'type',
    'investment',
    1.3,
    `拉人头|发展下线|拉下线|(?:下线|直推|团队).{0,6}(?:提成|返利|奖励|分红|收益)|入会费|入门费|资金盘|静态收益|动态收益|层级(?:奖励|分红)|(?:级别|等级).{0,6}(?:晋升|升级).{0,8}(?:分红|提成|收益)|消费返利|传销`,
  ),
  // reseller agencies: an agency fee and stock that must be bought first
  r(
    'p.agency',
    'type',
    'part_time',
    1.0,
    `代理(?:费|资格|门槛|级别|权限)|加盟费|(?:囤货|压货|首批进货|进货款|拿货款)|(?:升级|成为)(?:总代|一级代理|高级代理|代理)|(?:交|缴|付).{0,6}(?:代理|加盟|诚意金)`,
  ),
  // gambling sites dressed as income: register, top up, "guaranteed" wins
  r(
    'p.gambling',
    'type',
    'investment',
    1.3,
    `赌博(?:网站|平台|app|游戏)|博彩|百家乐|网赌|菠菜(?:网|平台|app|担保)|彩金|下注|押注|(?:稳赢|包赢|必中|包中|稳中)|(?:注册|充值).{0,8}(?:送|返)\\d|(?:彩票|六合彩|时时彩).{0,10}(?:计划|导师|带|稳|必)`,
  ),
  // second-hand trades: a fee before shipping, an account "frozen" until the buyer pays
  r(
    'p.secondhand_fee',
    'ask',
    'transfer',
    1.4,
    `保价费|(?:交易|平台)?保障金|认证费|解冻金|(?:账户|账号|订单|交易).{0,6}(?:被冻结|被锁定|已冻结).{0,16}(?:支付|付款|缴纳|转|交|激活)|(?:卖家|买家|店铺)(?:保证金|认证|未认证|没有认证)`,
  ),
  // paying a stranger outside the platform: "直接微信转账", "平台扣费高"
  r(
    'p.offsite_pay',
    'ask',
    'transfer',
    1.4,
    `(?:直接|私下|不走平台|绕过平台|平台外)(?:用)?(?:微信|支付宝|银行卡)?(?:转账|付款|打款|交易)|平台(?:扣费|手续费|抽成)(?:很|太)?高`,
  ),
  // a new intimate who steers the talk to a platform: "为了我们的未来", "我带你投资"
  r(
    'p.romance_invest',
    'type',
    'romance',
    1.2,
    `(?:我们的未来|我们的将来|我们以后).{0,40}?(?:投资|平台|理财|赚钱)|(?:投资|平台|理财).{0,40}?(?:我们的未来|我们的将来)|(?:我|我来)(?:可以)?(?:带|教|帮)你(?:投资|操作|理财|炒|赚钱)|(?:再|多|追加)(?:投入|充值|投)(?:一些|一点|点)`,
  ),
  // ordinary paid services advertised by the hour (tutoring, cleaning, repairs): a rate and "联系我" are their normal shape
  r(
    'b.service_ad',
    'benign',
    'benign',
    -1.0,
    `家教|辅导班?|补课|(?:钢琴|游泳|舞蹈|英语|数学)课|课时费|试听|保洁|月嫂|育儿嫂|钟点工|搬家公司|上门维修|开锁`,
    POST,
  ),
  // short replies that close a pitch ("一小时300来", "做吗", "有意者来"): an ask only next to a pitch
  r(
    'p.invite_short',
    'ask',
    'off_platform',
    0.8,
    `(?:来吗|做吗|做不做|干不干|来不来|要不要做|有意者?来|想干的|(?:^|[,，\\s])来$|[,，\\s](?:私|丝)$)`,
    POST,
  ),
  // broker and "teacher" pitches: commission deals, profit sharing, leverage, insider chips
  r(
    'p.stock_pitch',
    'type',
    'investment',
    1.2,
    `免五|先盈后付|盈亏共担|亏盈共担|实盘.{0,4}翻|杠杆.{0,6}倍|底部筹码|一手渠道|内部(?:群|渠道|射裙)|带单|喊单|跟单|(?:每|一)(?:个)?月.{0,6}赚.{0,4}个点`,
    POST,
  ),
  // threats of a visit or a case, from strangers who hold "all your data"
  r(
    'p.threat',
    'type',
    'police',
    1.2,
    `(?:违反|触犯)了?(?:法律|法规)|(?:明天|马上|将|会)(?:派人)?上门(?:调查|处理|执法)?|(?:我们|这边)有(?:您|你)的(?:全部|所有)(?:信息|资料)`,
    POST,
  ),
  // handouts that only need "registering" with someone: subsidies, dividends, state cards
  r(
    'p.handout',
    'type',
    'phishing',
    1.0,
    `(?:派发|发放|下发|领取)(?:了)?.{0,6}(?:补贴|分红|扶贫款|福利金|数字人民币|央数卡|实体卡)|(?:补贴|分红|扶贫款).{0,10}(?:登记|领取|添加|加好友)`,
    POST,
  ),
  // giveaways that end in a group or a private chat: "仅限50个名额，先到先得，进群领"
  r(
    'p.giveaway',
    'type',
    'lottery',
    1.0,
    `(?:名额有限|先到先得|仅限\\d+个?名额|免费(?:送|领|抽)).{0,30}?(?:进群|加群|qq群|进扣扣群|加我|私我|私信)`,
    POST,
  ),
  // offers to young women of pay in the tens of thousands: vice and trafficking recruitment
  r(
    'p.vice',
    'type',
    'part_time',
    1.0,
    `(?:美女|小姐姐|女孩子?|女生)[^。]{0,20}?(?:[一二三四五六七八九两几\\d]+\\s*(?:到|-|~)?\\s*[一二三四五六七八九两几\\d]*\\s*(?:万|w|个w)|日结)|(?:颜值|身材|形象)(?:要|必须)?(?:高|好|佳)`,
    POST,
  ),
  // a stranger who coaches the buying: "我会提醒你什么时候该买进", "系统有个漏洞", "100%回报率"
  r(
    'p.coaching',
    'type',
    'investment',
    1.0,
    `(?:提醒|通知|告诉)你什么时候(?:该)?(?:买|卖|进场|出场)|(?:带|教)你(?:一步步|怎么投|怎么操作|操作)|(?:系统|平台|交易)(?:有个|有一个|的)?(?:小)?(?:漏洞|bug)|\\d{2,}\\s*%\\s*(?:的)?(?:回报|收益)|回报率?(?:很|非常|特别|超)高`,
  ),
  // reassurances that only a pitch needs: "不骗人，没套路", "绿色靠谱正规合法"
  r(
    'p.reassure',
    'type',
    'part_time',
    0.6,
    `不骗人|没(?:有)?套路|绿色(?:靠谱|项目|正规|健康|无风险)|正规合法|合法(?:合规|长久|有效)|稳定合法|真实有效|真实可靠`,
    POST,
  ),
];
