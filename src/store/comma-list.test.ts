import { describe, expect, it } from 'vitest';
import { commaList } from './comma-list.ts';

describe('commaList', () => {
  it('joins identifiers with commas and refuses a value holding one', () => {
    expect(commaList(['o_1', 'ab12', ''], 'ids')).toBe('o_1,ab12,');
    expect(() => commaList(['o_1', 'a,b'], 'order ids')).toThrow('order ids holds a comma');
  });
});
