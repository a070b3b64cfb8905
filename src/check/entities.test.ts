import { describe, expect, it } from 'vitest';
import { extractEntities, type Entity } from './entities.ts';
import { normalize } from './normalize.ts';

const of = (text: string, type: Entity['type']): Entity[] => extractEntities(normalize(text)).filter((e) => e.type === type);

describe('entities', () => {
  it('finds mobile numbers, also spaced, with spans into the input', () => {
    const text = '客服电话 138 1234 5678 请回电';
    const [p] = of(text, 'phone');
    expect(p?.value).toBe('+8613812345678');
    expect(p?.tags).toContain('mobile');
    expect(text.slice(p?.start, p?.end)).toBe('138 1234 5678');
  });
  it('tags international and virtual-operator numbers', () => {
    expect(of('来电 +00 852 61234567', 'phone')[0]?.tags).toContain('international');
    expect(of('来电 17012345678', 'phone')[0]?.tags).toContain('virtual_operator');
    expect(of('请拨 4008123123', 'phone')[0]?.tags).toContain('service');
  });
  it('reads mainland mobiles in every prefix form the same way', () => {
    for (const t of ['19912345678', '+8619912345678', '008619912345678']) expect(of(`来电 ${t}`, 'phone')[0]?.value).toBe('+8619912345678');
    expect(of('来电 +8617012345678', 'phone')[0]?.tags).toEqual(['mobile', 'virtual_operator']);
    expect(of('来电 010-62345678', 'phone')[0]?.value).toBe('+861062345678');
  });
  it('does not take an order number or a code for a phone', () => {
    expect(of('订单号 138123456789', 'phone')).toHaveLength(0);
    expect(of('验证码 123456', 'phone')).toHaveLength(0);
  });
  it('finds bank cards by prefix or Luhn', () => {
    expect(of('卡号6222021234567890123', 'bank_card')[0]?.value).toBe('6222021234567890123');
    expect(of('卡号 4111 1111 1111 1111', 'bank_card')).toHaveLength(1);
  });
  it('finds links and tags look-alike domains', () => {
    const [u] = of('请登录 icbc-jf.top/abc 兑换', 'url');
    expect(u?.value).toBe('icbc-jf.top/abc');
    expect(u?.tags).toEqual(expect.arrayContaining(['suspicious_tld', 'lookalike']));
    expect(of('详见 https://www.taobao.com/x', 'url')[0]?.tags).toEqual(['official']);
  });
  it('finds amounts, QQ and WeChat ids, order numbers, items and apps', () => {
    expect(of('赔偿您¥199.00和三千元', 'amount').map((e) => e.value)).toEqual(['¥199.00', '三千元']);
    expect(of('加QQ：293847561', 'qq')[0]?.value).toBe('293847561');
    expect(of('微信号 kefu_8823', 'wechat')[0]?.value).toBe('kefu_8823');
    expect(of('订单号：TB20261101abc', 'order_id')[0]?.value).toBe('tb20261101abc');
    expect(of('您购买的连衣裙存在质量问题', 'item')[0]?.value).toBe('连衣裙');
    expect(of('下载腾讯会议', 'app')[0]?.tags).toEqual(['remote']);
  });
});
