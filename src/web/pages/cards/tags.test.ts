import { describe, expect, it } from 'vitest';
import { optionalText, parseTags } from './tags.js';

describe('parseTags', () => {
  it('splits on commas and spaces, once each, in order', () => {
    expect(parseTags(' food, a1  verbs,food ,, ')).toEqual(['food', 'a1', 'verbs']);
  });
  it('reads an empty box as no tags', () => {
    expect(parseTags('  ')).toEqual([]);
  });
});

describe('optionalText', () => {
  it('is null for a blank box and trimmed text otherwise', () => {
    expect(optionalText('   ')).toBeNull();
    expect(optionalText(' hola ')).toBe('hola');
  });
});
