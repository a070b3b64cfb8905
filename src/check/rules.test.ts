import { describe, expect, it } from 'vitest';
import { matchRules } from './match.ts';
import { normalize } from './normalize.ts';
import { nearMisses } from './test-near-miss.ts';

const keys = (text: string): string[] => matchRules(normalize(text), []).map((h) => h.rule.key);

/** Each finding with a text that has it and a near miss that must not. */
const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['identity', '您好，我是淘宝官方客服', '您好，我是你的同学小王'],
  ['information', '您在11月9号购买的羽绒服', '羽绒服今天打折'],
  ['benefit', '给您三倍赔偿', '运费险已赔到您的账户中'.replace('赔', '退')],
  ['credit', '不取消会影响您的征信', '征信报告可以在人民银行官网查询'.replace('征信', '信用')],
  ['code', '请把收到的验证码告诉我', '验证码123456，请勿泄露'],
  ['card', '提供一下您的银行卡号和密码', '银行卡已绑定成功'],
  ['personal', '请提供一下您的身份证号码', '身份证办理请去派出所'],
  ['transfer', '请把钱转到安全账户', '您尾号1234账户转账支出100元'],
  ['screen', '下载腾讯会议开启屏幕共享', '明天的会议改到下午'],
  ['app', '您下载一个APP我来指导', '感谢使用本App'],
  ['link', '点击下方链接领取', '链接已失效'],
  ['qr', '扫一下这个二维码', '二维码已过期'],
  ['loan', '在借呗申请额度后转给我', '您的借呗本月无账单'],
  ['off_platform', '加我微信处理退款', '微信支付成功'],
  ['secrecy', '不要告诉你的家人', '可以告诉家人一起看看'],
  ['urgency', '请立即处理否则冻结账户', '有空的时候处理一下'],
  ['police', '我是公安局的，你涉嫌洗钱', '派出所上班时间是九点'],
  ['loan', '无抵押低息贷款秒批', '房贷利率下调'],
  ['acquaintance', '我是你领导，明天到我办公室', '领导今天出差了'],
  ['investment', '内幕消息稳赚不赔', '基金有风险投资需谨慎'],
  ['part_time', '刷单兼职日结佣金', '兼职老师周末上课'],
  ['romance', '亲爱的，这个平台有漏洞充值就翻倍', '亲爱的，晚饭吃什么'],
  ['lottery', '恭喜您被抽中幸运用户，先交手续费领奖', '抽奖活动已结束'],
  ['kidnap', '你儿子在我手上，准备赎金', '你儿子在学校表现很好'],
  ['phishing', '您的ETC认证失效请重新认证', 'ETC通行费已扣除'],
  ['fraud_report', '她接到电话后发现被骗了', '她接到电话后去了银行'],
];

describe('rules', () => {
  nearMisses(CASES, keys);

  it('does not count a denial as an ask', () => {
    expect(keys('工作人员不会索要您的验证码')).not.toContain('code');
    expect(keys('取消后不会影响您的征信')).not.toContain('credit');
  });

  it("does not count the consumer's own complaint as a trap", () => {
    const text = '我：我买的衣服有质量问题\n客服：您可以在订单页面申请退货';
    const n = normalize(text);
    const self: Array<[number, number]> = [[0, text.indexOf('\n')]];
    expect(matchRules(n, self).map((h) => h.rule.key)).not.toContain('benefit');
    expect(matchRules(n, []).map((h) => h.rule.key)).toContain('benefit');
  });

  it('spans point at the matched words in the original text', () => {
    const text = '请把 驗證碼 告诉我';
    const hit = matchRules(normalize(text), []).find((h) => h.rule.key === 'code');
    const [s, e] = hit?.spans[0] ?? [0, 0];
    expect(text.slice(s, e)).toContain('驗證碼');
  });
});
