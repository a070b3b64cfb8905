import { describe, expect, it } from 'vitest';
import { check } from './check.ts';
import { syntheticMessages } from './train/synthetic-messages.ts';
import { keptShare, robustness } from './train/robustness.ts';

const flagged = (text: string): boolean => check({ text }).level !== 'low';
const NO_SIGNS = '未发现明显诈骗特征';

describe("a new user's findings", () => {
  it('rates an obvious English scam as a scam, with its traps and asks', () => {
    const r = check({
      text: 'Hello, this is Amazon customer service. You were overcharged and are eligible for a refund of $399. Please install AnyDesk and read me the verification code we just sent.',
    });
    expect(r.level).toBe('high');
    expect(r.asks.map((a) => a.id)).toEqual(expect.arrayContaining(['code', 'screen']));
    expect(r.traps.map((t) => t.id)).toEqual(expect.arrayContaining(['identity', 'benefit']));
    expect(r.advice.en[0]).not.toContain('No clear scam signs');
  });

  it('reads traditional characters: 請把手機收到的驗證碼告訴我 is a code ask, at least medium', () => {
    const r = check({ text: '請把手機收到的驗證碼告訴我' });
    expect(r.asks.map((a) => a.id)).toContain('code');
    expect(r.level).not.toBe('low');
    const span = r.spans.find((s) => s.label === 'code');
    expect(span && r.text.slice(span.start, span.end)).toContain('驗證碼');
  });

  it('a concrete code ask is medium, and its advice does not open with "no clear signs"', () => {
    const r = check({ text: '请把手机收到的验证码告诉我' });
    expect(r.level).toBe('medium');
    expect(r.advice.zh[0]).not.toContain(NO_SIGNS);
    expect(r.advice.zh.join('')).toContain('正规客服绝不会索要短信验证码');
  });

  it('a benign late-parcel chat stays low and names no phishing without a link', () => {
    const r = check({
      text: '我：我的快递怎么还没到，物流显示滞留好几天了\n客服：亲，包裹在中转站滞留了，我们已经催促快递，预计明天送达，给您添麻烦了',
    });
    expect(r.level).toBe('low');
    expect(r.types.map((t) => t.id)).not.toContain('phishing');
  });

  it('a credit threat with a call-this-number ask is flagged', () => {
    const r = check({ text: '您的借呗已逾期，将影响征信，请尽快拨打13912345678处理' });
    expect(r.level).not.toBe('low');
    expect(r.asks.map((a) => a.id)).toContain('call');
    expect(r.traps.map((t) => t.id)).toContain('credit');
  });

  it('never opens with "no clear signs" next to a listed finding', () => {
    for (const text of ['请添加客服微信处理', '兼职日结，一天三百', '包裹滞留', '您的积分未领取']) {
      const r = check({ text });
      if (r.asks.length + r.traps.length + r.types.length + r.spans.length > 0) expect(r.advice.zh[0], text).not.toContain(NO_SIGNS);
    }
  });
});

describe('advice per scam type', () => {
  it('says what to do about each type it names', () => {
    const cases: Array<[string, string]> = [
      ['我是市公安局的，你涉嫌洗钱案，需要把资金转入安全账户配合调查', '公检法'],
      ['刷单兼职，日结佣金，加QQ 29384756', '刷单'],
      ['牛股推荐，每日免费领取涨停金股，加QQ 39283746，人满即封', '内幕消息'],
      ['【工商银行】您的电子密码器将于今日过期，请登录 wap.icbc-ccv.com 进行更新', '银行卡背面'],
      ['Hi mum, this is my new number, I dropped my phone. Can you send me $850 for rent?', 'call their old number'],
    ];
    for (const [text, advice] of cases) {
      const r = check({ text });
      expect([...r.advice.zh, ...r.advice.en].join(' '), text).toContain(advice);
    }
  });
});

describe('short-message shapes', () => {
  const cases: Array<[string, string]> = [
    ['【中国移动】尊敬的用户，您有8800积分未领取，将于24小时内清零，请点击 t.cn/A6xYz 兑换', 'operator reward phishing'],
    ['牛股推荐，每日免费领取涨停金股，加QQ 39283746，人满即封', 'stock-tip group'],
    ['【工商银行】您的电子密码器将于今日过期，请登录 wap.icbc-ccv.com 进行更新', 'e-token expiry'],
    ['您的信用卡已被冻结，请致电 13812345678 解冻', 'card frozen, call'],
    ['招商银行通知：您已获得5万信用卡提额资格，请登录 cmb-vip.top/a 申请', 'credit limit raise'],
    ['【顺丰】您的快递因地址不详无法派送，请点击 sf-e.top/m123 更新地址', 'logistics link'],
    ['亲，您的订单需要加我们微信确认才能发货，微信号：kf88231', 'add WeChat to confirm the order'],
    ['本店银行转账下单优惠200元，私聊发您账户', 'off-platform bank transfer'],
    ['急招手工活，一部手机就可以，日结200-500，详情加V5465229929', 'fake job'],
    ['在吗，我是你老同学，换新号码了，急用钱，借我3000，明天就还你', 'acquaintance'],
    [
      'Your PayPal account has been limited due to unusual sign-in activity. Log in at paypa1-secure.com/verify within 24 hours.',
      'phishing e-mail',
    ],
    ['Work from home! No experience needed, earn $300 per day. Contact us on WhatsApp +12025550123', 'English job scam'],
    ['请下载最新版物流理赔App：http://103.45.67.8/app.apk', 'raw-IP APK link'],
    ['【菜鸟裹裹】您的包裹已到达，因系统升级请下载菜鸟APP更新收货信息：cn-guoguo.cc', 'logistics app on a cheap domain'],
    ['Dear user, your mailbox storage is full. Click here to increase your quota: http://mail-upgrade.xyz/owa', 'mailbox phishing'],
    ['老李，我是张总，我现在在外面谈项目，不方便接电话，你先给这个账户打三万块钱，回头公司报销', 'boss impersonation'],
  ];
  for (const [text, kind] of cases)
    it(`flags ${kind}`, () => {
      expect(flagged(text), text).toBe(true);
    });

  const benign = [
    '【招商银行】您尾号1234的信用卡消费299.00元，可用额度12000.00元。',
    '【中国移动】尊敬的客户，您本月积分3200分，可登录中国移动App兑换话费或流量，积分有效期至年底。',
    '【顺丰】您的包裹已到驿站，取件码3-1234，请凭码领取。',
    '妈，我手机换号了，新号码13912345678，存一下，旧号不用了。',
    'G123456 is your Google verification code. Do not share it with anyone.',
    '花呗分期要手续费吗',
    '某物流公司招聘仓库管理员，五险一金，请将简历投递至公司官网。',
    '详见 https://www.taobao.com/x',
  ];
  for (const text of benign)
    it(`keeps low: ${text.slice(0, 24)}`, () => {
      expect(check({ text }).level, text).toBe('low');
    });
});

describe('links', () => {
  it('finds links without a scheme, with a full-width or spelled-out dot, and tags their shape', () => {
    const urls = (text: string): Array<{ value: string; tags: string[] }> =>
      check({ text })
        .entities.filter((e) => e.type === 'url')
        .map((e) => ({ value: e.value, tags: e.tags ?? [] }));
    expect(urls('登录 icbc-jf。top/a 兑换')[0]?.tags).toEqual(expect.arrayContaining(['lookalike', 'suspicious_tld']));
    expect(urls('点 t.cn/A6x 领取')[0]?.tags).toContain('short_link');
    expect(urls('访问 ta0bao点com 领取')[0]?.tags).toContain('lookalike');
    expect(urls('下载 http://1.2.3.4:8080/x.apk')[0]?.tags).toEqual(expect.arrayContaining(['raw_ip', 'apk']));
    expect(urls('详见 m.tb.cn/h.abc')[0]?.tags).toEqual(['official']);
  });
});

describe('spellings and scripts', () => {
  it('keeps >= 95 % of flagged synthetic scams flagged under slang substitutions and traditional script', () => {
    const xs = syntheticMessages(300, 31).map((e, i) => ({
      id: String(i),
      text: e.text,
      label: e.label,
      kind: e.lang,
      split: 'dev' as const,
    }));
    const r = robustness(xs);
    expect(r.flagged).toBeGreaterThan(250);
    expect(r.substituted.changed).toBeGreaterThan(50);
    expect(keptShare(r.substituted)).toBeGreaterThanOrEqual(0.95);
    expect(keptShare(r.traditional)).toBeGreaterThanOrEqual(0.95);
  });

  it('reads the scammers’ spellings of WeChat, QQ and codes', () => {
    for (const text of [
      '加薇 kf8823 办理退款',
      '加威信kf8823办理',
      '请加扣扣 29384756 办理理赔',
      '把yzm发给我',
      '加徽信联系客服退款',
      '客服V信是kf8823',
    ])
      expect(check({ text }).asks.length, text).toBeGreaterThan(0);
  });
});
