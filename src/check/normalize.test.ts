import { describe, expect, it } from 'vitest';
import { normalize, originalSpan } from './normalize.ts';

describe('normalize', () => {
  it('folds full width and case', () => {
    expect(normalize('ＡＢＣ１２３：').text).toBe('abc123:');
  });
  it('undoes WeChat and QQ spellings', () => {
    expect(normalize('加我V信').text).toBe('加我微信');
    expect(normalize('加我薇信').text).toBe('加我微信');
    expect(normalize('加扣 12345').text).toBe('加qq 12345');
    expect(normalize('加vx').text).toBe('加微信');
  });
  it('leaves wx inside a domain alone', () => {
    expect(normalize('wx.qq.com').text).toBe('wx.qq.com');
  });
  it('joins spaced digits and split words', () => {
    expect(normalize('1 3 8 1 2 3 4 5 6 7 8').text).toBe('13812345678');
    expect(normalize('验 证 码').text).toBe('验证码');
    expect(normalize('微*信').text).toBe('微信');
  });
  it('keeps spaces between words of English', () => {
    expect(normalize('call me now').text).toBe('call me now');
  });
  it('maps traditional characters to simplified', () => {
    expect(normalize('請提供驗證碼').text).toBe('请提供验证码');
  });
  it('drops zero-width characters', () => {
    expect(normalize('验\u200b证\u200d码').text).toBe('验证码');
  });
  it('maps spans back to the original text', () => {
    const input = '请加我Ｖ 信：abc';
    const n = normalize(input);
    const at = n.text.indexOf('微信');
    const [s, e] = originalSpan(n, at, at + 2);
    expect(input.slice(s, e)).toBe('Ｖ 信');
  });
  it('maps spans across surrogate pairs', () => {
    const input = '😀验证码';
    const n = normalize(input);
    const [s, e] = originalSpan(n, n.text.indexOf('验'), n.text.length);
    expect(input.slice(s, e)).toBe('验证码');
  });
  it('drops OCR marks between characters and reads spelled-out or full-width dots in links', () => {
    expect(normalize('把验|证`码发给我').text).toBe('把验证码发给我');
    expect(normalize('登录 icbc-jf。top/a').text).toBe('登录 icbc-jf.top/a');
    expect(normalize('访问 ta0bao点com').text).toBe('访问 ta0bao.com');
    expect(normalize('加薇 kf88').text).toBe('加微信 kf88');
    expect(normalize('请問什么时候').text).toBe('请问什么时候');
  });
});
