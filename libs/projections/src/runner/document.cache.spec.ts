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
