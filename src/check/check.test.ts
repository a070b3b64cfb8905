import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from './check.ts';

describe('check verdicts', () => {
  it('flags the fake customer-service script high and names every ask', () => {
    const r = check({ text: '您好，我是淘宝客服，您买的连衣裙有质量问题，给您三倍赔偿，请下载腾讯会议开启屏幕共享，再把验证码告诉我' });
    expect(r.level).toBe('high');
    expect(r.traps.map((t) => t.id)).toEqual(expect.arrayContaining(['identity', 'benefit']));
    expect(r.asks.map((a) => a.id)).toEqual(expect.arrayContaining(['screen', 'code']));
    expect(r.types[0]?.id).toBe('fake_cs');
    expect(r.advice.zh.join('')).toContain('正规客服绝不会索要短信验证码');
    expect(r.advice.zh.join('')).toContain('96110');
    expect(r.advice.en.join(' ')).toContain('never asks for an SMS verification code');
  });

  it('keeps ordinary after-sales and notices low', () => {
    for (const text of [
      '亲，您的退款已经原路退回，1-3个工作日到账',
      '您好，您反馈的质量问题已记录，请在订单页面申请售后，我们会尽快处理',
      '【京东】年货节大促，戳 u.jd.com/abc 抢购，回TD退订',
      '【招商银行】验证码 882731，用于登录，请勿泄露给他人',
      '退款',
      'https://www.taobao.com',
    ]) {
      expect(check({ text }).level, text).toBe('low');
    }
  });

  it('gives no money-already-left advice below high risk', () => {
    const r = check({ text: '晚上一起吃饭吗' });
    expect(r.level).toBe('low');
    expect(r.advice.zh.join('')).not.toContain('110');
  });

  it('raises risk for an international caller claiming to be customer service', () => {
    const text = '您好，我是天猫客服，您的订单异常需要退款';
    const plain = check({ text });
    const abroad = check({ text, caller: '+00 852 61234567' });
    expect(abroad.risk).toBeGreaterThan(plain.risk);
    expect(abroad.channel.map((c) => c.id)).toContain('international');
  });

  it("reads JSON turns and ignores the consumer's own complaint", () => {
    const benign = check({
      turns: [
        { speaker: '我', text: '我买的杯子有质量问题，能退款吗' },
        { speaker: '客服', text: '亲，您在订单页面申请退货退款就可以，我们收到货后原路退回' },
      ],
    });
    expect(benign.level).toBe('low');
    expect(benign.text).toContain('客服：');
    const scam = check({
      turns: [
        { speaker: '客服', text: '您好我是京东客服，您的包裹丢失了，给您双倍赔偿' },
        { speaker: '我', text: '好的' },
        { speaker: '客服', text: '您加一下我的微信，把银行卡号和验证码发给我' },
      ],
    });
    expect(scam.level).toBe('high');
    for (const s of scam.spans) expect(s.end).toBeLessThanOrEqual(scam.text.length);
  });

  it('recognises the other fraud types with their own explanation', () => {
    const cases: Array<[string, string]> = [
      ['我是市公安局的，你涉嫌洗钱案，需要把资金转入安全账户配合调查', 'police'],
      ['刷单兼职，日结佣金，加QQ 29384756', 'part_time'],
      ['你儿子在我手上，马上准备十万赎金，不许报警', 'kidnap'],
      ['【ETC】您的ETC认证已失效，请点击 etc-rz.top/a 重新认证', 'phishing'],
    ];
    for (const [text, type] of cases) {
      const r = check({ text });
      expect(r.level, text).not.toBe('low');
      expect(
        r.types.map((t) => t.id),
        text,
      ).toContain(type);
    }
  });

  it('spans are inside the text and labelled', () => {
    const text = '【淘宝】您好，加我V信办理三倍赔偿';
    const r = check({ text });
    expect(r.spans.length).toBeGreaterThan(0);
    for (const s of r.spans) {
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeLessThanOrEqual(text.length);
      expect(s.end).toBeGreaterThan(s.start);
    }
    expect(r.spans.some((s) => text.slice(s.start, s.end).includes('V信'))).toBe(true);
  });

  it('never throws on arbitrary Unicode and keeps its contract', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const r = check({ text });
        expect(r.risk).toBeGreaterThanOrEqual(0);
        expect(r.risk).toBeLessThanOrEqual(1);
        expect(['high', 'medium', 'low']).toContain(r.level);
        for (const s of r.spans) expect(s.end).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 2000 },
    );
  });
});
