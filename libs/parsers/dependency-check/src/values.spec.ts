import { asArray, collapse, field, flag, num, records, text } from './values';

describe('asArray', () => {
  it('wraps a single XML element, keeps arrays, and treats empty elements as none', () => {
    expect(asArray({ a: 1 })).toEqual([{ a: 1 }]);
    expect(asArray([1, 2])).toEqual([1, 2]);
    expect(asArray('')).toEqual([]);
    expect(asArray(undefined)).toEqual([]);
    expect(asArray(null)).toEqual([]);
  });

  it('records() keeps only objects', () => {
    expect(records([{ a: 1 }, 'x', null, [1]])).toEqual([{ a: 1 }]);
  });
});

describe('text', () => {
  it('reads strings, numbers and XML text nodes; blank is undefined', () => {
    expect(text('  a ')).toBe('a');
    expect(text(3.7)).toBe('3.7');
    expect(text({ '#text': 'low', '@_unscored': 'true' })).toBe('low');
    expect(text(['first', 'second'])).toBe('first');
    expect(text('   ')).toBeUndefined();
    expect(text({})).toBeUndefined();
    expect(text(Number.NaN)).toBeUndefined();
  });

  it('field() returns the first key with text', () => {
    expect(field({ a: '', b: 'x', c: 'y' }, 'a', 'b', 'c')).toBe('x');
  });
});

describe('num', () => {
  it('accepts numbers and numeric strings only', () => {
    expect(num(7.5)).toBe(7.5);
    expect(num(' 9.8 ')).toBe(9.8);
    expect(num('9.8abc')).toBeUndefined();
    expect(num('')).toBeUndefined();
    expect(num(Infinity)).toBeUndefined();
    expect(num({ '#text': '4.3' })).toBe(4.3);
  });
});

describe('flag and collapse', () => {
  it('flag is true only for true/"true"', () => {
    expect([flag(true), flag('TRUE'), flag('false'), flag(1), flag(undefined)]).toEqual([true, true, false, false, false]);
  });

  it('collapse folds whitespace runs', () => {
    expect(collapse('a\n      b\tc ')).toBe('a b c');
    expect(collapse(' \n ')).toBeUndefined();
  });
});
