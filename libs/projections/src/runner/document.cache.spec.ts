import { DocumentCache } from './document.cache';

describe('a document cache', () => {
  it('keeps values while their sizes fit', () => {
    const cache = new DocumentCache<string>(10);
    cache.set('a', 'A', 5);
    cache.set('b', 'B', 5);
    expect([cache.get('a'), cache.get('b')]).toEqual(['A', 'B']);
  });

  it('evicts the least recently used value when full', () => {
    const cache = new DocumentCache<string>(10);
    cache.set('a', 'A', 5);
    cache.set('b', 'B', 5);
    cache.get('a');
    cache.set('c', 'C', 5);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['A', undefined, 'C']);
  });

  it('keeps a value used between every insertion while the others come and go', () => {
    const cache = new DocumentCache<string>(30);
    cache.set('hot', 'H', 10);
    for (let i = 0; i < 100; i++) {
      expect(cache.get('hot')).toBe('H');
      cache.set(`cold-${i}`, `C${i}`, 10);
    }
    expect(cache.get('cold-97')).toBeUndefined();
    expect([cache.get('cold-98'), cache.get('cold-99')]).toEqual(['C98', 'C99']);
  });

  it('lets a value go once it was not used since its second chance', () => {
    const cache = new DocumentCache<string>(10);
    cache.set('a', 'A', 5);
    cache.set('b', 'B', 5);
    cache.get('a');
    cache.set('c', 'C', 5); // b goes; a is kept, unmarked
    cache.set('d', 'D', 5); // c, the oldest now, goes: a's second chance lasts until the next sweep reaches it
    cache.set('e', 'E', 5);
    expect([cache.get('a'), cache.get('c'), cache.get('d'), cache.get('e')]).toEqual([undefined, undefined, 'D', 'E']);
  });

  it('never holds more than its size, however its values are used', () => {
    const cache = new DocumentCache<number>(100);
    for (let i = 0; i < 1000; i++) {
      cache.set(`k${i % 37}`, i, 1 + (i % 9));
      for (let j = 0; j < i % 5; j++) cache.get(`k${(i * 7 + j) % 37}`);
      let held = 0;
      for (let k = 0; k < 37; k++) held += cache.sizeOf(`k${k}`) ?? 0;
      expect(held).toBeLessThanOrEqual(100);
    }
  });

  it('counts a replaced value once', () => {
    const cache = new DocumentCache<string>(10);
    cache.set('a', 'A1', 5);
    cache.set('a', 'A2', 5);
    cache.set('b', 'B', 5);
    expect([cache.get('a'), cache.get('b')]).toEqual(['A2', 'B']);
  });

  it('does not keep a value larger than the whole cache', () => {
    const cache = new DocumentCache<string>(10);
    cache.set('a', 'A', 5);
    cache.set('huge', 'H', 11);
    expect([cache.get('a'), cache.get('huge')]).toEqual(['A', undefined]);
  });

  it('forgets everything when cleared', () => {
    const cache = new DocumentCache<string>(10);
    cache.set('a', 'A', 5);
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
  });
});
