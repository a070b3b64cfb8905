import { describe, expect, it } from 'vitest';
import { check } from './check.ts';
import { matchRules } from './match.ts';
import { normalize } from './normalize.ts';
import { nearMisses } from './test-near-miss.ts';

const ids = (text: string): string[] => matchRules(normalize(text), []).map((h) => h.rule.id);
const level = (text: string): string => check({ text }).level;

/** Each post rule with a text that has it and a near miss that must not. */
const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['p.rate', '线上活 一小时六百', '加班一小时才三十块'],
  ['p.rate', '3000/天，来就做', '每天3000步'],
  ['p.rate', '小时结6oo', '一小时后到'],
  ['p.slang', '带你出村，半个月到手50个', '周末回村看看爷爷'],
  ['p.slang', '背债来，纯白户优先', '背着书包去上学'],
  ['p.loan_ad', '黑户也能下，不看征信', '借呗逾期了怎么办'],
  ['p.invite', '想赚钱的丝我', '想吃火锅的举手'],
  ['p.invite_spelled', '副叶项目，伽我', '我家的橡皮擦丢了'],
  ['p.no_cost', '0投资0风险', '投资有风险'],
  ['p.pyramid', '发展下线就有提成', '下班线路调整了'],
  ['p.agency', '先交三千代理费', '代理商明天发货'],
  ['p.gambling', '百家乐稳赢，注册送88', '有机菠菜很新鲜'],
  ['p.secondhand_fee', '发货前先付一块钱保价费', '快递保价是可选的'],
  ['p.offsite_pay', '平台扣费很高，直接微信转账吧', '通过平台付款更有保障'],
  ['p.invite_short', '一小时八百，做吗', '今天吃什么'],
  ['p.stock_pitch', '先盈后付，盈亏共担', '盈利了记得止盈'],
  ['p.threat', '你已经违反了法律，明天派人上门', '明天师傅到家安装空调'],
  ['p.handout', '官方派发了分红补贴，加好友登记领取', '公司年底发奖金'],
  ['p.giveaway', '仅限50个名额，先到先得，进群领取', '名额有限，请到前台登记'],
  ['p.vice', '招几个女生，月入三五万', '女生宿舍今晚停电'],
  ['p.slang', '接单一丹一结', '今天上课'],
  ['p.rate', '工作室，月7w', '七月的天气'],
  ['p.rate', '25000一天，来就做', '25000每天多少钱利息'],
  ['p.rate', '两小时五百', '送到3单元402室'],
  ['p.reassure', '不骗人没套路，绿色靠谱', '这个故事没有结局'],
  ['p.romance_invest', '为了我们的未来，这个投资平台很稳', '我们的未来一起努力'],
];

describe('post rules', () => {
  nearMisses(CASES, ids);

  it('reads keycap digits as digits ("5⃣0⃣0⃣一小时")', () => {
    expect(ids('5️⃣0️⃣0️⃣一小时')).toContain('p.rate');
  });

  it('reads the posts\' homophones and strips emoticon codes: 嘉窝 and 丝我 invite, "想做[em]e1[/em]的" is one phrase', () => {
    expect(normalize('嘉窝免费带').text).toContain('加我');
    expect(normalize('有意丝我').text).toContain('私我');
    expect(normalize('嘉兴的朋友').text).toBe('嘉兴的朋友');
    expect(normalize('想做[em]e163[/em]的来').text).toBe('想做的来');
    expect(normalize('要\u0f7c不\u0f7c要\u0f7c来').text).toBe('要不要来');
  });

  it('a pay rate with an invitation is flagged; the rate alone stays low', () => {
    expect(level('一小时八百，想做的私我')).not.toBe('low');
    expect(level('一天三四百，缺钱的兄弟来')).not.toBe('low');
    expect(level('一小时八百')).toBe('low');
  });

  it('ordinary posts with prices, wages and invitations stay low', () => {
    for (const text of [
      '出二手自行车，120块，同城自提，需要的私我',
      '家教一小时150，有需要的家长联系我',
      '考研终于上岸了，感谢大家',
      '周末打球的来',
      '某超市招收银员，月薪5000，五险一金，到前台面试',
    ])
      expect(level(text), text).toBe('low');
  });

  it('an inbound service call with no dangerous ask stays low; a code ask in one is still flagged', () => {
    const opening = '客服：欢迎致电客服中心，我是客服专员小李，请问有什么可以帮您？\n我：';
    expect(level(`${opening}我想问一下会员积分怎么兑换\n客服：您可以在App的会员页面兑换。`)).toBe('low');
    expect(level(`${opening}我退款还没到\n客服：请把手机收到的验证码告诉我，我帮您加急。`)).not.toBe('low');
  });
});

describe('message shapes that were missed', () => {
  it('a 温馨提示 opener does not hide a frozen-card phishing text with a number to call', () => {
    const r = check({ text: '温馨提示：您的信用卡已被冻结，详情请咨询 0755-23456781' });
    expect(r.level).not.toBe('low');
    expect(r.asks.map((a) => a.id)).toContain('call');
  });

  it('a card "to be stopped" by a deadline is a bank type', () => {
    const r = check({ text: '[某银行]您尾号8821的卡片将于今日24时停用，请致电 400-8823-1234 解除' });
    expect(r.spans.map((s) => s.rule)).toContain('m.frozen');
  });

  it('a "boss" who summons you and asks for a transfer to an account', () => {
    const r = check({ text: '小刘，我是张局，明天上午到我办公室来一趟。另外有个急事，你先帮我给这个账户转3万' });
    expect(r.level).not.toBe('low');
    expect(r.types.map((t) => t.id)).toContain('acquaintance');
  });

  it('a real warning that opens with 温馨提示 still does not count as an ask', () => {
    const r = check({ text: '温馨提示：谨防诈骗，银行不会要求您提供验证码' });
    expect(r.asks.map((a) => a.id)).not.toContain('code');
    expect(r.level).toBe('low');
  });

  it('a receipt with a scam word stays low; a fake receipt with a phishing link is still flagged', () => {
    expect(level('微信支付：你收到一笔分销佣金\n收款金额￥0.10\n收款方式零钱')).toBe('low');
    expect(level('【某银行】交易提醒：您的账户异常已被冻结，交易金额：5000元，请立即登录 icbc-jf.top 解冻')).not.toBe('low');
  });
});
