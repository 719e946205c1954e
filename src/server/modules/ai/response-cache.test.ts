import { describe, expect, it } from 'vitest';
import { type CacheKeyInput, ResponseCache } from './response-cache.js';

const input = (overrides: Partial<CacheKeyInput> = {}): CacheKeyInput => ({
  purpose: 'translation',
  system: 'Translate the word.',
  messages: [{ role: 'user', content: 'mesa' }],
  jsonSchema: null,
  modelClass: 'default',
  maxTokens: 100,
  ...overrides,
});
const answer = (text: string) => ({ text, providerId: 'p1', model: 'm1' });

describe('ResponseCache', () => {
  it('keys on the question, so the same question gets the same key and any difference a new one', () => {
    const key = ResponseCache.keyOf(input());
    expect(ResponseCache.keyOf(input())).toBe(key);
    expect(ResponseCache.keyOf(input({ messages: [{ role: 'user', content: 'silla' }] }))).not.toBe(key);
    expect(ResponseCache.keyOf(input({ system: 'Other.' }))).not.toBe(key);
    expect(ResponseCache.keyOf(input({ purpose: 'correction' }))).not.toBe(key);
    expect(ResponseCache.keyOf(input({ jsonSchema: { type: 'object' } }))).not.toBe(key);
    expect(ResponseCache.keyOf(input({ modelClass: 'strong' }))).not.toBe(key);
  });

  it('counts hits and misses', () => {
    const cache = new ResponseCache(10);
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', answer('table'));
    expect(cache.get('a')).toEqual(answer('table'));
    expect(cache.stats()).toEqual({ size: 1, capacity: 10, hits: 1, misses: 1 });
  });

  it('evicts the least recently used entry once full', () => {
    const cache = new ResponseCache(2);
    cache.set('a', answer('A'));
    cache.set('b', answer('B'));
    cache.get('a'); // a is now the most recent
    cache.set('c', answer('C'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.text).toBe('A');
    expect(cache.get('c')?.text).toBe('C');
    expect(cache.stats().size).toBe(2);
  });

  it('stores nothing when its capacity is zero', () => {
    const cache = new ResponseCache(0);
    cache.set('a', answer('A'));
    expect(cache.get('a')).toBeUndefined();
  });
});
