import { describe, expect, it } from 'vitest';
import { at, must } from './at.ts';

describe('at', () => {
  it('gives the element at an index of the array, an undefined element included', () => {
    expect(at(['a', 'b', 'c'], 2)).toBe('c');
    expect(at([undefined, 1], 0)).toBeUndefined();
    expect(at(Uint8Array.of(7, 9), 1)).toBe(9);
    expect(at('xy', 1)).toBe('y');
  });

  it('throws naming what was missing for an index outside the array', () => {
    expect(() => at(['a'], 1, 'leaked record')).toThrow('no leaked record at index 1 of 1');
    expect(() => at([], 0)).toThrow('no element at index 0 of 0');
    expect(() => at(['a'], -1)).toThrow(RangeError);
    expect(() => at(['a', 'b'], 0.5)).toThrow(RangeError);
  });
});

describe('must', () => {
  it('gives a present value, falsy ones included', () => {
    expect(must(0, 'count')).toBe(0);
    expect(must('', 'name')).toBe('');
    expect(must(new Map([['k', 1]]).get('k'), 'k')).toBe(1);
  });

  it('throws naming what was missing for undefined or null', () => {
    expect(() => must(new Map<string, number>().get('k'), "the party's peers")).toThrow("the party's peers is missing");
    expect(() => must(null, 'row')).toThrow('row is missing');
  });
});
