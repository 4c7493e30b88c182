import { describe, expect, expectTypeOf, it } from 'vitest';
import { wecomKeys } from './keys';

function startsWith(key: readonly unknown[], prefix: readonly unknown[]): boolean {
  return prefix.every((part, index) => JSON.stringify(part) === JSON.stringify(key[index]));
}

describe('wecomKeys', () => {
  const input = { start_time: 1, end_time: 2 };

  it('nests every key under the operation prefix and the global prefix', () => {
    for (const key of [wecomKeys.query('getMomentList', input), wecomKeys.infinite('getMomentList', input)]) {
      expect(startsWith(key, wecomKeys.operation('getMomentList'))).toBe(true);
      expect(startsWith(key, wecomKeys.all)).toBe(true);
    }
  });

  it('keeps infinite and plain queries of the same input apart', () => {
    const plain = wecomKeys.query('getMomentList', input);
    const infinite = wecomKeys.infinite('getMomentList', input);
    expect(startsWith(plain, infinite)).toBe(false);
    expect(startsWith(infinite, plain)).toBe(false);
  });

  it('does not let one operation prefix match another', () => {
    expect(startsWith(wecomKeys.query('getMomentTask', input), wecomKeys.operation('getMomentList'))).toBe(
      false,
    );
  });

  it('types keys as readonly tuples carrying the operation id and input', () => {
    expectTypeOf(wecomKeys.query('getMomentList', input)).toEqualTypeOf<
      readonly ['wecom', 'getMomentList', 'query', { start_time: number; end_time: number }]
    >();
  });
});
