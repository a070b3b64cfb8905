import { describe, expect, it } from 'vitest';
import { check } from './check.ts';
import { matchRules } from './match.ts';
import { normalize } from './normalize.ts';
import { nearMisses } from './test-near-miss.ts';

const ids = (text: string): string[] => matchRules(normalize(text), []).map((h) => h.rule.id);
const level = (text: string): string => check({ text }).level;

/** Each message rule with a text that has it and a near miss that must not. */
const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['m.suspend', '您名下的手机号码因涉嫌违规将被注销', '我的花呗被冻结了怎么解冻'],
  ['m.threat_call', '您的卡片异常冻结，请致电 021-6688 1234 处理', '您的卡片异常冻结，详询95588'],
  ['m.reply_data', '回复您的身份证号即可领取', '回复TD退订'],
  ['m.account_buy', '收微信号，一个号给30元', '请勿出租出借银行卡和微信号'],
  ['m.account_buy', '高价收实名qq号，日租80', '买了个号码牌'],
  ['m.mule_flow', '帮我代收一笔款，到账后转出去，每笔给你2%', '收到款后我们会尽快发货'],
  ['m.job_fee', '招聘在线打字员，需先交押金99元', '招聘打字员，试用期一个月'],
  ['m.promise', '每月固定收益6%，到期还本', '存款年化利率1.75%'],
  ['m.promise', '投3万半年后变30万', '投篮三次进了两个'],
  ['m.reward_link', '恭喜获赠积分好礼，请登录 jf-lq.top 领取', '恭喜获赠积分，可在营业厅兑换'],
  ['m.stock_gift', '免费领取本周三只牛股', '免费领取会员优惠券'],
  ['m.pay_first', '先款后货，支付宝转就行', '货到付款'],
  ['m.deposit_first', '你先充五千试试水', '先充电再出门'],
  ['m.join_me', '你也注册一个，我带你做', '你也注册一下论坛吧'],
  ['m.loan_transfer', '把借呗里的钱借出来转到我们指定的账户', '借呗的钱怎么还'],
  ['m.act_link', '请速登录 bank-yz.cc 完成认证', '请速登录手机银行完成认证'],
  ['m.act_link', '请至 pay-etc.top 补缴', '简历请发至 hr@abc-trade.com'],
  ['m.subsidy', '个税退税已开放，请扫码登记', '个税已申报完成'],
  ['m.mail_password', '请用邮箱账号和密码登录查看', '忘记邮箱密码怎么办'],
  ['m.new_account', '我司收款账户已变更，货款请汇至以下新账号', '账户信息已变更成功'],
  ['m.attachment', '请下载附件 报表.exe 查看', '请下载附件 报表.pdf 查看'],
  ['m.skip_platform', '平台上拍太麻烦，直接转我吧', '平台上拍下后请留言'],
  ['m.atm', '请到ATM按提示解除分期', 'ATM机在一楼大厅'],
  ['m.presale', '内部理财名额只给老客户', '理财产品有风险，投资需谨慎'],
  ['m.gambling', '首存送50%，提现秒到', '存款利息多少'],
  ['m.acq_who', '这是我新号，存一下', '这是新买的手机'],
  ['m.acq_money', '方便的话先转我2000', '我先转你2000'],
  ['en.bank_change', 'Please remit to our updated bank details below.', 'Your bank details are saved in settings.'],
  ['en.credentials', 'Log in with your corporate credentials to view the letter.', 'Log in to the app to view the letter.'],
  ['en.not_you_link', "If you didn't make this request, cancel it at acct-help.top", "If you didn't make this request, ignore this email."],
  ['en.not_you_call', 'If you did not authorize this, call +1 302 555 0199 now.', 'If you did not authorize this, open the app.'],
  ['en.act_link', 'Secure your account now at safe-login.help', 'Secure your account in the app settings.'],
  ['en.small_fee', 'A customs fee of $2.99 is due for your parcel.', 'Your parcel was delivered to the front desk.'],
  ['en.document_link', 'Review the document here: docs-share-view.net/abc', 'Review the document attached before Monday.'],
];

describe('message rules', () => {
  nearMisses(CASES, ids);

  it('undoes the spellings that dodge filters: 支负宝, 徽信, 微xin, 收个kuan, 牛 gu, dl码, b0彩', () => {
    expect(normalize('支负宝转就行').text).toContain('支付宝');
    expect(normalize('加徽信').text).toContain('微信');
    expect(normalize('出租微xin').text).toContain('微信');
    expect(normalize('帮忙收个kuan').text).toContain('收个款');
    expect(normalize('免费领牛 gu 代码').text).toContain('牛股');
    expect(normalize('把dl码扫一下').text).toContain('登录码');
    expect(normalize('b0彩平台').text).toContain('博彩');
    expect(normalize('gucci 包包').text).toBe('gucci 包包');
  });

  it('rates a phishing notice with a look-alike link medium even when it says 如非本人操作', () => {
    expect(level('【95588】您的账户在异地登录，如非本人操作请点击 95588-e.com 进行认证')).not.toBe('low');
    expect(level('【工商银行】您的账户在异地登录，如非本人操作请致电95588')).toBe('low');
  });

  it('rates a code handed on, a rented account and a loan passed on as at least medium; their warnings stay low', () => {
    expect(level('老婆，我手机坏了，把你刚收到的验证码发我一下')).not.toBe('low');
    expect(level('验证码123456，请勿泄露给他人')).toBe('low');
    expect(level('出租你的微信号，日租50，私我')).not.toBe('low');
    expect(level('【中国电信】提醒您：不法分子冒充运营商发送积分清零短信，请注意防范')).toBe('low');
    expect(level('您好，退款需要您先开通借呗，借出的钱转到我们这边后连同退款一起返还')).not.toBe('low');
  });
});
