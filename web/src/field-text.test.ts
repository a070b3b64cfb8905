import { describe, expect, it } from 'vitest';
import { fieldText } from './field-text.ts';

describe('fieldText', () => {
  it('says a refused field in the reader’s words, never as a path', () => {
    expect(fieldText('scammer.accounts.0.value', 'not a valid alipay', 'zh')).toBe('对方 · 第1个账户 · 账号：格式不对');
    expect(fieldText('transfers.1.amount_yuan', 'Too big: expected number to be <=100000000', 'zh')).toBe('第2个转账 · 金额：太长或太多');
    expect(fieldText('evidence.0', 'larger than 10 MB', 'zh')).toBe('第1个证据文件：文件太大');
    expect(fieldText('scammer.accounts.0.value', 'not a valid alipay', 'en')).toBe(
      'The scammer · account 1 · account number: not a valid alipay',
    );
    expect(fieldText('narrative', 'something new', 'zh')).toBe('经过：填写不正确');
  });
});
